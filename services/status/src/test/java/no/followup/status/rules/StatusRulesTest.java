package no.followup.status.rules;

import static no.followup.status.TestEvents.day;
import static no.followup.status.TestEvents.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import no.followup.common.rules.EventTimes;
import no.followup.events.Benefit;
import no.followup.events.BenefitGranted;
import no.followup.events.CancelledBy;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationKind;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.MeetingState;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ScoreChange;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.figures.SituationPrecedence;
import no.followup.status.StatusExitReason;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StatusRulesTest {

  private final TestEvents e = new TestEvents("p-0a1", "3421", "optimist");

  private ParticipantStatus fold(FollowUpEvent... events) {
    return StatusRules.fold("p-0a1", List.of(events));
  }

  private FollowUpEvent enrolled() {
    return e.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30);
  }

  @Nested
  class Situations {

    @Test
    void enrolledWithoutActivityIsNoRegularActivity() {
      ParticipantStatus s = fold(enrolled(), e.at(3, new MeetingAttended("m1")), e.at(5, new ContactMade(ContactChannel.SMS, true)));
      assertThat(s.getSituation()).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
      assertThat(s.getPhase()).isEqualTo(Phase.ENROLLED);
    }

    @Test
    void jobEducationMeasureAndBenefitsOpenTheirSituation() {
      assertThat(fold(enrolled(), e.at(10, new JobStarted(JobKind.APPRENTICESHIP, null))).getSituation())
          .isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
      assertThat(fold(enrolled(), e.at(10, new EducationStarted(EducationKind.VOCATIONAL))).getSituation())
          .isEqualTo(Situation.EDUCATION);
      assertThat(fold(enrolled(), e.at(10, new MeasureStarted(Measure.AFT))).getSituation())
          .isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      assertThat(fold(enrolled(), e.at(10, new BenefitGranted(Benefit.AAP))).getSituation())
          .isEqualTo(Situation.HEALTH_BENEFIT_AAP);
      assertThat(fold(enrolled(), e.at(10, new BenefitGranted(Benefit.DISABILITY))).getSituation())
          .isEqualTo(Situation.DISABILITY_BENEFIT);
      assertThat(fold(enrolled(), e.at(10, new BenefitGranted(Benefit.OTHER))).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    }

    @Test
    void measureEndsOnlyWhenEveryOpenMeasureHasEnded() {
      FollowUpEvent aft = e.at(10, new MeasureStarted(Measure.AFT));
      FollowUpEvent jobCentre = e.at(12, new MeasureStarted(Measure.JOB_CENTRE));
      FollowUpEvent aftEnded = e.at(20, new MeasureEnded(Measure.AFT));
      assertThat(fold(enrolled(), aft, jobCentre, aftEnded).getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      FollowUpEvent jobCentreEnded = e.at(30, new MeasureEnded(Measure.JOB_CENTRE));
      assertThat(fold(enrolled(), aft, jobCentre, aftEnded, jobCentreEnded).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    }

    @Test
    void anEndWithoutAStartChangesNothing() {
      assertThat(fold(enrolled(), e.at(5, new MeasureEnded(Measure.AFT)), e.at(10, new MeasureStarted(Measure.AFT)))
          .getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
    }

    @Test
    void theFactOfHighestPrecedenceDecidesAndAnEndedOneFallsBackToTheNextOpen() {
      FollowUpEvent aap = e.at(10, new BenefitGranted(Benefit.AAP));
      FollowUpEvent measure = e.at(20, new MeasureStarted(Measure.WORK_TRAINING));
      assertThat(fold(enrolled(), aap, measure).getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      assertThat(fold(enrolled(), aap, measure, e.at(40, new MeasureEnded(Measure.WORK_TRAINING))).getSituation())
          .isEqualTo(Situation.HEALTH_BENEFIT_AAP);
      assertThat(fold(enrolled(), measure, e.at(50, new JobStarted(JobKind.ORDINARY, 37))).getSituation())
          .isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
    }

    @Test
    void movedCountsWhenNothingElseIsOpenAndLastsUntilReEnrolment() {
      FollowUpEvent job = e.at(10, new JobStarted(JobKind.ORDINARY, 20));
      FollowUpEvent moved = e.at(20, new ParticipantMoved("3403"));
      FollowUpEvent measure = e.at(30, new MeasureStarted(Measure.AFT));
      assertThat(fold(enrolled(), moved).getSituation()).isEqualTo(Situation.MOVED);
      assertThat(fold(enrolled(), job, moved, measure).getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
      FollowUpEvent reEnrolled = e.enrolled(40, "s-c2", TargetGroup.IMMIGRANTS);
      ParticipantStatus back = fold(enrolled(), job, moved, measure, reEnrolled);
      assertThat(back.getSituation()).as("taken in again: the move and the job left with are over")
          .isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      assertThat(back.getEnrolledAt()).isEqualTo(day(40));
      assertThat(back.getCoordinatorId()).isEqualTo("s-c2");
    }

    /** The case: a job in March, then IPS in April, reads "job" either way round. */
    @Test
    void aJobThenIpsAndIpsThenAJobBothReadJob() {
      FollowUpEvent march = e.at(60, new JobStarted(JobKind.ORDINARY, 30));
      FollowUpEvent april = e.at(90, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"));
      assertThat(fold(enrolled(), march, april).getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
      FollowUpEvent marchIps = e.at(60, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"));
      FollowUpEvent aprilJob = e.at(90, new JobStarted(JobKind.ORDINARY, 30));
      assertThat(fold(enrolled(), marchIps, aprilJob).getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
      assertThat(fold(enrolled(), aprilJob, marchIps).getSituation()).as("arriving in the other order")
          .isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
    }

    /**
     * IPS is one thing: the job specialist's service. While open it is an activity (OPTIMIST: "fem er i
     * tiltak/aktivitet (AFT, IPS, aktivitet på jobbsentralen)"), it counts in the specialist's caseload, and
     * it ends with its ServiceEnded; another service (health support) is follow-up, not activity.
     */
    @Test
    void anOpenIpsServiceIsAnActivityUntilItEnds() {
      FollowUpEvent ips = e.at(10, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"));
      ParticipantStatus open = fold(enrolled(), ips);
      assertThat(open.getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      assertThat(open.getPhase()).isEqualTo(Phase.IN_MEASURE);
      assertThat(open.getServicesReceived()).isEqualTo(ServicesReceived.JOB_SUPPORT);
      assertThat(fold(enrolled(), ips, e.at(20, new ServiceEnded(SupportService.JOB_SUPPORT_IPS, "s-j1"))).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
      assertThat(fold(enrolled(), e.at(10, new ServiceStarted(SupportService.HEALTH_SUPPORT, "s-h1"))).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    }

    /** Every pair of facts, in both orders of occurrence and of arrival: the higher one decides. */
    @Test
    void everyPairOfFactsInBothOrdersGivesTheHigherOne() {
      Map<Situation, Object> facts = new LinkedHashMap<>();
      facts.put(Situation.JOB_OR_APPRENTICESHIP, new JobStarted(JobKind.ORDINARY, 30));
      facts.put(Situation.EDUCATION, new EducationStarted(EducationKind.VOCATIONAL));
      facts.put(Situation.MEASURE_OR_ACTIVITY, new MeasureStarted(Measure.AFT));
      facts.put(Situation.DISABILITY_BENEFIT, new BenefitGranted(Benefit.DISABILITY));
      facts.put(Situation.HEALTH_BENEFIT_AAP, new BenefitGranted(Benefit.AAP));
      facts.put(Situation.MOVED, new ParticipantMoved(null));
      assertThat(List.copyOf(facts.keySet())).isEqualTo(SituationPrecedence.ORDER);
      List<Situation> order = List.copyOf(facts.keySet());
      for (int high = 0; high < order.size(); high++) {
        for (int low = high + 1; low < order.size(); low++) {
          Object higher = facts.get(order.get(high));
          Object lower = facts.get(order.get(low));
          FollowUpEvent higherFirst = e.at(10, higher);
          FollowUpEvent lowerSecond = e.at(20, lower);
          FollowUpEvent lowerFirst = e.at(10, lower);
          FollowUpEvent higherSecond = e.at(20, higher);
          String pair = order.get(high) + " and " + order.get(low);
          assertThat(fold(enrolled(), higherFirst, lowerSecond).getSituation()).as(pair).isEqualTo(order.get(high));
          assertThat(fold(enrolled(), lowerSecond, higherFirst).getSituation()).as(pair).isEqualTo(order.get(high));
          assertThat(fold(enrolled(), lowerFirst, higherSecond).getSituation()).as(pair).isEqualTo(order.get(high));
          assertThat(fold(enrolled(), higherSecond, lowerFirst).getSituation()).as(pair).isEqualTo(order.get(high));
        }
      }
    }

    @ParameterizedTest
    @CsvSource({
        "ORDINARY_WORK, JOB_OR_APPRENTICESHIP",
        "EDUCATION, EDUCATION",
        "MOVED, MOVED",
        "NON_ATTENDANCE, NO_REGULAR_ACTIVITY",
        "ANOTHER_MEASURE, MEASURE_OR_ACTIVITY",
        "HEALTH_BENEFIT_AAP, HEALTH_BENEFIT_AAP",
        "DISABILITY_BENEFIT, DISABILITY_BENEFIT",
        "KVP, OTHER_FOLLOW_UP",
        "TREATMENT, OTHER_FOLLOW_UP",
        "PARENTAL_LEAVE, OTHER_FOLLOW_UP"})
    void theExitReasonDecidesTheSituation(ExitReason reason, Situation expected) {
      // the open facts point elsewhere (AAP): the exit reason is the final classification
      ParticipantStatus s = fold(enrolled(), e.at(10, new BenefitGranted(Benefit.AAP)), e.at(90, new ParticipantExited(reason)));
      assertThat(s.getSituation()).isEqualTo(expected);
      assertThat(s.getPhase()).isEqualTo(Phase.EXITED);
      assertThat(s.getExitReason()).isEqualTo(StatusExitReason.valueOf(reason.name()));
      assertThat(s.getExitedAt()).isEqualTo(day(90));
    }

    @Test
    void exitForAnOtherReasonKeepsTheSituationOfTheFacts() {
      assertThat(fold(enrolled(), e.at(10, new MeasureStarted(Measure.AFT)), e.at(90, new ParticipantExited(ExitReason.OTHER)))
          .getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      assertThat(fold(enrolled(), e.at(90, new ParticipantExited(ExitReason.OTHER))).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    }

    @Test
    void theSituationOfAnExitForAnOtherReasonIsTheOneAtTheExit() {
      FollowUpEvent measure = e.at(10, new MeasureStarted(Measure.AFT));
      FollowUpEvent exit = e.at(90, new ParticipantExited(ExitReason.OTHER));
      FollowUpEvent jobMonthsLater = e.at(200, new JobStarted(JobKind.ORDINARY, null));
      // arrival order does not matter: the job occurred after the exit
      assertThat(fold(jobMonthsLater, enrolled(), exit, measure).getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
      FollowUpEvent jobBeforeTheExit = e.at(80, new JobStarted(JobKind.ORDINARY, null));
      assertThat(fold(exit, enrolled(), measure, jobBeforeTheExit).getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
    }

    @Test
    void reEnrolmentAfterAnExitMakesTheParticipantActiveAgain() {
      ParticipantStatus s = fold(enrolled(), e.at(30, new ParticipantExited(ExitReason.TREATMENT)),
          e.enrolled(200, "s-c1", TargetGroup.OTHER));
      assertThat(s.getPhase()).isEqualTo(Phase.ENROLLED);
      assertThat(s.getExitReason()).isNull();
      assertThat(s.getExitedAt()).isNull();
      assertThat(s.getEnrolledAt()).isEqualTo(day(200));
      assertThat(s.getTargetGroups()).containsExactly("OTHER");
    }
  }

  @Nested
  class Phases {

    @Test
    void progressFromEnrolmentThroughMappingToFollowUp() {
      FollowUpEvent mapping = e.at(10, new MappingCompleted(MappingInstrument.MAYERS_LIFE_SITUATION_FORM));
      assertThat(fold(enrolled()).getPhase()).isEqualTo(Phase.ENROLLED);
      // a meeting before the mapping is the first conversation, not follow-up
      assertThat(fold(enrolled(), e.at(5, new MeetingAttended("m1")), mapping).getPhase()).isEqualTo(Phase.MAPPING);
      assertThat(fold(enrolled(), mapping, e.at(20, new MeetingAttended("m2"))).getPhase()).isEqualTo(Phase.FOLLOW_UP);
      assertThat(fold(enrolled(), mapping, e.at(20, new HomeVisitCompleted(null))).getPhase()).isEqualTo(Phase.FOLLOW_UP);
      assertThat(fold(enrolled(), e.at(20, new IndividualPlanStarted())).getPhase()).isEqualTo(Phase.FOLLOW_UP);
    }

    @Test
    void situationPhasesWinOverProgression() {
      FollowUpEvent mapping = e.at(10, new MappingCompleted(MappingInstrument.INFLOW24));
      assertThat(fold(enrolled(), mapping, e.at(30, new MeasureStarted(Measure.AFT))).getPhase()).isEqualTo(Phase.IN_MEASURE);
      assertThat(fold(enrolled(), e.at(30, new JobStarted(JobKind.ORDINARY, 37))).getPhase()).isEqualTo(Phase.IN_WORK);
      assertThat(fold(enrolled(), e.at(30, new EducationStarted(EducationKind.HIGHER))).getPhase()).isEqualTo(Phase.IN_WORK);
      // a benefit does not end the follow-up: the phase stays where the progression is
      assertThat(fold(enrolled(), mapping, e.at(30, new BenefitGranted(Benefit.AAP))).getPhase()).isEqualTo(Phase.MAPPING);
    }

    @Test
    void eventsWithoutEnrolmentAwaitIt() {
      ParticipantStatus s = fold(e.at(3, new MeetingAttended("m1")), e.at(4, new JobStarted(JobKind.ORDINARY, 10)));
      assertThat(s.getEnrolled()).isFalse();
      assertThat(s.getPhase()).isEqualTo(Phase.AWAITING_ENROLMENT);
      assertThat(s.getSituation()).isEqualTo(Situation.UNKNOWN);
      assertThat(s.getOfficeId()).isEqualTo("3421");
      assertThat(s.getMeetingsAttended()).isEqualTo(1);
    }
  }

  @Nested
  class Meetings {

    @Test
    void countsAttendanceRateConsecutiveMissesAndHomeVisits() {
      ParticipantStatus s = fold(enrolled(),
          e.at(1, new MeetingScheduled("m1", day(5), MeetingKind.OFFICE)),
          e.at(5, new MeetingAttended("m1")),
          e.at(6, new MeetingScheduled("m2", day(10), MeetingKind.OFFICE)),
          e.at(10, new MeetingMissed("m2")),
          e.at(11, new MeetingScheduled("m3", day(15), MeetingKind.WALK_AND_TALK)),
          e.at(15, new MeetingMissed("m3")),
          e.at(16, new MeetingScheduled("m4", day(25), MeetingKind.OFFICE)),
          e.at(17, new MeetingCancelled("m4", CancelledBy.PARTICIPANT)),
          e.at(18, new HomeVisitCompleted(null)),
          e.at(19, new MeetingScheduled("m5", day(40), MeetingKind.OFFICE)));
      assertThat(s.getMeetingsScheduled()).isEqualTo(4);
      assertThat(s.getMeetingsAttended()).isEqualTo(1);
      assertThat(s.getMeetingsMissed()).isEqualTo(2);
      assertThat(s.getMeetingsCancelled()).isEqualTo(1);
      assertThat(s.getAttendanceRate()).isEqualTo(1 / 3.0);
      // a home visit without a meeting is contact, but does not break the run of missed meetings
      assertThat(s.getConsecutiveMisses()).isEqualTo(2);
      assertThat(s.getHomeVisits()).isEqualTo(1);
      assertThat(s.getLastContactAt()).isEqualTo(day(18));
    }

    @Test
    void aHomeVisitForAScheduledMeetingCountsAsAttendedAndEndsTheRunOfMisses() {
      ParticipantStatus s = fold(enrolled(),
          e.at(1, new MeetingScheduled("m1", day(5), MeetingKind.OFFICE)),
          e.at(5, new MeetingMissed("m1")),
          e.at(6, new MeetingScheduled("m2", day(9), MeetingKind.HOME_VISIT)),
          e.at(9, new HomeVisitCompleted("m2")));
      assertThat(s.getMeetingsAttended()).isEqualTo(1);
      assertThat(s.getConsecutiveMisses()).isZero();
      assertThat(s.getMeetings()).filteredOn(m -> m.getMeetingId().equals("m2"))
          .singleElement().satisfies(m -> assertThat(m.getState()).isEqualTo(MeetingState.ATTENDED));
    }

    /** The reminders service's case (RemindersTopologyTest), by the same MeetingLifecycle rule. */
    @Test
    void aMeetingScheduledAgainAfterItsCancellationLivesAndALateOlderCancellationChangesNothing() {
      FollowUpEvent scheduled = e.at(1, new MeetingScheduled("m1", day(5), MeetingKind.OFFICE));
      FollowUpEvent cancelled = e.at(2, new MeetingCancelled("m1", CancelledBy.STAFF));
      FollowUpEvent rescheduled = e.at(3, new MeetingRescheduled("m1", day(6), null));
      FollowUpEvent olderCancellationRecordedLate = e.at(1.5, 10, new MeetingCancelled("m1", CancelledBy.STAFF));
      ParticipantStatus s = fold(enrolled(), scheduled, cancelled, rescheduled, olderCancellationRecordedLate);
      assertThat(s.getMeetings().get(0).getState()).isEqualTo(MeetingState.SCHEDULED);
      assertThat(s.getMeetings().get(0).getStartsAt()).isEqualTo(day(6));
      assertThat(fold(enrolled(), scheduled, rescheduled, e.at(4, new MeetingCancelled("m1", CancelledBy.STAFF)))
          .getMeetings().get(0).getState()).isEqualTo(MeetingState.CANCELLED);
    }

    @Test
    void reschedulingMovesTheMeetingAndRevivesACancelledOneButNeverErasesAnOutcome() {
      ParticipantStatus s = fold(enrolled(),
          e.at(1, new MeetingScheduled("m1", day(5), MeetingKind.OFFICE)),
          e.at(2, new MeetingCancelled("m1", CancelledBy.STAFF)),
          e.at(3, new MeetingRescheduled("m1", day(7), MeetingKind.PHONE_OR_VIDEO)),
          e.at(7, new MeetingAttended("m1")),
          e.at(8, new MeetingRescheduled("m1", day(20), null)));
      var m = s.getMeetings().get(0);
      assertThat(m.getState()).isEqualTo(MeetingState.ATTENDED);
      assertThat(m.getStartsAt()).isEqualTo(day(20));
      assertThat(m.getKind()).isEqualTo("PHONE_OR_VIDEO");
    }

    @Test
    void anOutcomeForAMeetingNeverScheduledIsStillCounted() {
      ParticipantStatus s = fold(enrolled(), e.at(4, new MeetingMissed("m-unknown")));
      assertThat(s.getMeetingsMissed()).isEqualTo(1);
      assertThat(s.getConsecutiveMisses()).isEqualTo(1);
      assertThat(s.getAttendanceRate()).isZero();
    }

    @Test
    void lastContactCountsOnlyContactThatReachedTheParticipant() {
      ParticipantStatus s = fold(enrolled(), e.at(10, new ContactMade(ContactChannel.PHONE, true)),
          e.at(20, new ContactMade(ContactChannel.PHONE, false)));
      assertThat(s.getLastContactAt()).isEqualTo(day(10));
      assertThat(s.getLastContactAttemptAt()).isEqualTo(day(20));
      assertThat(fold(enrolled()).getLastContactAt()).isEqualTo(day(0));
    }
  }

  @Nested
  class ServicesAndStaff {

    @Test
    void servicesReceivedAndSpecialistAssignments() {
      FollowUpEvent health = e.at(5, new ServiceStarted(SupportService.HEALTH_SUPPORT, "s-h1"));
      FollowUpEvent ips = e.at(8, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"));
      FollowUpEvent healthEnded = e.at(30, new ServiceEnded(SupportService.HEALTH_SUPPORT, "s-h1"));
      assertThat(fold(enrolled()).getServicesReceived()).isEqualTo(ServicesReceived.NONE);
      assertThat(fold(enrolled(), health).getServicesReceived()).isEqualTo(ServicesReceived.HEALTH_SUPPORT);
      assertThat(fold(enrolled(), ips).getServicesReceived()).isEqualTo(ServicesReceived.JOB_SUPPORT);
      ParticipantStatus both = fold(enrolled(), health, ips, healthEnded);
      // "received" means at any time: an ended service still counts
      assertThat(both.getServicesReceived()).isEqualTo(ServicesReceived.BOTH);
      assertThat(both.getSpecialists()).hasSize(2);
      assertThat(both.getSpecialists().get(0).getEndedAt()).isEqualTo(day(30));
      assertThat(both.getSpecialists().get(1).getEndedAt()).isNull();
    }

    @Test
    void coordinatorCanBeReassignedAndMappingsAreListed() {
      ParticipantStatus s = fold(enrolled(), e.at(50, new CoordinatorAssigned("s-c9")),
          e.at(10, new MappingCompleted(MappingInstrument.MAYERS_LIFE_SITUATION_FORM)),
          e.at(60, new MappingCompleted(MappingInstrument.HVOR_TRYKKER_SKOEN)));
      assertThat(s.getCoordinatorId()).isEqualTo("s-c9");
      assertThat(s.getCounsellorId()).isEqualTo("s-v1");
      assertThat(s.getMappings()).extracting(m -> m.getInstrument())
          .containsExactly("MAYERS_LIFE_SITUATION_FORM", "HVOR_TRYKKER_SKOEN");
      assertThat(s.getCohortId()).isEqualTo("optimist");
      assertThat(s.getTargetGroups()).containsExactly("YOUTH_UNDER_30");
    }
  }

  @Nested
  class CoopWonca {

    @ParameterizedTest
    @CsvSource({
        "20, 18, IMPROVED",   // -0.29
        "20, 19, IMPROVED",   // -0.14: 2.9 to 2.7 at the report's one decimal
        "20, 20, UNCHANGED",
        "20, 21, WORSENED",   // +0.14
        "20, 22, WORSENED",   // +0.29
        "26, 11, IMPROVED"})
    void anyChangeOfTheAverageCountsLowerBeingBetter(int first, int latest, ScoreChange expected) {
      ParticipantStatus s = fold(enrolled(), e.at(100, score(latest)), e.at(10, score(first)));
      assertThat(s.getScoreChange()).isEqualTo(expected);
      assertThat(s.getFirstScore().getItemSum()).isEqualTo(first);
      assertThat(s.getLatestScore().getItemSum()).isEqualTo(latest);
      assertThat(s.getFirstScore().getAverage()).isEqualTo(first / 7.0);
    }

    @Test
    void firstAndLatestAreByOccurrenceNotByArrival() {
      // three measurements arriving newest first
      ParticipantStatus s = fold(enrolled(), e.at(200, score(15)), e.at(100, score(18)), e.at(10, score(25)));
      assertThat(s.getScoreCount()).isEqualTo(3);
      assertThat(s.getFirstScore().getItemSum()).isEqualTo(25);
      assertThat(s.getLatestScore().getItemSum()).isEqualTo(15);
      assertThat(s.getLatestScore().getMeasuredAt()).isEqualTo(day(200));
    }

    @Test
    void aMeasurementAtTheExitsOwnTimeRecordedAfterItIsTheLast() {
      FollowUpEvent first = e.at(10, score(22));
      FollowUpEvent exit = e.at(90, 90.01, new ParticipantExited(ExitReason.ORDINARY_WORK));
      FollowUpEvent atExit = e.at(90, 90.02, score(17)); // the exit form first, then the last measurement
      ParticipantStatus s = fold(atExit, exit, first, enrolled());
      assertThat(s.getLatestScore().getItemSum()).isEqualTo(17);
      assertThat(s.getScoreCount()).isEqualTo(2);
    }

    @Test
    void thePairIsWithinTheStayFromEnrolmentToExit() {
      FollowUpEvent beforeEnrolment = e.at(-30, score(30));
      FollowUpEvent first = e.at(10, score(22));
      FollowUpEvent last = e.at(80, score(18));
      FollowUpEvent exit = e.at(90, new ParticipantExited(ExitReason.ORDINARY_WORK));
      FollowUpEvent afterExit = e.at(120, score(28));
      ParticipantStatus s = fold(afterExit, exit, last, first, beforeEnrolment, enrolled());
      assertThat(s.getFirstScore().getItemSum()).isEqualTo(22);
      assertThat(s.getLatestScore().getItemSum()).isEqualTo(18);
      assertThat(s.getScoreCount()).isEqualTo(2);
      assertThat(s.getScoreChange()).isEqualTo(ScoreChange.IMPROVED);
    }

    @Test
    void aReEnrolmentStartsANewPair() {
      ParticipantStatus s = fold(enrolled(), e.at(10, score(22)), e.at(80, score(18)),
          e.at(90, new ParticipantExited(ExitReason.TREATMENT)), e.enrolled(200, "s-c1", TargetGroup.OTHER),
          e.at(210, score(25)));
      assertThat(s.getScoreCount()).isEqualTo(1);
      assertThat(s.getFirstScore().getItemSum()).isEqualTo(25);
      assertThat(s.getScoreChange()).isEqualTo(ScoreChange.NOT_MEASURED);
    }

    @Test
    void oneMeasurementIsNotMeasuredForChange() {
      ParticipantStatus s = fold(enrolled(), e.at(10, score(20)));
      assertThat(s.getScoreChange()).isEqualTo(ScoreChange.NOT_MEASURED);
      assertThat(s.getFirstScore()).isEqualTo(s.getLatestScore());
    }

    @Test
    void itemsOutsideOneToFiveAreRejected() {
      FollowUpEvent bad = e.at(10, new FunctionScoreRecorded(1, 2, 3, 6, 1, 1, 1));
      assertThatThrownBy(() -> StatusRules.validate(bad)).isInstanceOf(InvalidEventException.class)
          .hasMessageNotContaining("6");
    }
  }

  @Nested
  class Order {

    /** As the intake refuses it; a meeting outcome dated ahead would open a tally day counter no window prunes. */
    @Test
    void anEventSaidToOccurAfterItWasRecordedIsRejectedBeyondTheClockSkew() {
      FollowUpEvent attended = e.at(10, new MeetingAttended("m-1"));
      Instant recorded = attended.getRecordedAt();
      FollowUpEvent withinSkew = FollowUpEvent.newBuilder(attended)
          .setOccurredAt(recorded.plus(EventTimes.CLOCK_SKEW)).build();
      FollowUpEvent aYearAhead = FollowUpEvent.newBuilder(attended)
          .setOccurredAt(recorded.plus(Duration.ofDays(365))).build();

      StatusRules.validate(withinSkew);
      assertThatThrownBy(() -> StatusRules.validate(aYearAhead)).isInstanceOf(InvalidEventException.class)
          .hasMessage("occurredAt after recordedAt");
    }

    @Test
    void anyArrivalOrderGivesTheSameStatus() {
      List<FollowUpEvent> events = new ArrayList<>(List.of(enrolled(),
          e.at(2, new MappingCompleted(MappingInstrument.INFLOW24)),
          e.at(3, new MeetingScheduled("m1", day(6), MeetingKind.OFFICE)),
          e.at(6, new MeetingMissed("m1")),
          e.at(7, new HomeVisitCompleted(null)),
          e.at(9, new MeasureStarted(Measure.AFT)),
          e.at(12, score(22)),
          e.at(40, new MeasureEnded(Measure.AFT)),
          e.at(41, score(18)),
          e.at(45, new JobStarted(JobKind.PART_TIME, 20)),
          e.at(60, new ParticipantExited(ExitReason.ORDINARY_WORK))));
      ParticipantStatus inOrder = StatusRules.fold("p-0a1", events);
      Random random = new Random(7);
      for (int i = 0; i < 50; i++) {
        List<FollowUpEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        assertThat(StatusRules.fold("p-0a1", shuffled)).isEqualTo(inOrder);
      }
      assertThat(inOrder.getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
      assertThat(inOrder.getScoreChange()).isEqualTo(ScoreChange.IMPROVED);
      assertThat(inOrder.getEventCount()).isEqualTo(11);
    }

    @Test
    void equalOccurrenceTimesAreOrderedByRecordedAtThenEventId() {
      FollowUpEvent startRecordedFirst = e.at(10, 10.1, new MeasureStarted(Measure.AFT));
      FollowUpEvent endRecordedLater = e.at(10, 10.5, new MeasureEnded(Measure.AFT));
      assertThat(fold(enrolled(), endRecordedLater, startRecordedFirst).getSituation())
          .isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    }

    @Test
    void aDuplicateEventIdIsAppliedOnce() {
      FollowUpEvent start = e.at(10, new MeasureStarted(Measure.AFT));
      FollowUpEvent end = e.at(20, new MeasureEnded(Measure.AFT));
      ParticipantStatus s = fold(enrolled(), start, start, end);
      assertThat(s.getSituation()).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
      assertThat(s.getEventCount()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(ExitReason.class)
  void everyExitReasonIsMapped(ExitReason reason) {
    Situation implied = StatusRules.situationForExit(reason);
    assertThat(implied == null).isEqualTo(reason == ExitReason.OTHER);
  }
}
