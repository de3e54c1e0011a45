package no.followup.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.figures.CoopWonca;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.TaskAssignee;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.Caseload;
import no.followup.status.CaseloadFlag;
import no.followup.status.CohortDefinition;
import no.followup.status.CoopWoncaSummary;
import no.followup.status.FunctionScore;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;
import no.followup.status.StatusExitReason;
import no.followup.status.Tally;
import no.followup.status.TallyDimension;

/** Builders for the records the dashboard reads, with sensible defaults. */
public final class Fixtures {

  private Fixtures() {}

  public static ParticipantStatus.Builder status(String participantId, String officeId, String coordinatorId, Instant enrolledAt) {
    return ParticipantStatus.newBuilder()
        .setParticipantId(participantId)
        .setOfficeId(officeId)
        .setCohortId(null)
        .setEnrolled(true)
        .setEnrolledAt(enrolledAt)
        .setSituation(Situation.NO_REGULAR_ACTIVITY)
        .setPhase(Phase.FOLLOW_UP)
        .setCoordinatorId(coordinatorId)
        .setTargetGroups(List.of("YOUTH_UNDER_30"))
        .setServicesReceived(ServicesReceived.NONE)
        .setLastContactAt(enrolledAt)
        .setLastEventAt(enrolledAt);
  }

  public static ParticipantStatus exited(ParticipantStatus.Builder b, StatusExitReason reason, Situation situation, Instant at) {
    return b.setPhase(Phase.EXITED).setExitReason(reason).setSituation(situation).setExitedAt(at).build();
  }

  public static MeetingSummary meeting(String id, Instant startsAt, MeetingState state, Instant outcomeAt) {
    return MeetingSummary.newBuilder().setMeetingId(id).setStartsAt(startsAt).setKind("OFFICE").setState(state)
        .setOutcomeAt(outcomeAt).build();
  }

  public static SpecialistAssignment ips(String specialistId, Instant startedAt) {
    return SpecialistAssignment.newBuilder().setService("JOB_SUPPORT_IPS").setSpecialistId(specialistId)
        .setStartedAt(startedAt).setEndedAt(null).build();
  }

  /**
   * Two measurements, 90 days apart, given by their 7-item sums (what a form records); the stored average
   * and change are the ones the status service derives from them.
   */
  public static ParticipantStatus.Builder scores(ParticipantStatus.Builder b, int firstItemSum, int latestItemSum,
      Instant at) {
    return b.setFirstScore(score(firstItemSum, at)).setLatestScore(score(latestItemSum, at.plusSeconds(86_400 * 90)))
        .setScoreCount(2).setScoreChange(CoopWonca.change(firstItemSum, latestItemSum));
  }

  public static FunctionScore score(int itemSum, Instant at) {
    return FunctionScore.newBuilder().setAverage(CoopWonca.average(itemSum)).setItemSum(itemSum).setMeasuredAt(at).build();
  }

  public static CoordinatorTask task(UUID id, TaskKind kind, String participantId, String officeId, String coordinatorId,
      String meetingId, Instant meetingStartsAt, Instant dueAt, TaskState state) {
    return CoordinatorTask.newBuilder()
        .setTaskId(id)
        .setKind(kind)
        .setAssignee(TaskAssignee.COORDINATOR)
        .setParticipantId(participantId)
        .setOfficeId(officeId)
        .setCoordinatorId(coordinatorId)
        .setMeetingId(meetingId)
        .setMeetingStartsAt(meetingStartsAt)
        .setCreatedAt(dueAt)
        .setDueAt(dueAt)
        .setUpdatedAt(dueAt)
        .setState(state)
        .setSummary("Oppfølging")
        .build();
  }

  public static DeliveryReceipt receipt(String participantId, String officeId, DeliveryStatus status, Instant at) {
    return DeliveryReceipt.newBuilder().setReminderId(UUID.randomUUID()).setParticipantId(participantId)
        .setOfficeId(officeId).setStatus(status).setAt(at).setAttempts(1).build();
  }

  /** A cohort tally with a goal (the dashboard reads only the goal from cohort tallies). */
  /** A cohort's tally with its definition (name, goal, one reporting date), as a CohortDefined gives it. */
  public static Tally cohortTally(String cohortId, Double goal, Instant asOf) {
    CohortDefinition definition = CohortDefinition.newBuilder().setCohortId(cohortId).setName("Project " + cohortId)
        .setOffices(List.of("3421")).setTargetGroups(List.of("YOUTH_UNDER_30"))
        .setPeriodStart(java.time.LocalDate.of(2020, 1, 1)).setPeriodEnd(java.time.LocalDate.of(2022, 12, 31))
        .setWorkOrEducationGoal(goal).setReportingDates(List.of(java.time.LocalDate.of(2022, 12, 31)))
        .setDefinedAt(asOf).setRecordedAt(asOf).build();
    return Tally.newBuilder(tally("cohort:" + cohortId, TallyDimension.COHORT, cohortId, goal, List.of(), asOf))
        .setCohort(definition).build();
  }

  /** A specialist tally holding the specialist's whole caseload, in a full position. */
  public static Tally specialistTally(String specialistId, long caseload, Instant asOf) {
    CaseloadFlag flag = caseload < 12 ? CaseloadFlag.UNDER_RANGE : caseload > 20 ? CaseloadFlag.OVER_CAP : CaseloadFlag.WITHIN_RANGE;
    return tally("specialist:" + specialistId, TallyDimension.SPECIALIST, specialistId, null,
        List.of(Caseload.newBuilder().setSpecialistId(specialistId).setCaseload(caseload).setFlag(flag).build()), asOf);
  }

  /** A specialist tally of a specialist in a half position: their range is 6-10 (as the status service publishes it). */
  public static Tally halfTimeSpecialistTally(String specialistId, long caseload, CaseloadFlag flag, Instant asOf) {
    return tally("specialist:" + specialistId, TallyDimension.SPECIALIST, specialistId, null,
        List.of(Caseload.newBuilder().setSpecialistId(specialistId).setCaseload(caseload).setFlag(flag).setFteShare(0.5)
            .setRangeMin(6).setRangeCap(10).build()), asOf);
  }

  private static Tally tally(String key, TallyDimension dimension, String subject, Double goal, List<Caseload> caseloads,
      Instant asOf) {
    return Tally.newBuilder()
        .setKey(key)
        .setDimension(dimension)
        .setSubject(subject)
        .setParticipants(0)
        .setActive(0)
        .setBySituation(Map.of())
        .setByPhase(Map.of())
        .setByExitReason(Map.of())
        .setByServicesReceived(Map.of())
        .setByTargetGroup(Map.of())
        .setExits(0)
        .setExitsIntoWorkOrEducation(0)
        .setGoal(goal)
        .setJobSpecialistCaseloads(new ArrayList<>(caseloads))
        .setCoopWonca(CoopWoncaSummary.newBuilder().setMeasured(0).setPairs(0).setImproved(0).setUnchanged(0)
            .setWorsened(0).build())
        .setAsOf(asOf)
        .build();
  }
}
