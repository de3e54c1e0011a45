package no.followup.status.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.followup.events.BenefitGranted;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.JobStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.FunctionScore;
import no.followup.status.MappingDone;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ScoreChange;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;
import no.followup.status.StatusExitReason;

/**
 * The status rules, in one place: a pure function from a participant's events to their status.
 * The status service keeps every distinct event of a participant and re-folds them through
 * {@link #fold} on each new one, so a late or out-of-order event lands where it belongs and a
 * duplicate (same eventId) changes nothing.
 *
 * <h2>Order</h2>
 * Events are applied in {@link #ORDER}: by occurredAt, then recordedAt, then eventId (the last two
 * only break ties, deterministically).
 *
 * <h2>Situation</h2>
 * Open "situation facts" are collected while folding; the situation is the fact opened last:
 * <table>
 *   <caption>Situation rules</caption>
 *   <tr><th>event</th><th>opens</th><th>ends when</th></tr>
 *   <tr><td>JobStarted</td><td>JOB_OR_APPRENTICESHIP</td><td>never by itself (there is no job-ended event); a later fact takes over</td></tr>
 *   <tr><td>EducationStarted</td><td>EDUCATION</td><td>as above</td></tr>
 *   <tr><td>MeasureStarted(m) (AFT, IPS, work training, job centre, KVP, other)</td><td>MEASURE_OR_ACTIVITY</td><td>MeasureEnded(m) for every open m</td></tr>
 *   <tr><td>BenefitGranted(AAP)</td><td>HEALTH_BENEFIT_AAP</td><td>a later fact takes over</td></tr>
 *   <tr><td>BenefitGranted(DISABILITY)</td><td>DISABILITY_BENEFIT</td><td>a later fact takes over</td></tr>
 *   <tr><td>BenefitGranted(OTHER)</td><td>nothing</td><td></td></tr>
 *   <tr><td>ParticipantMoved</td><td>MOVED, which overrides every other fact</td><td>only a later re-enrolment</td></tr>
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
 * ParticipantEnrolled re-enrols (clears the exit and a move).
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
 * Consecutive misses: trailing MISSED outcomes in outcome order. Last contact: enrolment, attended
 * meeting, home visit, or ContactMade with reached=true.
 *
 * <h2>COOP/WONCA</h2>
 * Each measurement is reduced to its 7-item sum (average = sum / 7; 1 best, 5 worst). First =
 * earliest, latest = most recent. With two or more: IMPROVED when latest ≤ first − {@value
 * #SCORE_THRESHOLD}, WORSENED when latest ≥ first + {@value #SCORE_THRESHOLD}, else UNCHANGED. As
 * averages move in steps of 1/7, this means a change of the item sum by at least 2.
 */
public final class StatusRules {

  /** Change in the COOP/WONCA average that counts as improved or worsened. */
  public static final double SCORE_THRESHOLD = 0.25;
  /** {@link #SCORE_THRESHOLD} in hundredths, for exact integer arithmetic. */
  private static final int SCORE_THRESHOLD_HUNDREDTHS = 25;
  public static final int SCORE_ITEMS = 7;

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
    Object p = event.getPayload();
    if (p == null) {
      throw new InvalidEventException("event without payload");
    }
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

  /** COOP/WONCA change of a pair of 7-item sums (exact: no floating point). */
  public static ScoreChange scoreChange(int firstSum, int latestSum) {
    int deltaTimesHundred = (latestSum - firstSum) * 100;
    int thresholdTimesSeven = SCORE_THRESHOLD_HUNDREDTHS * SCORE_ITEMS;
    if (deltaTimesHundred <= -thresholdTimesSeven) {
      return ScoreChange.IMPROVED;
    }
    if (deltaTimesHundred >= thresholdTimesSeven) {
      return ScoreChange.WORSENED;
    }
    return ScoreChange.UNCHANGED;
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

  /**
   * The status after {@code events} (any order; sorted here by {@link #ORDER}; distinct eventIds
   * expected, later duplicates are skipped). ParticipantErased events are ignored here: erasure is
   * handled by the topology, which deletes the history instead of folding it.
   */
  public static ParticipantStatus fold(String participantId, List<FollowUpEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events to fold");
    }
    List<FollowUpEvent> ordered = new ArrayList<>(events);
    ordered.sort(ORDER);
    Fold f = new Fold();
    java.util.Set<java.util.UUID> seen = new java.util.HashSet<>();
    for (FollowUpEvent e : ordered) {
      if (seen.add(e.getEventId())) {
        f.apply(e);
      }
    }
    return f.toStatus(participantId);
  }

  /** Mutable state of one fold; lives only inside {@link #fold}. */
  private static final class Fold {
    int index; // position in fold order: "which fact is newest" without relying on equal timestamps
    int eventCount;
    Instant lastEventAt = Instant.EPOCH;
    String officeOfLatestEvent;
    String cohortOfLatestEvent;

    boolean enrolled;
    Instant enrolledAt;
    String enrolmentOffice;
    String enrolmentCohort;
    List<String> targetGroups = List.of();
    String coordinatorId;
    String counsellorId;

    Instant exitedAt;
    ExitReason exitReason;

    // open situation facts: index at which they were opened (-1 = closed)
    int jobSince = -1;
    int educationSince = -1;
    int aapSince = -1;
    int disabilitySince = -1;
    boolean moved;
    final Map<Measure, List<Integer>> openMeasures = new EnumMap<>(Measure.class);

    final List<SpecialistAssignment> specialists = new ArrayList<>();
    boolean healthSupport;
    boolean jobSupport;

    final List<MappingDone> mappings = new ArrayList<>();
    Instant firstMappingAt;
    boolean followUpContactAfterMapping;
    Instant individualPlanStartedAt;

    final Map<String, MeetingSummary> meetings = new LinkedHashMap<>();
    int homeVisits;
    Instant lastContactAt;
    Instant lastContactAttemptAt;

    FunctionScore firstScore;
    FunctionScore latestScore;
    int scoreCount;

    void apply(FollowUpEvent e) {
      index++;
      Object p = e.getPayload();
      if (p instanceof ParticipantErased) {
        return;
      }
      eventCount++;
      Instant at = e.getOccurredAt();
      if (at.isAfter(lastEventAt)) {
        lastEventAt = at;
      }
      officeOfLatestEvent = e.getOfficeId();
      if (e.getCohortId() != null) {
        cohortOfLatestEvent = e.getCohortId();
      }

      if (p instanceof ParticipantEnrolled en) {
        enrol(e, en, at);
      } else if (p instanceof CoordinatorAssigned ca) {
        coordinatorId = ca.getCoordinatorId();
      } else if (p instanceof MappingCompleted m) {
        mappings.add(new MappingDone(m.getInstrument().name(), at));
        if (firstMappingAt == null) {
          firstMappingAt = at;
        }
      } else if (p instanceof MeetingScheduled ms) {
        schedule(ms.getMeetingId(), ms.getStartsAt(), ms.getKind());
      } else if (p instanceof MeetingRescheduled mr) {
        schedule(mr.getMeetingId(), mr.getStartsAt(), mr.getKind());
      } else if (p instanceof MeetingCancelled mc) {
        MeetingSummary m = meeting(mc.getMeetingId(), null);
        if (m.getState() != MeetingState.ATTENDED) {
          m.setState(MeetingState.CANCELLED);
          m.setOutcomeAt(null);
        }
      } else if (p instanceof MeetingAttended ma) {
        outcome(ma.getMeetingId(), MeetingState.ATTENDED, at, null);
        contact(at);
      } else if (p instanceof MeetingMissed mm) {
        outcome(mm.getMeetingId(), MeetingState.MISSED, at, null);
      } else if (p instanceof HomeVisitCompleted hv) {
        homeVisits++;
        if (hv.getMeetingId() != null) {
          outcome(hv.getMeetingId(), MeetingState.ATTENDED, at, MeetingKind.HOME_VISIT);
        }
        contact(at);
      } else if (p instanceof ContactMade c) {
        if (c.getReached()) {
          contact(at);
        } else if (lastContactAttemptAt == null || at.isAfter(lastContactAttemptAt)) {
          lastContactAttemptAt = at;
        }
      } else if (p instanceof ServiceStarted ss) {
        startService(ss.getService(), ss.getSpecialistId(), at);
      } else if (p instanceof ServiceEnded se) {
        endService(se.getService(), se.getSpecialistId(), at);
      } else if (p instanceof MeasureStarted ms) {
        openMeasures.computeIfAbsent(ms.getMeasure(), k -> new ArrayList<>()).add(index);
      } else if (p instanceof MeasureEnded me) {
        List<Integer> open = openMeasures.get(me.getMeasure());
        if (open != null && !open.isEmpty()) {
          open.remove(open.size() - 1);
        }
      } else if (p instanceof JobStarted) {
        jobSince = index;
      } else if (p instanceof EducationStarted) {
        educationSince = index;
      } else if (p instanceof BenefitGranted bg) {
        switch (bg.getBenefit()) {
          case AAP -> aapSince = index;
          case DISABILITY -> disabilitySince = index;
          default -> { /* other benefits do not decide the situation */ }
        }
      } else if (p instanceof ParticipantMoved) {
        moved = true;
      } else if (p instanceof FunctionScoreRecorded s) {
        int sum = itemSum(s);
        FunctionScore score = new FunctionScore(sum, sum / (double) SCORE_ITEMS, at);
        if (firstScore == null) {
          firstScore = score;
        }
        latestScore = score;
        scoreCount++;
      } else if (p instanceof IndividualPlanStarted) {
        if (individualPlanStartedAt == null) {
          individualPlanStartedAt = at;
        }
      } else if (p instanceof ParticipantExited x) {
        exitedAt = at;
        exitReason = x.getReason();
      }
    }

    private void enrol(FollowUpEvent e, ParticipantEnrolled en, Instant at) {
      boolean reEnrolment = exitedAt != null || moved;
      if (!enrolled || reEnrolment) {
        enrolledAt = at;
      }
      enrolled = true;
      exitedAt = null;
      exitReason = null;
      moved = false;
      enrolmentOffice = e.getOfficeId();
      enrolmentCohort = e.getCohortId();
      targetGroups = en.getTargetGroups().stream().map(TargetGroup::name).distinct().toList();
      coordinatorId = en.getCoordinatorId();
      if (en.getCounsellorId() != null) {
        counsellorId = en.getCounsellorId();
      }
      contact(at);
    }

    private void contact(Instant at) {
      if (lastContactAt == null || at.isAfter(lastContactAt)) {
        lastContactAt = at;
      }
      if (firstMappingAt != null && !at.isBefore(firstMappingAt)) {
        followUpContactAfterMapping = true;
      }
    }

    private MeetingSummary meeting(String meetingId, MeetingKind kind) {
      return meetings.computeIfAbsent(meetingId, id -> new MeetingSummary(id, null,
          kind == null ? null : kind.name(), MeetingState.SCHEDULED, null));
    }

    private void schedule(String meetingId, Instant startsAt, MeetingKind kind) {
      MeetingSummary m = meeting(meetingId, kind);
      m.setStartsAt(startsAt);
      if (kind != null) {
        m.setKind(kind.name());
      }
      if (m.getState() == MeetingState.CANCELLED) {
        m.setState(MeetingState.SCHEDULED);
      }
    }

    private void outcome(String meetingId, MeetingState state, Instant at, MeetingKind kindIfNew) {
      MeetingSummary m = meeting(meetingId, kindIfNew);
      m.setState(state);
      m.setOutcomeAt(at);
    }

    private void startService(SupportService service, String specialistId, Instant at) {
      boolean alreadyOpen = specialists.stream().anyMatch(a -> a.getService().equals(service.name())
          && a.getSpecialistId().equals(specialistId) && a.getEndedAt() == null);
      if (!alreadyOpen) {
        specialists.add(new SpecialistAssignment(service.name(), specialistId, at, null));
      }
      if (service == SupportService.HEALTH_SUPPORT) {
        healthSupport = true;
      } else if (service == SupportService.JOB_SUPPORT_IPS) {
        jobSupport = true;
      }
    }

    private void endService(SupportService service, String specialistId, Instant at) {
      for (SpecialistAssignment a : specialists) {
        if (a.getService().equals(service.name()) && a.getSpecialistId().equals(specialistId) && a.getEndedAt() == null) {
          a.setEndedAt(at);
          return;
        }
      }
    }

    Situation situationFromFacts() {
      if (moved) {
        return Situation.MOVED;
      }
      Situation best = Situation.NO_REGULAR_ACTIVITY;
      int bestSince = -1;
      int measureSince = openMeasures.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).max().orElse(-1);
      int[] since = {jobSince, educationSince, measureSince, aapSince, disabilitySince};
      Situation[] situation = {Situation.JOB_OR_APPRENTICESHIP, Situation.EDUCATION, Situation.MEASURE_OR_ACTIVITY,
          Situation.HEALTH_BENEFIT_AAP, Situation.DISABILITY_BENEFIT};
      for (int i = 0; i < since.length; i++) {
        if (since[i] > bestSince) {
          bestSince = since[i];
          best = situation[i];
        }
      }
      return best;
    }

    ParticipantStatus toStatus(String participantId) {
      Situation situation;
      Phase phase;
      if (!enrolled) {
        situation = Situation.UNKNOWN;
        phase = Phase.AWAITING_ENROLMENT;
      } else {
        situation = situationFromFacts();
        if (exitReason != null) {
          Situation implied = situationForExit(exitReason);
          if (implied != null) {
            situation = implied;
          }
        }
        phase = phase(situation);
      }

      List<MeetingSummary> meetingList = new ArrayList<>(meetings.values());
      int attended = 0;
      int missed = 0;
      int cancelled = 0;
      for (MeetingSummary m : meetingList) {
        switch (m.getState()) {
          case ATTENDED -> attended++;
          case MISSED -> missed++;
          case CANCELLED -> cancelled++;
          default -> { }
        }
      }
      ScoreChange change = scoreCount >= 2 ? scoreChange(firstScore.getItemSum(), latestScore.getItemSum())
          : ScoreChange.NOT_MEASURED;
      ServicesReceived services = healthSupport && jobSupport ? ServicesReceived.BOTH
          : healthSupport ? ServicesReceived.HEALTH_SUPPORT
          : jobSupport ? ServicesReceived.JOB_SUPPORT : ServicesReceived.NONE;

      return ParticipantStatus.newBuilder()
          .setParticipantId(participantId)
          .setOfficeId(enrolmentOffice != null ? enrolmentOffice : officeOfLatestEvent)
          .setCohortId(enrolmentCohort != null ? enrolmentCohort : cohortOfLatestEvent)
          .setEnrolled(enrolled)
          .setEnrolledAt(enrolledAt)
          .setExitedAt(exitedAt)
          .setSituation(situation)
          .setPhase(phase)
          .setExitReason(exitReason == null ? null : StatusExitReason.valueOf(exitReason.name()))
          .setTargetGroups(new ArrayList<>(targetGroups))
          .setCoordinatorId(coordinatorId)
          .setCounsellorId(counsellorId)
          .setSpecialists(specialists)
          .setServicesReceived(services)
          .setMappings(mappings)
          .setIndividualPlanStartedAt(individualPlanStartedAt)
          .setMeetings(meetingList)
          .setMeetingsScheduled(meetingList.size() - cancelled)
          .setMeetingsAttended(attended)
          .setMeetingsMissed(missed)
          .setMeetingsCancelled(cancelled)
          .setAttendanceRate(attended + missed == 0 ? null : attended / (double) (attended + missed))
          .setConsecutiveMisses(consecutiveMisses(meetingList))
          .setHomeVisits(homeVisits)
          .setLastContactAt(lastContactAt)
          .setLastContactAttemptAt(lastContactAttemptAt)
          .setFirstScore(firstScore)
          .setLatestScore(latestScore)
          .setScoreCount(scoreCount)
          .setScoreChange(change)
          .setEventCount(eventCount)
          .setLastEventAt(lastEventAt)
          .build();
    }

    private Phase phase(Situation situation) {
      if (exitReason != null) {
        return Phase.EXITED;
      }
      if (situation == Situation.JOB_OR_APPRENTICESHIP || situation == Situation.EDUCATION) {
        return Phase.IN_WORK;
      }
      if (situation == Situation.MEASURE_OR_ACTIVITY) {
        return Phase.IN_MEASURE;
      }
      if (individualPlanStartedAt != null || (firstMappingAt != null && followUpContactAfterMapping)) {
        return Phase.FOLLOW_UP;
      }
      return firstMappingAt != null ? Phase.MAPPING : Phase.ENROLLED;
    }

    private static int consecutiveMisses(List<MeetingSummary> meetings) {
      List<MeetingSummary> outcomes = meetings.stream()
          .filter(m -> m.getState() == MeetingState.ATTENDED || m.getState() == MeetingState.MISSED)
          .sorted(Comparator.comparing(MeetingSummary::getOutcomeAt))
          .toList();
      int trailing = 0;
      for (int i = outcomes.size() - 1; i >= 0 && outcomes.get(i).getState() == MeetingState.MISSED; i--) {
        trailing++;
      }
      return trailing;
    }
  }
}
