package no.followup.dashboard.views;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import no.followup.common.auth.Caller;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskOutcome;
import no.followup.dashboard.views.ViewModels.CaseloadRow;
import no.followup.dashboard.views.ViewModels.Caseloads;
import no.followup.dashboard.views.ViewModels.CohortOutcome;
import no.followup.dashboard.views.ViewModels.CoopWonca;
import no.followup.dashboard.views.ViewModels.Count;
import no.followup.dashboard.views.ViewModels.MeetingRow;
import no.followup.dashboard.views.ViewModels.Meetings;
import no.followup.dashboard.views.ViewModels.MissedRow;
import no.followup.dashboard.views.ViewModels.NoContactRow;
import no.followup.dashboard.views.ViewModels.Outcome;
import no.followup.dashboard.views.ViewModels.Overview;
import no.followup.dashboard.views.ViewModels.Pending;
import no.followup.dashboard.views.ViewModels.Report;
import no.followup.dashboard.views.ViewModels.Review;
import no.followup.dashboard.views.ViewModels.ReviewRow;
import no.followup.dashboard.views.ViewModels.TaskList;
import no.followup.dashboard.views.ViewModels.TaskRow;
import no.followup.dashboard.views.ViewModels.Worklist;
import no.followup.figures.CaseloadRange;
import no.followup.figures.CohortReport;
import no.followup.figures.GoalShare;
import no.followup.figures.Ips;
import no.followup.figures.OutcomeGroup;
import no.followup.figures.Participation;
import no.followup.figures.RecentMeetings;
import no.followup.figures.TimeInProject;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.Caseload;
import no.followup.status.CohortDefinition;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;
import no.followup.status.StatusExitReason;
import no.followup.status.Tally;

/**
 * Computes the views from the read model for one user and one set of filters. Aggregates are
 * counted over the participants the access policy allows the user to count; rows only over those
 * the user may see. Dates ("today", the 30-day window) are local dates in the configured zone.
 */
public final class DashboardViews {

  /** How the views count time, and the small-group threshold of aggregates ({@link SmallGroups}). */
  public record Settings(ZoneId zone, int noContactDays, int missedLookbackDays, int smallGroupThreshold) {

    public Settings(ZoneId zone, int noContactDays, int missedLookbackDays) {
      this(zone, noContactDays, missedLookbackDays, SmallGroups.DEFAULT_THRESHOLD);
    }
  }

  /** Thrown when the user may not see participant rows at all (a project lead). */
  public static final class RowsNotAllowedException extends RuntimeException {
    public RowsNotAllowedException() {
      super("participant-level views are not available for this role");
    }
  }

  private static final Set<TaskKind> MISSED_KINDS = Set.of(TaskKind.REACH_OUT_AFTER_MISS, TaskKind.ATTENDANCE_NOT_RECORDED);

  private final ReadModel model;
  private final AccessPolicy policy;
  private final PendingMarks pending;
  private final Clock clock;
  private final Settings settings;
  private final SmallGroups smallGroups;

  public DashboardViews(ReadModel model, AccessPolicy policy, PendingMarks pending, Clock clock, Settings settings) {
    this.model = model;
    this.policy = policy;
    this.pending = pending;
    this.clock = clock;
    this.settings = settings;
    this.smallGroups = new SmallGroups(settings.smallGroupThreshold());
  }

  public ZoneId zone() {
    return settings.zone();
  }

  // ---- overview -------------------------------------------------------------------------------------

  public Overview overview(Caller user, Filters filters) {
    Instant now = clock.instant();
    Predicate<ParticipantStatus> scope = policy.aggregateScope(user);
    List<ParticipantStatus> selected = new ArrayList<>();
    long awaiting = 0;
    for (ParticipantStatus s : model.statuses()) {
      if (!scope.test(s) || !filters.matches(s)) {
        continue;
      }
      if (Participation.takenIn(s)) {
        selected.add(s);
      } else if (Participation.awaitingEnrolment(s)) {
        awaiting++;
      }
    }

    Map<Situation, Long> situations = new EnumMap<>(Situation.class);
    Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    Map<StatusExitReason, Long> exitReasons = new EnumMap<>(StatusExitReason.class);
    Map<ServicesReceived, Long> services = new EnumMap<>(ServicesReceived.class);
    Map<String, Long> targetGroups = new TreeMap<>();
    Map<OutcomeGroup, Long> outcomeGroups = new EnumMap<>(OutcomeGroup.class);
    Map<String, long[]> cohorts = new TreeMap<>(); // taken in, exits, reached work or education
    Map<String, Long> caseloads = new TreeMap<>();
    long active = 0;
    long exits = 0;
    long intoWorkOrEducation = 0;
    LocalDate today = now.atZone(settings.zone()).toLocalDate();
    LocalDate windowStart = RecentMeetings.windowStart(today);
    long attended30 = 0;
    long missed30 = 0;

    for (ParticipantStatus s : selected) {
      situations.merge(s.getSituation(), 1L, Long::sum);
      phases.merge(s.getPhase(), 1L, Long::sum);
      services.merge(s.getServicesReceived(), 1L, Long::sum);
      s.getTargetGroups().forEach(g -> targetGroups.merge(g, 1L, Long::sum));
      boolean exited = Participation.exited(s);
      boolean intoWork = Participation.reachedWorkOrEducation(s);
      if (exited) {
        exits++;
        exitReasons.merge(s.getExitReason() == null ? StatusExitReason.OTHER : s.getExitReason(), 1L, Long::sum);
        outcomeGroups.merge(Participation.outcomeGroup(s), 1L, Long::sum);
        if (intoWork) {
          intoWorkOrEducation++;
        }
      } else {
        active++;
        for (SpecialistAssignment a : s.getSpecialists()) {
          if (Ips.isOpenIps(a)) {
            caseloads.merge(a.getSpecialistId(), 1L, Long::sum);
          }
        }
      }
      if (s.getCohortId() != null) {
        long[] c = cohorts.computeIfAbsent(s.getCohortId(), k -> new long[3]);
        c[0]++;
        c[1] += exited ? 1 : 0;
        c[2] += intoWork ? 1 : 0;
      }
      for (MeetingSummary m : s.getMeetings()) {
        if (m.getOutcomeAt() == null) {
          continue;
        }
        LocalDate day = m.getOutcomeAt().atZone(settings.zone()).toLocalDate();
        if (!RecentMeetings.inWindow(day, today)) {
          continue;
        }
        if (m.getState() == MeetingState.ATTENDED) {
          attended30++;
        } else if (m.getState() == MeetingState.MISSED) {
          missed30++;
        }
      }
    }

    List<CohortOutcome> cohortOutcomes = new ArrayList<>();
    cohorts.forEach((cohortId, c) -> {
      Tally tally = model.tally("cohort:" + cohortId);
      CohortDefinition definition = tally == null ? null : tally.getCohort();
      GoalShare goal = new GoalShare(c[2], c[0], c[1], definition == null ? null : definition.getWorkOrEducationGoal());
      cohortOutcomes.add(new CohortOutcome(cohortId, definition == null ? null : definition.getName(), c[0], c[1], c[2],
          goal.share(), goal.shareOfExits(), goal.goal(), goal.goalMet(),
          definition == null ? List.of() : definition.getReportingDates().stream().map(Object::toString).toList()));
    });

    List<CaseloadRow> caseloadRows = new ArrayList<>();
    caseloads.forEach((specialistId, inSelection) -> {
      Caseload whole = specialistCaseload(specialistId);
      if (whole == null) {
        caseloadRows.add(new CaseloadRow(specialistId, inSelection, null, CaseloadRange.flag(inSelection).name(), null,
            CaseloadRange.MIN, CaseloadRange.CAP));
      } else {
        caseloadRows.add(new CaseloadRow(specialistId, inSelection, whole.getCaseload(), whole.getFlag().name(),
            whole.getFteShare(), whole.getRangeMin(), whole.getRangeCap()));
      }
    });

    Overview overview = new Overview(filters.asMap(), selected.size(), active, awaiting,
        counts(situations, Situation.values(), Situation.UNKNOWN),
        counts(phases, Phase.values(), Phase.UNKNOWN),
        counts(exitReasons, StatusExitReason.values(), null),
        counts(services, ServicesReceived.values(), ServicesReceived.UNKNOWN),
        targetGroups.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList(),
        outcome(selected.size(), exits, intoWorkOrEducation, outcomeGroups, cohortOutcomes),
        coopWonca(CohortReport.coop(selected)),
        new Meetings(windowStart.toString(), today.toString(), attended30, missed30),
        new Caseloads(CaseloadRange.MIN, CaseloadRange.CAP, caseloadRows),
        smsCounts(scope, filters, now),
        List.of(), smallGroups.threshold(),
        now);
    boolean seesEveryRow = selected.stream().allMatch(s -> policy.canSee(user, s));
    return seesEveryRow ? overview : smallGroups.forAggregateOnlyViewer(overview);
  }

  private static CoopWonca coopWonca(CohortReport.Coop coop) {
    return new CoopWonca(coop.measured(), coop.pairs(), coop.meanFirst(), coop.meanFirstAllMeasured(), coop.meanLatest(),
        coop.best(), coop.worst(), coop.improved(), coop.unchanged(), coop.worsened());
  }

  private static Outcome outcome(long takenIn, long exits, long reached, Map<OutcomeGroup, Long> groups,
      List<CohortOutcome> cohorts) {
    GoalShare overall = new GoalShare(reached, takenIn, exits, null);
    return new Outcome(takenIn, exits, reached, overall.share(), overall.shareOfExits(),
        counts(groups, OutcomeGroup.values(), null), cohorts);
  }

  // ---- cohort report --------------------------------------------------------------------------------

  /** The chosen cohort's report as of today over the participants the user may count (aggregates only). */
  public Report report(Caller user, Filters filters) {
    Instant now = clock.instant();
    String cohortId = filters.cohort();
    Tally tally = cohortId == null ? null : model.tally("cohort:" + cohortId);
    CohortDefinition definition = tally == null ? null : tally.getCohort();
    if (definition == null) {
      return new Report(filters.asMap(), cohortId, null, List.of(), smallGroups.threshold(), now);
    }
    Predicate<ParticipantStatus> scope = policy.aggregateScope(user);
    List<ParticipantStatus> statuses = new ArrayList<>();
    for (ParticipantStatus s : model.statusesOfCohort(cohortId)) {
      if (scope.test(s) && filters.matches(s)) {
        statuses.add(s);
      }
    }
    Report report = new Report(filters.asMap(), cohortId,
        CohortReport.of(definition, statuses, LocalDate.ofInstant(now, settings.zone()), settings.zone()), List.of(),
        smallGroups.threshold(), now);
    boolean seesEveryRow = statuses.stream().allMatch(s -> policy.canSee(user, s));
    return seesEveryRow ? report : smallGroups.forAggregateOnlyViewer(report);
  }

  /**
   * The specialist's whole IPS caseload according to their tally, flagged against their range (scaled by
   * their capacity), when the status service published one.
   */
  private Caseload specialistCaseload(String specialistId) {
    Tally tally = model.tally("specialist:" + specialistId);
    if (tally == null) {
      return null;
    }
    for (Caseload c : tally.getJobSpecialistCaseloads()) {
      if (specialistId.equals(c.getSpecialistId())) {
        return c;
      }
    }
    return null;
  }

  private List<Count> smsCounts(Predicate<ParticipantStatus> scope, Filters filters, Instant now) {
    Instant from = now.minus(Duration.ofDays(30));
    Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
    for (DeliveryReceipt r : model.receiptsSince(from)) {
      ParticipantStatus s = model.status(r.getParticipantId());
      if (s == null || !scope.test(s) || !filters.matches(s)) {
        continue;
      }
      counts.merge(r.getStatus(), 1L, Long::sum);
    }
    return counts(counts, DeliveryStatus.values(), DeliveryStatus.UNKNOWN);
  }

  // ---- work list ------------------------------------------------------------------------------------

  public Worklist worklist(Caller user, Filters filters) {
    requireRows(user);
    Instant now = clock.instant();
    ZoneId zone = settings.zone();
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant dayStart = today.atStartOfDay(zone).toInstant();
    Instant dayEnd = today.plusDays(1).atStartOfDay(zone).toInstant();
    List<ParticipantStatus> visible = visibleStatuses(user, filters);
    Map<String, DeliveryReceipt> lastSms = latestReceipts(now.minus(Duration.ofDays(2)));

    List<MeetingRow> meetingsToday = new ArrayList<>();
    for (ParticipantStatus s : visible) {
      if (Participation.exited(s)) {
        continue;
      }
      for (MeetingSummary m : s.getMeetings()) {
        Instant starts = m.getStartsAt();
        if (starts == null || starts.isBefore(dayStart) || !starts.isBefore(dayEnd) || m.getState() == MeetingState.CANCELLED) {
          continue;
        }
        DeliveryReceipt sms = lastSms.get(s.getParticipantId());
        meetingsToday.add(new MeetingRow(s.getParticipantId(), s.getSituation().name(), s.getLastContactAt(),
            m.getMeetingId(), starts, m.getKind(), m.getState().name(),
            sms == null ? null : sms.getStatus().name(), sms == null ? null : sms.getAt()));
      }
    }
    meetingsToday.sort(Comparator.comparing(MeetingRow::startsAt).thenComparing(MeetingRow::participantId));

    List<TaskRow> open = new ArrayList<>();
    List<TaskRow> awaiting = new ArrayList<>();
    for (TaskRow row : taskRows(user, filters, true)) {
      (row.pending() == null ? open : awaiting).add(row);
    }

    List<MissedRow> missed = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (TaskRow t : open) {
      if (MISSED_KINDS.contains(TaskKind.valueOf(t.kind()))) {
        missed.add(new MissedRow(t.participantId(), t.situation(), t.lastContactAt(), t.meetingId(), t.meetingStartsAt(),
            null, t.kind(), t.taskId()));
        covered.add(t.participantId() + "\u0000" + t.meetingId());
      }
    }
    for (TaskRow t : awaiting) {
      covered.add(t.participantId() + "\u0000" + t.meetingId());
    }
    Instant lookback = now.minus(Duration.ofDays(settings.missedLookbackDays()));
    for (ParticipantStatus s : visible) {
      if (Participation.exited(s)) {
        continue;
      }
      for (MeetingSummary m : s.getMeetings()) {
        if (m.getState() != MeetingState.MISSED || m.getOutcomeAt() == null || m.getOutcomeAt().isBefore(lookback)) {
          continue;
        }
        boolean contactedSince = s.getLastContactAt() != null && !s.getLastContactAt().isBefore(m.getOutcomeAt());
        if (contactedSince || covered.contains(s.getParticipantId() + "\u0000" + m.getMeetingId())) {
          continue;
        }
        missed.add(new MissedRow(s.getParticipantId(), s.getSituation().name(), s.getLastContactAt(), m.getMeetingId(),
            m.getStartsAt(), m.getOutcomeAt(), "MISSED", null));
      }
    }
    missed.sort(Comparator.comparing((MissedRow r) -> r.startsAt() == null ? Instant.MAX : r.startsAt())
        .thenComparing(MissedRow::participantId));

    List<NoContactRow> noContact = new ArrayList<>();
    for (ParticipantStatus s : visible) {
      if (!Participation.active(s)) {
        continue; // exited, or never taken in: not in follow-up, so not out of contact
      }
      Instant last = s.getLastContactAt();
      Long days = last == null ? null : Duration.between(last, now).toDays();
      if (last == null || days >= settings.noContactDays()) {
        noContact.add(new NoContactRow(s.getParticipantId(), s.getSituation().name(), last, days));
      }
    }
    noContact.sort(Comparator.comparing((NoContactRow r) -> r.lastContactAt() == null ? Instant.MIN : r.lastContactAt())
        .thenComparing(NoContactRow::participantId));

    return new Worklist(filters.asMap(), today.toString(), meetingsToday, missed, open, awaiting, noContact,
        settings.noContactDays(), now);
  }

  /** Latest receipt per participant, among those at or after {@code since}. */
  private Map<String, DeliveryReceipt> latestReceipts(Instant since) {
    Map<String, DeliveryReceipt> latest = new LinkedHashMap<>();
    for (DeliveryReceipt r : model.receiptsSince(since)) {
      latest.merge(r.getParticipantId(), r, (a, b) -> a.getAt().isAfter(b.getAt()) ? a : b);
    }
    return latest;
  }

  // ---- monthly review -------------------------------------------------------------------------------

  public Review review(Caller user, Filters filters) {
    requireRows(user);
    Instant now = clock.instant();
    List<ReviewRow> rows = new ArrayList<>();
    Map<ServicesReceived, Long> services = new EnumMap<>(ServicesReceived.class);
    for (ParticipantStatus s : visibleStatuses(user, filters)) {
      if (!Participation.active(s)) {
        continue;
      }
      services.merge(s.getServicesReceived(), 1L, Long::sum);
      Long days = TimeInProject.days(s.getEnrolledAt(), s.getExitedAt(), now, settings.zone());
      rows.add(new ReviewRow(s.getParticipantId(), s.getOfficeId(), s.getCoordinatorId(), s.getCohortId(),
          s.getServicesReceived().name(), s.getSituation().name(), s.getPhase().name(), s.getEnrolledAt(), days,
          s.getLastContactAt()));
    }
    rows.sort(Comparator.comparing((ReviewRow r) -> r.enrolledAt() == null ? Instant.MAX : r.enrolledAt())
        .thenComparing(ReviewRow::participantId));
    return new Review(filters.asMap(), rows.size(), counts(services, ServicesReceived.values(), ServicesReceived.UNKNOWN),
        rows, now);
  }

  // ---- tasks ----------------------------------------------------------------------------------------

  /** Tasks the user may see; {@code openOnly} keeps OPEN ones (including those waiting for confirmation). */
  public TaskList tasks(Caller user, Filters filters, boolean openOnly) {
    requireRows(user);
    return new TaskList(filters.asMap(), openOnly ? "OPEN" : "ALL", taskRows(user, filters, openOnly), clock.instant());
  }

  private List<TaskRow> taskRows(Caller user, Filters filters, boolean openOnly) {
    List<TaskRow> rows = new ArrayList<>();
    for (CoordinatorTask t : openOnly ? model.openTasks() : model.tasks()) {
      ParticipantStatus s = model.status(t.getParticipantId());
      if (!policy.canSee(user, t, s) || !filters.matches(t, s)) {
        continue;
      }
      rows.add(taskRow(t, s));
    }
    rows.sort(Comparator.comparing(TaskRow::dueAt).thenComparing(TaskRow::taskId));
    return rows;
  }

  /** One task as a row; also what the mark-done API answers with. */
  public TaskRow taskRow(CoordinatorTask t, ParticipantStatus s) {
    String taskId = t.getTaskId().toString();
    Pending mark = t.getState() == TaskState.OPEN ? pending.get(taskId).orElse(null) : null;
    if (t.getState() != TaskState.OPEN) {
      pending.clear(taskId);
    }
    return new TaskRow(taskId, t.getKind().name(), t.getAssignee().name(), t.getParticipantId(), t.getOfficeId(),
        s == null ? null : s.getSituation().name(), s == null ? null : s.getLastContactAt(), t.getMeetingId(),
        t.getMeetingStartsAt(), t.getDueAt(), t.getState().name(), t.getSummary(),
        t.getState() == TaskState.OPEN ? TaskOutcome.forKind(t.getKind()) : List.of(), mark);
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private void requireRows(Caller user) {
    if (!policy.seesParticipantRows(user)) {
      throw new RowsNotAllowedException();
    }
  }

  private List<ParticipantStatus> visibleStatuses(Caller user, Filters filters) {
    List<ParticipantStatus> visible = new ArrayList<>();
    for (ParticipantStatus s : policy.reachable(user, model)) {
      if (policy.canSee(user, s) && filters.matches(s)) {
        visible.add(s);
      }
    }
    return visible;
  }

  /** Every symbol in declaration order with its count (zero included); the catch-all only when used. */
  private static <E extends Enum<E>> List<Count> counts(Map<E, Long> counts, E[] symbols, E catchAll) {
    List<Count> list = new ArrayList<>();
    for (E symbol : symbols) {
      long n = counts.getOrDefault(symbol, 0L);
      if (symbol == catchAll && n == 0) {
        continue;
      }
      list.add(new Count(symbol.name(), n));
    }
    return list;
  }

  /** The participant's status, for callers that act on a task. */
  public Optional<ParticipantStatus> status(String participantId) {
    return Optional.ofNullable(model.status(participantId));
  }
}
