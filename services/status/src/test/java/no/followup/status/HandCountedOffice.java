package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.Measure;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingMissed;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantExited;
import no.followup.events.ServiceStarted;
import no.followup.events.StaffRole;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;

/**
 * A small office whose tallies are counted by hand: five participants, their events timed back
 * from "now", and the figures they must give written as literal numbers, each derived in a comment
 * from the events. An oracle that does not use the status rules or the tally arithmetic under
 * test, so a mistake shared by the topology and a recount with those rules still shows.
 *
 * <ul>
 *   <li>{@link #JOB}: enrolled (coordinator 1, youth under 30), started a job, exited into ordinary work;</li>
 *   <li>{@link #MEASURE}: enrolled (coordinator 1, immigrants), in an AFT measure, COOP/WONCA 21 then
 *       14 (average 3.0 then 2.0: improved), attended a meeting 3 days ago, missed one 45 days ago;</li>
 *   <li>{@link #IPS}: enrolled (coordinator 2, youth under 30), IPS job support with the specialist (an
 *       activity while open, see figures' Ips), one home visit;</li>
 *   <li>{@link #NOT_ENROLLED}: an attended meeting recorded, no enrolment;</li>
 *   <li>{@link #MOVED}: enrolled (coordinator 2, immigrants), exited because they moved.</li>
 * </ul>
 * Everyone is in office {@value #OFFICE} and cohort {@value #COHORT}, which has no goal.
 */
public final class HandCountedOffice {

  public static final String OFFICE = "7001";
  public static final String COHORT = "hand-counted";
  public static final String COORDINATOR_1 = "s-hand01";
  public static final String COORDINATOR_2 = "s-hand02";
  public static final String SPECIALIST = "s-handj1";

  public static final String JOB = "p-hand000001";
  public static final String MEASURE = "p-hand000002";
  public static final String IPS = "p-hand000003";
  public static final String NOT_ENROLLED = "p-hand000004";
  public static final String MOVED = "p-hand000005";

  /**
   * Office and cohort count everyone; coordinators, specialist and cohort groups only the enrolled
   * (coordinator 1: job, measure; coordinator 2: IPS, moved; groups: youth = job, IPS; immigrants =
   * measure, moved).
   */
  public static final Set<String> TALLY_KEYS = Set.of("office:" + OFFICE, "cohort:" + COHORT,
      "coordinator:" + COORDINATOR_1, "coordinator:" + COORDINATOR_2, "specialist:" + SPECIALIST,
      "cohort-group:" + COHORT + "|YOUTH_UNDER_30", "cohort-group:" + COHORT + "|IMMIGRANTS");

  private HandCountedOffice() {}

  /** The events, each participant's in occurrence order. */
  public static List<FollowUpEvent> events(Instant now) {
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(event(JOB, now, 200, new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), COORDINATOR_1, null)));
    events.add(event(JOB, now, 100, new JobStarted(JobKind.ORDINARY, 37)));
    events.add(event(JOB, now, 50, new ParticipantExited(ExitReason.ORDINARY_WORK)));

    events.add(event(MEASURE, now, 150, new ParticipantEnrolled(List.of(TargetGroup.IMMIGRANTS), COORDINATOR_1, null)));
    events.add(event(MEASURE, now, 140, TestEvents.score(21)));
    events.add(event(MEASURE, now, 90, new MeasureStarted(Measure.AFT)));
    events.add(event(MEASURE, now, 45, new MeetingMissed("m-2")));
    events.add(event(MEASURE, now, 10, TestEvents.score(14)));
    events.add(event(MEASURE, now, 3, new MeetingAttended("m-1")));

    events.add(event(IPS, now, 120, new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), COORDINATOR_2, null)));
    events.add(event(IPS, now, 100, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, SPECIALIST)));
    events.add(event(IPS, now, 20, new HomeVisitCompleted(null)));

    events.add(event(NOT_ENROLLED, now, 5, new MeetingAttended("m-1")));

    events.add(event(MOVED, now, 80, new ParticipantEnrolled(List.of(TargetGroup.IMMIGRANTS), COORDINATOR_2, null)));
    events.add(event(MOVED, now, 30, new ParticipantExited(ExitReason.MOVED)));
    return events;
  }

  private static FollowUpEvent event(String participantId, Instant now, int daysAgo, Object payload) {
    Instant at = now.minus(Duration.ofDays(daysAgo));
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes((participantId + "#" + daysAgo).getBytes(StandardCharsets.UTF_8)))
        .setParticipantId(participantId)
        .setOfficeId(OFFICE)
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, COORDINATOR_1))
        .setOccurredAt(at)
        .setRecordedAt(at.plus(Duration.ofMinutes(5)))
        .setCohortId(COHORT)
        .setPayload(payload)
        .build();
  }

  /** The office's tally, and the cohort's: both count all five participants. */
  public static void assertCountedByHand(Tally t) {
    assertThat(t.getParticipants()).as("enrolled: job, measure, IPS, moved").isEqualTo(4);
    assertThat(t.getActive()).as("not exited: measure, IPS").isEqualTo(2);
    assertThat(t.getAwaitingEnrolment()).as("the one never enrolled").isEqualTo(1);
    assertThat(nonZero(t.getBySituation())).as("exit into work: job; AFT and open IPS: measure or activity; moved").isEqualTo(Map.of(
        "JOB_OR_APPRENTICESHIP", 1L, "MEASURE_OR_ACTIVITY", 2L, "MOVED", 1L));
    assertThat(nonZero(t.getByPhase())).as("job and moved exited; AFT and IPS in a measure or activity")
        .isEqualTo(Map.of("EXITED", 2L, "IN_MEASURE", 2L));
    assertThat(nonZero(t.getByExitReason())).isEqualTo(Map.of("ORDINARY_WORK", 1L, "MOVED", 1L));
    assertThat(t.getExits()).isEqualTo(2);
    assertThat(t.getExitsIntoWorkOrEducation()).as("only the job exit").isEqualTo(1);
    assertThat(t.getGoalShare()).as("1 of the 4 taken in").isEqualTo(0.25);
    assertThat(t.getShareOfExitsIntoWorkOrEducation()).as("1 of 2 exits").isEqualTo(0.5);
    assertThat(nonZero(t.getByOutcomeGroup())).isEqualTo(Map.of("WORK_OR_EDUCATION", 1L, "MOVED", 1L));
    assertThat(t.getGoal()).isNull();
    assertThat(t.getGoalMet()).isNull();
    assertThat(nonZero(t.getByServicesReceived())).as("only IPS received a service")
        .isEqualTo(Map.of("NONE", 3L, "JOB_SUPPORT", 1L));
    assertThat(nonZero(t.getByTargetGroup())).isEqualTo(Map.of("YOUTH_UNDER_30", 2L, "IMMIGRANTS", 2L));
    assertThat(t.getJobSpecialistCaseloads()).as("IPS is active with an open assignment: 1, under the range of 12-20")
        .containsExactly(new Caseload(SPECIALIST, 1L, CaseloadFlag.UNDER_RANGE, null, 12, 20));
    CoopWoncaSummary coop = t.getCoopWonca();
    assertThat(coop.getMeasured()).as("only the measure participant was measured").isEqualTo(1);
    assertThat(coop.getPairs()).isEqualTo(1);
    assertThat(coop.getMeanFirst()).as("21 / 7").isEqualTo(3.0);
    assertThat(coop.getMeanLatest()).as("14 / 7").isEqualTo(2.0);
    assertThat(coop.getBest()).isEqualTo(2.0);
    assertThat(coop.getWorst()).isEqualTo(3.0);
    assertThat(List.of(coop.getImproved(), coop.getUnchanged(), coop.getWorsened())).as("3.0 to 2.0 is better by 1.0")
        .containsExactly(1L, 0L, 0L);
    assertThat(t.getMeetingsAttended()).as("the measure participant's; the unenrolled one's is not counted").isEqualTo(1);
    assertThat(t.getMeetingsMissed()).isEqualTo(1);
    assertThat(t.getHomeVisits()).isEqualTo(1);
    assertThat(t.getMeetingsAttendedLast30Days()).as("attended 3 days ago").isEqualTo(1);
    assertThat(t.getMeetingsMissedLast30Days()).as("missed 45 days ago, outside the window").isZero();
  }

  /** Coordinator 2 follows the IPS participant (active) and the one who moved (exited). */
  public static void assertSecondCoordinatorCountedByHand(Tally t) {
    assertThat(t.getParticipants()).isEqualTo(2);
    assertThat(t.getActive()).isEqualTo(1);
    assertThat(t.getAwaitingEnrolment()).isZero();
    assertThat(nonZero(t.getBySituation())).isEqualTo(Map.of("MEASURE_OR_ACTIVITY", 1L, "MOVED", 1L));
    assertThat(t.getExits()).isEqualTo(1);
    assertThat(t.getExitsIntoWorkOrEducation()).isZero();
    assertThat(t.getHomeVisits()).isEqualTo(1);
  }

  private static Map<String, Long> nonZero(Map<String, Long> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((key, count) -> {
      if (count != 0) {
        out.put(key, count);
      }
    });
    return out;
  }
}
