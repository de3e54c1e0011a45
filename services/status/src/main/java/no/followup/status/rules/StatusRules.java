package no.followup.status.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import no.followup.common.rules.EventTimes;
import no.followup.common.rules.IdShapes;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.ParticipantEnrolled;
import no.followup.status.ParticipantStatus;
import no.followup.status.Situation;
import no.followup.status.StatusFold;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The status rules, in one place: a pure function from a participant's events to their status.
 * {@link #fold} folds a whole history from scratch (sorted, duplicates skipped). The status service
 * folds incrementally with the same steps: {@link #newFold}, then {@link #apply} for each event in
 * order, {@link #status} to read the result; a late event is folded again from a {@link StatusFold}
 * saved before its place. Either way the status is the same, so a late or out-of-order event lands
 * where it belongs and a duplicate (same eventId) changes nothing.
 *
 * <h2>Order</h2>
 * Events are applied in {@link #ORDER}: by occurredAt, then recordedAt, then eventId (the last two
 * only break ties, deterministically).
 *
 * <h2>Situation</h2>
 * Open "situation facts" are collected while folding; the situation is the one of highest
 * precedence among them ({@link no.followup.figures.SituationPrecedence}: job, education, measure,
 * disability benefit, AAP, moved), so it does not depend on the order the facts came in:
 * <table>
 *   <caption>Situation rules</caption>
 *   <tr><th>event</th><th>opens</th><th>ends when</th></tr>
 *   <tr><td>JobStarted</td><td>JOB_OR_APPRENTICESHIP</td><td>never by itself (there is no job-ended event); a later fact takes over</td></tr>
 *   <tr><td>EducationStarted</td><td>EDUCATION</td><td>as above</td></tr>
 *   <tr><td>MeasureStarted(m) (AFT, work training, job centre, KVP, other; IPS only in older events)</td><td>MEASURE_OR_ACTIVITY</td><td>MeasureEnded(m) for every open m</td></tr>
 *   <tr><td>ServiceStarted(JOB_SUPPORT_IPS, specialist) ({@link no.followup.figures.Ips}: IPS is a service)</td><td>MEASURE_OR_ACTIVITY</td><td>ServiceEnded(JOB_SUPPORT_IPS, that specialist)</td></tr>
 *   <tr><td>BenefitGranted(AAP)</td><td>HEALTH_BENEFIT_AAP</td><td>a later fact takes over</td></tr>
 *   <tr><td>BenefitGranted(DISABILITY)</td><td>DISABILITY_BENEFIT</td><td>a later fact takes over</td></tr>
 *   <tr><td>BenefitGranted(OTHER)</td><td>nothing</td><td></td></tr>
 *   <tr><td>ParticipantMoved</td><td>MOVED</td><td>only a later re-enrolment</td></tr>
 * </table>
 * <b>No regular activity</b>: enrolled, and no open job, education, measure, AAP or disability
 * benefit, not moved. Meetings, home visits, contacts and mappings are follow-up, not activity:
 * they never change the situation.
 *
 * <p><b>Exit</b> (ParticipantExited) sets phase EXITED and the exit reason, and the reason decides
 * the situation: ORDINARY_WORK → JOB_OR_APPRENTICESHIP, EDUCATION → EDUCATION, MOVED → MOVED,
 * ANOTHER_MEASURE → MEASURE_OR_ACTIVITY, HEALTH_BENEFIT_AAP → HEALTH_BENEFIT_AAP,
 * DISABILITY_BENEFIT → DISABILITY_BENEFIT, KVP / TREATMENT / PARENTAL_LEAVE → OTHER_FOLLOW_UP,
 * NON_ATTENDANCE → NO_REGULAR_ACTIVITY; OTHER keeps the situation the facts give. A later
 * ParticipantEnrolled re-enrols: it clears the exit, a move and the job or education they left
 * with, and starts the COOP/WONCA pair afresh.
 *
 * <h2>Phase</h2>
 * AWAITING_ENROLMENT (no enrolment known) → ENROLLED → MAPPING (a mapping completed) → FOLLOW_UP
 * (an attended meeting, home visit or reached contact after the first mapping, or an individual
 * plan) → IN_MEASURE (situation MEASURE_OR_ACTIVITY) → IN_WORK (situation JOB_OR_APPRENTICESHIP or
 * EDUCATION) → EXITED. The situation-based phases win over the progression ones.
 *
 * <h2>Meetings</h2>
 * Per meetingId: Scheduled/Rescheduled set the time (and revive a cancelled meeting), Attended and
 * Missed set the outcome (the later one wins), Cancelled cancels unless attended, a completed home
 * visit with a meetingId counts as that meeting attended. Scheduling never erases an outcome.
 * Consecutive misses: trailing MISSED outcomes of the listed meetings in outcome order. Last
 * contact: enrolment, attended meeting, home visit, or ContactMade with reached=true.
 *
 * <h2>Bounds</h2>
 * The fold state, and so the status, is bounded whatever the history: it is rewritten on every
 * event and published whole, so its size is the cost of an event and must stay far below the
 * broker's record limit. Real participants stay well inside these caps, where nothing is dropped:
 * <ul>
 *   <li>meetings: {@value #MAX_LISTED_MEETINGS} are listed (in order of first mention); when a new
 *       one comes, a settled meeting leaves first (least recently active), else the one furthest
 *       ahead; one that leaves the list stays counted in the meeting totals, and an event for it
 *       afterwards starts it afresh;</li>
 *   <li>specialist assignments: {@value #MAX_LISTED_ASSIGNMENTS}, the oldest ended one leaving
 *       first; mappings: the latest {@value #MAX_LISTED_MAPPINGS} (the first mapping's time is kept
 *       apart, for the phase);</li>
 *   <li>open starts per measure: the latest {@value #MAX_OPEN_STARTS_PER_MEASURE};</li>
 *   <li>every id an event brings into the state: of the data's shapes ({@link IdShapes}: at most
 *       {@value IdShapes#MAX_ID_LENGTH} characters), as the intake accepts (any other is rejected by
 *       {@link #validate}).</li>
 * </ul>
 *
 * <h2>COOP/WONCA</h2>
 * Each measurement is reduced to its 7-item sum. The pair is the first measurement at or after the
 * enrolment and the last at or before the exit (measurements outside the stay are not kept); with
 * two or more, the change is {@link no.followup.figures.CoopWonca#change} (lower is better, any
 * change of the average counts: the report gives no threshold).
 */
public final class StatusRules {

  /** Meetings listed in the status (the most recently active). */
  public static final int MAX_LISTED_MEETINGS = 50;
  /** Specialist assignments listed in the status. */
  public static final int MAX_LISTED_ASSIGNMENTS = 20;
  /** Mappings listed in the status (the latest). */
  public static final int MAX_LISTED_MAPPINGS = 20;
  /** Open starts remembered per measure (the latest). */
  public static final int MAX_OPEN_STARTS_PER_MEASURE = 20;

  /** Fold order: occurredAt, then recordedAt, then eventId. */
  public static final Comparator<FollowUpEvent> ORDER = Comparator
      .comparing(FollowUpEvent::getOccurredAt)
      .thenComparing(FollowUpEvent::getRecordedAt)
      .thenComparing(e -> e.getEventId().toString());

  private StatusRules() {}

  /**
   * Rejects an event the rules cannot apply (before it is stored, so it cannot poison later folds).
   *
   * @throws InvalidEventException naming the problem, never a value
   */
  public static void validate(FollowUpEvent event) {
    if (event.getEventId() == null || event.getParticipantId() == null || event.getParticipantId().isBlank()) {
      throw new InvalidEventException("event without eventId or participantId");
    }
    if (event.getOccurredAt() == null || event.getRecordedAt() == null) {
      throw new InvalidEventException("event without occurredAt or recordedAt");
    }
    if (!EventTimes.occurredByRecording(event.getOccurredAt(), event.getRecordedAt())) {
      // as the intake refuses it: nothing is recorded before it happens, and a meeting outcome dated
      // ahead would open a day counter in the office's tally that no window ever prunes
      throw new InvalidEventException("occurredAt after recordedAt");
    }
    Object p = event.getPayload();
    if (p == null) {
      throw new InvalidEventException("event without payload");
    }
    requireBoundedIds(event);
    if (p instanceof FunctionScoreRecorded s) {
      for (int item : items(s)) {
        if (item < 1 || item > 5) {
          throw new InvalidEventException("COOP/WONCA item outside 1-5");
        }
      }
    }
    if (p instanceof ParticipantEnrolled e && (e.getTargetGroups() == null || e.getCoordinatorId() == null)) {
      throw new InvalidEventException("enrolment without target groups or coordinator");
    }
  }

  /**
   * The state keeps ids from events (meetings, specialists, coordinators), and the participantId
   * keys the status topic, so they are held to the data's shapes ({@link IdShapes}), as the intake
   * holds them: no identity number, no line break, nothing longer than an id. The intake enforces
   * them; records written before it did, or by anything else with access, are still on the event log.
   * A text field not named here is an id, the strictest shape, as in the intake.
   */
  private static void requireBoundedIds(FollowUpEvent event) {
    requireShape("participantId", event.getParticipantId(), IdShapes::isPseudonymousId, IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
    if (event.getOfficeId() != null && !event.getOfficeId().isBlank()) {
      requireShape("officeId", event.getOfficeId(), IdShapes::isNavUnitNumber, IdShapes.NAV_UNIT_NUMBER_DESCRIPTION);
    }
    if (event.getCohortId() != null) {
      requireShape("cohortId", event.getCohortId(), IdShapes::isCohortSlug, IdShapes.COHORT_SLUG_DESCRIPTION);
    }
    if (event.getPayload() instanceof SpecificRecord payload) {
      for (Schema.Field field : payload.getSchema().getFields()) {
        if (payload.get(field.pos()) instanceof CharSequence text) {
          String name = "payload." + field.name();
          switch (field.name()) {
            // a project's display name (CohortDefinitions bounds it), and what a sealed payload names
            case "name" -> requireLength(name, text, CohortDefinitions.MAX_NAME_LENGTH);
            case "keyId", "payloadType", "toMunicipality" -> requireLength(name, text, IdShapes.MAX_ID_LENGTH);
            default -> requireShape(name, text, IdShapes::isPseudonymousId, IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
          }
        }
      }
    }
  }

  /** Names the field and the shape, never the value. */
  private static void requireShape(String field, CharSequence value, Predicate<CharSequence> shape, String description) {
    if (!shape.test(value)) {
      throw new InvalidEventException(field + " is not " + description);
    }
  }

  private static void requireLength(String field, CharSequence value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidEventException(field + " longer than " + maxLength + " characters");
    }
  }

  /** The situation an exit reason implies; null for OTHER (the facts decide). */
  public static Situation situationForExit(ExitReason reason) {
    return switch (reason) {
      case ORDINARY_WORK -> Situation.JOB_OR_APPRENTICESHIP;
      case EDUCATION -> Situation.EDUCATION;
      case MOVED -> Situation.MOVED;
      case ANOTHER_MEASURE -> Situation.MEASURE_OR_ACTIVITY;
      case HEALTH_BENEFIT_AAP -> Situation.HEALTH_BENEFIT_AAP;
      case DISABILITY_BENEFIT -> Situation.DISABILITY_BENEFIT;
      case KVP, TREATMENT, PARENTAL_LEAVE -> Situation.OTHER_FOLLOW_UP;
      case NON_ATTENDANCE -> Situation.NO_REGULAR_ACTIVITY;
      case OTHER -> null;
    };
  }

  public static int itemSum(FunctionScoreRecorded s) {
    int sum = 0;
    for (int item : items(s)) {
      sum += item;
    }
    return sum;
  }

  private static int[] items(FunctionScoreRecorded s) {
    return new int[] {s.getPhysicalFitness(), s.getFeelings(), s.getDailyActivities(), s.getSocialActivities(),
        s.getChangeInHealth(), s.getOverallHealth(), s.getPain()};
  }

  /** The state before any event. */
  public static StatusFold newFold() {
    return StatusFold.newBuilder().build();
  }

  /**
   * Applies {@code event} to {@code fold} in place. The event must come after every event already
   * in the fold in {@link #ORDER} and must not be one of them; a ParticipantErased event only takes
   * its place in the order (erasure is the topology's: it deletes the state instead).
   */
  public static void apply(StatusFold fold, FollowUpEvent event) {
    FoldStep.apply(fold, event);
  }

  /** The status a fold stands at (it needs at least one event folded). */
  public static ParticipantStatus status(String participantId, StatusFold fold) {
    if (fold.getEventCount() == 0) {
      throw new IllegalArgumentException("no events folded");
    }
    return StatusView.of(participantId, fold);
  }

  /**
   * The status after {@code events} (any order; sorted here by {@link #ORDER}; distinct eventIds
   * expected, later duplicates are skipped), folded from scratch. ParticipantErased events are
   * ignored here: erasure is handled by the topology, which deletes the state instead of folding it.
   */
  public static ParticipantStatus fold(String participantId, List<FollowUpEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events to fold");
    }
    List<FollowUpEvent> ordered = new ArrayList<>(events);
    ordered.sort(ORDER);
    StatusFold fold = newFold();
    Set<UUID> seen = new HashSet<>();
    for (FollowUpEvent e : ordered) {
      if (seen.add(e.getEventId())) {
        apply(fold, e);
      }
    }
    return StatusView.of(participantId, fold);
  }
}
