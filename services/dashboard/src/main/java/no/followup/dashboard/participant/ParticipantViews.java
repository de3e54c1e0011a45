package no.followup.dashboard.participant;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.followup.common.auth.Caller;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.forms.EventForms;
import no.followup.dashboard.forms.FormCatalog;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.views.DashboardViews;
import no.followup.dashboard.views.ViewModels.TaskRow;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskState;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.SpecialistAssignment;

/**
 * One participant's page: the status, open tasks and meetings from the read model, the events and
 * COOP/WONCA measurements from the status service. Only for a reader the access policy lets see the
 * participant; to anyone else the participant does not exist (the same answer as for an unknown id).
 *
 * <p>A page is recomputed whenever the read model changes; the events are asked for again only when
 * the participant's status changed (every kept event changes it), so open pages do not call the
 * status service for other participants' changes.
 */
public final class ParticipantViews {

  /** Events shown on the page (newest first); the COOP/WONCA chart is drawn from those among them. */
  public static final int TIMELINE_EVENTS = 200;
  static final int CACHED_TIMELINES = 1_000;

  /** The participant is unknown, or not one the reader may see. */
  public static final class NotFound extends RuntimeException {
    public NotFound() {
      super("no such participant");
    }
  }

  /** A timeline with the status it was read for, in Avro binary (the generated equals cannot compare Instants). */
  private record Cached(ByteBuffer status, ParticipantPage.Timeline timeline) {}

  private final ReadModel model;
  private final AccessPolicy policy;
  private final DashboardViews views;
  private final EventForms forms;
  private final FormCatalog catalog;
  private final StatusClient status;
  private final Clock clock;
  private final ZoneId zone;
  private final Map<String, Cached> timelines = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > CACHED_TIMELINES;
    }
  });

  public ParticipantViews(ReadModel model, AccessPolicy policy, DashboardViews views, EventForms forms, FormCatalog catalog,
      StatusClient status, Clock clock) {
    this.model = model;
    this.policy = policy;
    this.views = views;
    this.forms = forms;
    this.catalog = catalog;
    this.status = status;
    this.clock = clock;
    this.zone = views.zone();
  }

  /** The forms a reader may use for a participant not known yet (enrolment), or empty when none. */
  public List<String> recordableForNew(Caller user) {
    return forms.recordable(user, null);
  }

  /** The participant's page for the reader. */
  public ParticipantPage page(Caller user, String participantId) {
    if (!policy.seesParticipantRows(user)) {
      throw new DashboardViews.RowsNotAllowedException();
    }
    ParticipantStatus s = model.status(participantId);
    if (s == null || !policy.canSee(user, s)) {
      throw new NotFound();
    }
    Instant now = clock.instant();
    Instant todayStart = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();

    List<TaskRow> openTasks = new ArrayList<>();
    for (CoordinatorTask t : model.tasksOf(participantId)) {
      if (t.getState() == TaskState.OPEN) {
        openTasks.add(views.taskRow(t, s));
      }
    }
    openTasks.sort(Comparator.comparing(TaskRow::dueAt).thenComparing(TaskRow::taskId));

    List<ParticipantPage.Meeting> meetings = new ArrayList<>();
    List<ParticipantPage.Meeting> upcoming = new ArrayList<>();
    for (MeetingSummary m : s.getMeetings()) {
      ParticipantPage.Meeting meeting = new ParticipantPage.Meeting(m.getMeetingId(), m.getStartsAt(), m.getKind(),
          m.getState().name());
      meetings.add(meeting);
      if (m.getState() == MeetingState.SCHEDULED && m.getStartsAt() != null && !m.getStartsAt().isBefore(todayStart)) {
        upcoming.add(meeting);
      }
    }
    Comparator<ParticipantPage.Meeting> byStart = Comparator.comparing(
        (ParticipantPage.Meeting m) -> m.startsAt() == null ? Instant.MIN : m.startsAt()).thenComparing(ParticipantPage.Meeting::meetingId);
    upcoming.sort(byStart);
    meetings.sort(byStart.reversed());

    ParticipantPage.Timeline timeline = timeline(participantId, s);
    return new ParticipantPage(participantId, summary(s, now), openTasks, upcoming, meetings, scores(timeline),
        timeline, forms.recordable(user, s), zone.getId(), now);
  }

  private ParticipantPage.Timeline timeline(String participantId, ParticipantStatus s) {
    Cached cached = timelines.get(participantId);
    ByteBuffer current = binary(s);
    // every event changes the participant's status (lastEventAt at least): an equal status, nothing new happened
    if (cached != null && cached.status().equals(current)) {
      return cached.timeline();
    }
    Optional<JsonNode> answer = status.events(participantId, TIMELINE_EVENTS);
    if (answer.isEmpty()) {
      return new ParticipantPage.Timeline(false, false, List.of());
    }
    List<JsonNode> events = new ArrayList<>();
    answer.get().path("events").forEach(events::add);
    ParticipantPage.Timeline timeline = new ParticipantPage.Timeline(true, answer.get().path("more").asBoolean(false),
        List.copyOf(events));
    timelines.put(participantId, new Cached(current, timeline));
    return timeline;
  }

  private static ByteBuffer binary(ParticipantStatus s) {
    try {
      return s.toByteBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a status", e);
    }
  }

  /** The COOP/WONCA measurements among the events, oldest first. */
  private List<ParticipantPage.Score> scores(ParticipantPage.Timeline timeline) {
    List<FormCatalog.Field> charts = catalog.form(FormCatalog.SCORE_TYPE).orElseThrow().fields();
    List<ParticipantPage.Score> scores = new ArrayList<>();
    for (JsonNode e : timeline.events()) {
      if (!FormCatalog.SCORE_TYPE.equals(e.path("type").asText())) {
        continue;
      }
      JsonNode payload = e.path("payload");
      List<Integer> items = charts.stream().map(c -> payload.path(c.name()).asInt()).toList();
      scores.add(new ParticipantPage.Score(Instant.parse(e.path("occurredAt").asText()), items,
          payload.path("average").asDouble()));
    }
    scores.sort(Comparator.comparing(ParticipantPage.Score::measuredAt));
    return scores;
  }

  private static ParticipantPage.Summary summary(ParticipantStatus s, Instant now) {
    Long days = null;
    if (s.getEnrolledAt() != null) {
      Instant end = s.getExitedAt() != null ? s.getExitedAt() : now;
      days = Math.max(0, Duration.between(s.getEnrolledAt(), end).toDays());
    }
    return new ParticipantPage.Summary(s.getOfficeId(), s.getCohortId(), s.getCoordinatorId(), s.getCounsellorId(),
        s.getEnrolled(), s.getEnrolledAt(), s.getExitedAt(), days, s.getSituation().name(), s.getPhase().name(),
        s.getExitReason() == null ? null : s.getExitReason().name(), List.copyOf(s.getTargetGroups()),
        s.getServicesReceived().name(),
        s.getSpecialists().stream().filter(a -> a.getEndedAt() == null).map(SpecialistAssignment::getSpecialistId).distinct()
            .toList(),
        s.getLastContactAt(), s.getLastContactAttemptAt(), s.getMeetingsAttended(), s.getMeetingsMissed(),
        s.getConsecutiveMisses(), s.getHomeVisits(), s.getIndividualPlanStartedAt(), s.getScoreCount(),
        s.getScoreChange() == null ? null : s.getScoreChange().name());
  }
}
