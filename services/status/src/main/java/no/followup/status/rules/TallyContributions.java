package no.followup.status.rules;

import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import no.followup.figures.Ips;
import no.followup.figures.OutcomeGroup;
import no.followup.figures.Participation;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;
import no.followup.status.StatusExitReason;

/**
 * What one participant's status contributes to each tally, as named counters, and the delta
 * between two statuses. Tallies are kept by adding {@code contribution(new) - contribution(old)}
 * whenever a status changes (never by recounting), so every figure of a tally must be a sum over
 * participants. Means, shares and extremes are derived from such sums in {@link TallyViews}:
 * <ul>
 *   <li>means of COOP/WONCA averages from the summed 7-item sums and the count of pairs;</li>
 *   <li>best and worst from a multiset of item sums ({@code coop.score.<sum>} → how many), from
 *       which a retracted value disappears exactly;</li>
 *   <li>meetings in the last 30 days from per-day counters ({@code day.attended.<date>}), of which
 *       the view sums the days in the window; days that fell out of the window are dropped from
 *       state by the tally processor.</li>
 * </ul>
 *
 * <p>Tally keys of a participant: {@code office:<officeId>}, {@code coordinator:<id>},
 * {@code specialist:<id>} for every specialist who has served them, {@code cohort:<cohortId>} and
 * {@code cohort-group:<cohortId>|<TargetGroup>} for each of their target groups. A participant
 * awaiting enrolment counts only as {@code awaitingEnrolment} in their office and cohort.
 */
public final class TallyContributions {

  public static final String OFFICE = "office:";
  public static final String COORDINATOR = "coordinator:";
  public static final String SPECIALIST = "specialist:";
  public static final String COHORT = "cohort:";
  public static final String COHORT_GROUP = "cohort-group:";

  public static final String PARTICIPANTS = "participants";
  public static final String ACTIVE = "active";
  public static final String AWAITING_ENROLMENT = "awaitingEnrolment";
  public static final String REFERRED = "referred";
  /** Referred and not taken in: {@link Participation#referralDeclined}. */
  public static final String REFERRALS_DECLINED = "referralsDeclined";
  public static final String SITUATION = "situation.";
  public static final String PHASE = "phase.";
  public static final String EXIT_REASON = "exit.";
  public static final String EXITS = "exits";
  /** Reached work or education: {@link Participation#reachedWorkOrEducation}. */
  public static final String EXITS_WORK_OR_EDUCATION = "exits.workOrEducation";
  /** {@code outcome.<OutcomeGroup>}: exits per {@link no.followup.figures.OutcomeGroup}. */
  public static final String OUTCOME_GROUP = "outcome.";
  public static final String SERVICES = "services.";
  public static final String TARGET_GROUP = "targetGroup.";
  /** {@code caseload.<specialistId>}: active participant with an open JOB_SUPPORT_IPS assignment. */
  public static final String CASELOAD = "caseload.";
  public static final String COOP_MEASURED = "coop.measured";
  public static final String COOP_PAIRS = "coop.pairs";
  public static final String COOP_FIRST_SUM = "coop.firstSum";
  /** First 7-item sum of every measured participant, pair or not. */
  public static final String COOP_FIRST_SUM_ALL_MEASURED = "coop.firstSumAllMeasured";
  public static final String COOP_LATEST_SUM = "coop.latestSum";
  public static final String COOP_IMPROVED = "coop.improved";
  public static final String COOP_UNCHANGED = "coop.unchanged";
  public static final String COOP_WORSENED = "coop.worsened";
  /** {@code coop.score.<itemSum>}: how many first/latest measurements of pairs have that 7-item sum. */
  public static final String COOP_SCORE = "coop.score.";
  public static final String MEETINGS_ATTENDED = "meetings.attended";
  public static final String MEETINGS_MISSED = "meetings.missed";
  public static final String HOME_VISITS = "homeVisits";
  public static final String DAY_ATTENDED = "day.attended.";
  public static final String DAY_MISSED = "day.missed.";

  private static final EnumCounterNames<Situation> SITUATIONS = new EnumCounterNames<>(SITUATION, Situation.class);
  private static final EnumCounterNames<Phase> PHASES = new EnumCounterNames<>(PHASE, Phase.class);
  private static final EnumCounterNames<StatusExitReason> EXIT_REASONS =
      new EnumCounterNames<>(EXIT_REASON, StatusExitReason.class);
  private static final EnumCounterNames<OutcomeGroup> OUTCOME_GROUPS =
      new EnumCounterNames<>(OUTCOME_GROUP, OutcomeGroup.class);
  private static final EnumCounterNames<ServicesReceived> SERVICES_RECEIVED =
      new EnumCounterNames<>(SERVICES, ServicesReceived.class);

  private TallyContributions() {}

  public static String cohortGroupKey(String cohortId, String targetGroup) {
    return COHORT_GROUP + cohortId + "|" + targetGroup;
  }

  /** The cohort a cohort or cohort-group tally key is about; null for other keys. */
  public static String cohortOf(String key) {
    if (key.startsWith(COHORT_GROUP)) {
      String rest = key.substring(COHORT_GROUP.length());
      int bar = rest.lastIndexOf('|');
      return bar < 0 ? rest : rest.substring(0, bar);
    }
    return key.startsWith(COHORT) ? key.substring(COHORT.length()) : null;
  }

  /** The tally keys a status counts in, in a stable order. */
  public static Set<String> keys(ParticipantStatus s) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(OFFICE + s.getOfficeId());
    if (s.getCohortId() != null) {
      keys.add(COHORT + s.getCohortId());
    }
    if (!s.getEnrolled()) {
      return keys;
    }
    if (s.getCoordinatorId() != null) {
      keys.add(COORDINATOR + s.getCoordinatorId());
    }
    for (SpecialistAssignment a : s.getSpecialists()) {
      keys.add(SPECIALIST + a.getSpecialistId());
    }
    if (s.getCohortId() != null) {
      for (String group : s.getTargetGroups()) {
        keys.add(cohortGroupKey(s.getCohortId(), group));
      }
    }
    return keys;
  }

  /**
   * The counters one status adds to each of its tallies (the same for every key), in no particular
   * order: the count works these out for every changed participant, twice, so they are hashed, and
   * the names of enum values are made once ({@link EnumCounterNames}).
   */
  public static Map<String, Long> counters(ParticipantStatus s, ZoneId zone) {
    Map<String, Long> c = new HashMap<>(64);
    if (Participation.referred(s)) {
      c.put(REFERRED, 1L);
    }
    if (Participation.referralDeclined(s)) {
      c.put(REFERRALS_DECLINED, 1L);
      return c;
    }
    if (Participation.awaitingEnrolment(s)) {
      c.put(AWAITING_ENROLMENT, 1L);
      return c;
    }
    boolean exited = Participation.exited(s);
    c.put(PARTICIPANTS, 1L);
    if (!exited) {
      c.put(ACTIVE, 1L);
    }
    c.put(SITUATIONS.of(s.getSituation()), 1L);
    c.put(PHASES.of(s.getPhase()), 1L);
    if (exited) {
      c.put(EXITS, 1L);
      c.put(EXIT_REASONS.of(s.getExitReason() == null ? StatusExitReason.OTHER : s.getExitReason()), 1L);
      c.put(OUTCOME_GROUPS.of(Participation.outcomeGroup(s)), 1L);
      if (Participation.reachedWorkOrEducation(s)) {
        c.put(EXITS_WORK_OR_EDUCATION, 1L);
      }
    }
    c.put(SERVICES_RECEIVED.of(s.getServicesReceived()), 1L);
    for (String group : s.getTargetGroups()) {
      c.put(TARGET_GROUP + group, 1L);
    }
    if (!exited) {
      for (SpecialistAssignment a : s.getSpecialists()) {
        if (Ips.isOpenIps(a)) {
          c.put(CASELOAD + a.getSpecialistId(), 1L);
        }
      }
    }
    if (s.getScoreCount() >= 1) {
      c.put(COOP_MEASURED, 1L);
      c.put(COOP_FIRST_SUM_ALL_MEASURED, (long) s.getFirstScore().getItemSum());
    }
    if (s.getScoreCount() >= 2) {
      int first = s.getFirstScore().getItemSum();
      int latest = s.getLatestScore().getItemSum();
      c.put(COOP_PAIRS, 1L);
      c.put(COOP_FIRST_SUM, (long) first);
      c.put(COOP_LATEST_SUM, (long) latest);
      switch (s.getScoreChange()) {
        case IMPROVED -> c.put(COOP_IMPROVED, 1L);
        case WORSENED -> c.put(COOP_WORSENED, 1L);
        default -> c.put(COOP_UNCHANGED, 1L);
      }
      c.merge(COOP_SCORE + first, 1L, Long::sum);
      c.merge(COOP_SCORE + latest, 1L, Long::sum);
    }
    putIfPositive(c, MEETINGS_ATTENDED, s.getMeetingsAttended());
    putIfPositive(c, MEETINGS_MISSED, s.getMeetingsMissed());
    putIfPositive(c, HOME_VISITS, s.getHomeVisits());
    for (MeetingSummary m : s.getMeetings()) {
      if (m.getOutcomeAt() == null) {
        continue;
      }
      if (m.getState() == MeetingState.ATTENDED) {
        c.merge(DayCounterNames.of(m.getOutcomeAt(), zone).attended(), 1L, Long::sum);
      } else if (m.getState() == MeetingState.MISSED) {
        c.merge(DayCounterNames.of(m.getOutcomeAt(), zone).missed(), 1L, Long::sum);
      }
    }
    return c;
  }

  /** Every tally key with its contribution; empty for a null status. */
  public static Map<String, Map<String, Long>> contributions(ParticipantStatus s, ZoneId zone) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    if (s == null) {
      return out;
    }
    Map<String, Long> counters = counters(s, zone);
    for (String key : keys(s)) {
      out.put(key, counters);
    }
    return out;
  }

  /**
   * Per tally key, {@code contribution(current) - contribution(previous)}, zero counters and keys
   * without any change left out. Either side may be null (new participant / erasure). Every key of
   * a status gets the same counters, so the change is worked out once for the keys both statuses
   * count in, and only when there is such a key (the returned maps may be shared between keys, and
   * are read-only).
   */
  public static Map<String, Map<String, Long>> deltas(ParticipantStatus previous, ParticipantStatus current, ZoneId zone) {
    Set<String> beforeKeys = previous == null ? Set.of() : keys(previous);
    Set<String> afterKeys = current == null ? Set.of() : keys(current);
    Map<String, Long> before = previous == null ? Map.of() : counters(previous, zone);
    Map<String, Long> after = current == null ? Map.of() : Collections.unmodifiableMap(counters(current, zone));
    Map<String, Map<String, Long>> deltas = new HashMap<>();
    Map<String, Long> changed = null;
    for (String key : afterKeys) {
      if (!beforeKeys.contains(key)) {
        putIfAny(deltas, key, after);
      } else {
        if (changed == null) {
          changed = Collections.unmodifiableMap(TallyArithmetic.subtract(after, before));
        }
        putIfAny(deltas, key, changed);
      }
    }
    Map<String, Long> removed = null;
    for (String key : beforeKeys) {
      if (!afterKeys.contains(key)) {
        if (removed == null) {
          removed = Collections.unmodifiableMap(TallyArithmetic.subtract(Map.of(), before));
        }
        putIfAny(deltas, key, removed);
      }
    }
    return deltas;
  }

  private static void putIfAny(Map<String, Map<String, Long>> deltas, String key, Map<String, Long> delta) {
    if (!delta.isEmpty()) {
      deltas.put(key, delta);
    }
  }

  private static void putIfPositive(Map<String, Long> c, String name, int value) {
    if (value > 0) {
      c.put(name, (long) value);
    }
  }
}
