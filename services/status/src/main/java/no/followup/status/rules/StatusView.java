package no.followup.status.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import no.followup.events.ExitReason;
import no.followup.figures.CoopWonca;
import no.followup.figures.Ips;
import no.followup.figures.SituationPrecedence;
import no.followup.status.FoldAssignment;
import no.followup.status.FoldMapping;
import no.followup.status.FoldMeeting;
import no.followup.status.FoldScore;
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
import no.followup.status.StatusFold;

/** Reads a participant's status off a {@link StatusFold}; never changes the fold. */
final class StatusView {

  private StatusView() {}

  static ParticipantStatus of(String participantId, StatusFold f) {
    Situation situation;
    Phase phase;
    ExitReason exitReason = f.getExitReason() == null ? null : ExitReason.valueOf(f.getExitReason());
    if (!f.getEnrolled()) {
      situation = Situation.UNKNOWN;
      phase = Phase.AWAITING_ENROLMENT;
    } else {
      situation = situationFromFacts(f);
      if (exitReason != null) {
        Situation implied = StatusRules.situationForExit(exitReason);
        if (implied != null) {
          situation = implied;
        } else if (f.getSituationAtExit() != null) {
          // the outcome of an exit is what the facts were at the exit: a job started months later
          // is not what the follow-up achieved
          situation = Situation.valueOf(f.getSituationAtExit());
        }
      }
      phase = phase(f, situation, exitReason);
    }

    List<MeetingSummary> meetings = new ArrayList<>(f.getMeetings().size());
    int attended = f.getRetiredAttended();
    int missed = f.getRetiredMissed();
    int cancelled = f.getRetiredCancelled();
    int listedCancelled = 0;
    for (FoldMeeting m : f.getMeetings()) {
      MeetingState state = MeetingState.valueOf(m.getState());
      meetings.add(new MeetingSummary(m.getMeetingId(), m.getStartsAt(), m.getKind(), state, m.getOutcomeAt()));
      switch (state) {
        case ATTENDED -> attended++;
        case MISSED -> missed++;
        case CANCELLED -> listedCancelled++;
        default -> { }
      }
    }
    cancelled += listedCancelled;
    FunctionScore first = score(f.getFirstScore());
    FunctionScore latest = score(f.getLatestScore());
    ScoreChange change = f.getScoreCount() >= 2 ? CoopWonca.change(first.getItemSum(), latest.getItemSum())
        : ScoreChange.NOT_MEASURED;
    ServicesReceived services = f.getHealthSupport() && f.getJobSupport() ? ServicesReceived.BOTH
        : f.getHealthSupport() ? ServicesReceived.HEALTH_SUPPORT
        : f.getJobSupport() ? ServicesReceived.JOB_SUPPORT : ServicesReceived.NONE;
    List<SpecialistAssignment> specialists = new ArrayList<>(f.getAssignments().size());
    for (FoldAssignment a : f.getAssignments()) {
      specialists.add(new SpecialistAssignment(a.getService(), a.getSpecialistId(), a.getStartedAt(), a.getEndedAt()));
    }
    List<MappingDone> mappings = new ArrayList<>(f.getMappings().size());
    for (FoldMapping m : f.getMappings()) {
      mappings.add(new MappingDone(m.getInstrument(), m.getCompletedAt()));
    }

    return ParticipantStatus.newBuilder()
        .setParticipantId(participantId)
        .setOfficeId(f.getEnrolmentOffice() != null ? f.getEnrolmentOffice() : f.getOfficeOfLatestEvent())
        .setCohortId(f.getEnrolmentCohort() != null ? f.getEnrolmentCohort() : f.getCohortOfLatestEvent())
        .setEnrolled(f.getEnrolled())
        .setReferredAt(f.getReferredAt())
        .setReferralDeclinedAt(f.getReferralDeclinedAt())
        .setReferralDeclineReason(f.getReferralDeclineReason())
        .setEnrolledAt(f.getEnrolledAt())
        .setExitedAt(f.getExitedAt())
        .setSituation(situation)
        .setPhase(phase)
        .setExitReason(exitReason == null ? null : StatusExitReason.valueOf(exitReason.name()))
        .setTargetGroups(new ArrayList<>(f.getTargetGroups()))
        .setCoordinatorId(f.getCoordinatorId())
        .setCounsellorId(f.getCounsellorId())
        .setSpecialists(specialists)
        .setServicesReceived(services)
        .setMappings(mappings)
        .setIndividualPlanStartedAt(f.getIndividualPlanStartedAt())
        .setMeetings(meetings)
        .setMeetingsScheduled(meetings.size() - listedCancelled + f.getRetiredScheduled())
        .setMeetingsAttended(attended)
        .setMeetingsMissed(missed)
        .setMeetingsCancelled(cancelled)
        .setAttendanceRate(attended + missed == 0 ? null : attended / (double) (attended + missed))
        .setConsecutiveMisses(consecutiveMisses(meetings))
        .setHomeVisits(f.getHomeVisits())
        .setLastContactAt(f.getLastContactAt())
        .setLastContactAttemptAt(f.getLastContactAttemptAt())
        .setFirstScore(first)
        .setLatestScore(latest)
        .setScoreCount(f.getScoreCount())
        .setScoreChange(change)
        .setEventCount(f.getEventCount())
        .setLastEventAt(f.getLastEventAt())
        .build();
  }

  /** The situation the open facts give, by {@link SituationPrecedence} (independent of their order). */
  static Situation situationFromFacts(StatusFold f) {
    Set<Situation> open = EnumSet.noneOf(Situation.class);
    if (f.getJobSince() >= 0) {
      open.add(Situation.JOB_OR_APPRENTICESHIP);
    }
    if (f.getEducationSince() >= 0) {
      open.add(Situation.EDUCATION);
    }
    if (f.getOpenMeasures().values().stream().anyMatch(starts -> !starts.isEmpty())) {
      open.add(Situation.MEASURE_OR_ACTIVITY);
    }
    if (f.getAssignments().stream().anyMatch(a -> Ips.isOpenIps(a.getService(), a.getEndedAt()))) {
      open.add(Ips.SITUATION_WHILE_OPEN);
    }
    if (f.getAapSince() >= 0) {
      open.add(Situation.HEALTH_BENEFIT_AAP);
    }
    if (f.getDisabilitySince() >= 0) {
      open.add(Situation.DISABILITY_BENEFIT);
    }
    if (f.getMoved()) {
      open.add(Situation.MOVED);
    }
    return SituationPrecedence.of(open);
  }

  private static Phase phase(StatusFold f, Situation situation, ExitReason exitReason) {
    if (exitReason != null) {
      return Phase.EXITED;
    }
    if (situation == Situation.JOB_OR_APPRENTICESHIP || situation == Situation.EDUCATION) {
      return Phase.IN_WORK;
    }
    if (situation == Situation.MEASURE_OR_ACTIVITY) {
      return Phase.IN_MEASURE;
    }
    if (f.getIndividualPlanStartedAt() != null || (f.getFirstMappingAt() != null && f.getFollowUpContactAfterMapping())) {
      return Phase.FOLLOW_UP;
    }
    return f.getFirstMappingAt() != null ? Phase.MAPPING : Phase.ENROLLED;
  }

  private static FunctionScore score(FoldScore s) {
    return s == null ? null : new FunctionScore(s.getItemSum(), CoopWonca.average(s.getItemSum()),
        s.getMeasuredAt());
  }

  /** Trailing MISSED outcomes of the listed meetings in outcome order (ties: order of first mention). */
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
