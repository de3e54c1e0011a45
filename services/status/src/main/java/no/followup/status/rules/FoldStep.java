package no.followup.status.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import no.followup.common.rules.MeetingLifecycle;
import no.followup.events.BenefitGranted;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationStarted;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.JobStarted;
import no.followup.events.MappingCompleted;
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
import no.followup.events.ParticipantReferred;
import no.followup.events.ReferralDeclined;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.FoldAssignment;
import no.followup.status.FoldMapping;
import no.followup.status.FoldMeeting;
import no.followup.status.FoldScore;
import no.followup.status.MeetingState;
import no.followup.status.StatusFold;

/**
 * Applies one event to a {@link StatusFold}, the event coming after every event already folded
 * (in {@link StatusRules#ORDER}). Touches only the bounded state, so the cost of an event does
 * not depend on the participant's history. See {@link StatusRules} for what the rules mean.
 */
final class FoldStep {

  /** Which listed meeting leaves the list first (see {@link #retireOneMeeting}). */
  private static final Comparator<FoldMeeting> RETIRED_FIRST = Comparator
      .comparing((FoldMeeting m) -> MeetingState.SCHEDULED.name().equals(m.getState()))
      .thenComparing(m -> MeetingState.SCHEDULED.name().equals(m.getState()) ? -startsAtOrMax(m) : 0L)
      .thenComparingInt(FoldMeeting::getLastActiveIndex);

  private static long startsAtOrMax(FoldMeeting m) {
    return m.getStartsAt() == null ? Long.MAX_VALUE : m.getStartsAt().toEpochMilli();
  }

  private final StatusFold f;
  private final int index;
  private final Instant at;

  private FoldStep(StatusFold fold, FollowUpEvent event) {
    this.f = fold;
    this.index = fold.getIndex() + 1;
    this.at = event.getOccurredAt();
  }

  static void apply(StatusFold fold, FollowUpEvent event) {
    new FoldStep(fold, event).apply(event);
  }

  private void apply(FollowUpEvent e) {
    f.setIndex(index);
    Object p = e.getPayload();
    if (p instanceof ParticipantErased) {
      return;
    }
    f.setEventCount(f.getEventCount() + 1);
    if (at.isAfter(f.getLastEventAt())) {
      f.setLastEventAt(at);
    }
    f.setOfficeOfLatestEvent(e.getOfficeId());
    if (e.getCohortId() != null) {
      f.setCohortOfLatestEvent(e.getCohortId());
    }

    if (p instanceof ParticipantEnrolled en) {
      enrol(e, en);
    } else if (p instanceof CoordinatorAssigned ca) {
      f.setCoordinatorId(ca.getCoordinatorId());
    } else if (p instanceof MappingCompleted m) {
      keepLatest(f.getMappings(), new FoldMapping(m.getInstrument().name(), at), StatusRules.MAX_LISTED_MAPPINGS);
      if (f.getFirstMappingAt() == null) {
        f.setFirstMappingAt(at);
      }
    } else if (p instanceof MeetingScheduled ms) {
      schedule(ms.getMeetingId(), ms.getStartsAt(), ms.getKind());
    } else if (p instanceof MeetingRescheduled mr) {
      schedule(mr.getMeetingId(), mr.getStartsAt(), mr.getKind());
    } else if (p instanceof MeetingCancelled mc) {
      FoldMeeting m = meeting(mc.getMeetingId(), null);
      // folded in occurrence order: no (re)scheduling after this cancellation has been folded yet
      if (MeetingLifecycle.cancels(at, null, MeetingState.ATTENDED.name().equals(m.getState()))) {
        m.setState(MeetingState.CANCELLED.name());
        m.setOutcomeAt(null);
      }
    } else if (p instanceof MeetingAttended ma) {
      outcome(ma.getMeetingId(), MeetingState.ATTENDED, null);
      contact();
    } else if (p instanceof MeetingMissed mm) {
      outcome(mm.getMeetingId(), MeetingState.MISSED, null);
    } else if (p instanceof HomeVisitCompleted hv) {
      f.setHomeVisits(f.getHomeVisits() + 1);
      if (hv.getMeetingId() != null) {
        outcome(hv.getMeetingId(), MeetingState.ATTENDED, MeetingKind.HOME_VISIT);
      }
      contact();
    } else if (p instanceof ContactMade c) {
      if (c.getReached()) {
        contact();
      } else if (f.getLastContactAttemptAt() == null || at.isAfter(f.getLastContactAttemptAt())) {
        f.setLastContactAttemptAt(at);
      }
    } else if (p instanceof ServiceStarted ss) {
      startService(ss.getService(), ss.getSpecialistId());
    } else if (p instanceof ServiceEnded se) {
      endService(se.getService(), se.getSpecialistId());
    } else if (p instanceof MeasureStarted ms) {
      List<Integer> open = f.getOpenMeasures().computeIfAbsent(ms.getMeasure().name(), k -> new ArrayList<>());
      keepLatest(open, index, StatusRules.MAX_OPEN_STARTS_PER_MEASURE);
    } else if (p instanceof MeasureEnded me) {
      List<Integer> open = f.getOpenMeasures().get(me.getMeasure().name());
      if (open != null && !open.isEmpty()) {
        open.remove(open.size() - 1);
      }
    } else if (p instanceof JobStarted) {
      f.setJobSince(index);
    } else if (p instanceof EducationStarted) {
      f.setEducationSince(index);
    } else if (p instanceof BenefitGranted bg) {
      switch (bg.getBenefit()) {
        case AAP -> f.setAapSince(index);
        case DISABILITY -> f.setDisabilitySince(index);
        default -> { /* other benefits do not decide the situation */ }
      }
    } else if (p instanceof ParticipantMoved) {
      f.setMoved(true);
    } else if (p instanceof FunctionScoreRecorded s) {
      if (!f.getEnrolled() || f.getExitedAt() != null && at.isAfter(f.getExitedAt())) {
        // a before/after pair lies within the stay: from enrolment to exit, a measurement at the
        // exit's own minute included (it folds after the exit when it was recorded after it)
        return;
      }
      FoldScore score = new FoldScore(StatusRules.itemSum(s), at);
      if (f.getFirstScore() == null) {
        f.setFirstScore(score);
      }
      f.setLatestScore(score);
      f.setScoreCount(f.getScoreCount() + 1);
    } else if (p instanceof IndividualPlanStarted) {
      if (f.getIndividualPlanStartedAt() == null) {
        f.setIndividualPlanStartedAt(at);
      }
    } else if (p instanceof ParticipantReferred) {
      if (f.getReferredAt() == null) {
        f.setReferredAt(at);
      }
    } else if (p instanceof ReferralDeclined declined) {
      f.setReferralDeclinedAt(at);
      f.setReferralDeclineReason(declined.getReason().name());
    } else if (p instanceof ParticipantExited x) {
      f.setExitedAt(at);
      f.setExitReason(x.getReason().name());
      f.setSituationAtExit(StatusView.situationFromFacts(f).name());
    }
  }

  private void enrol(FollowUpEvent e, ParticipantEnrolled en) {
    boolean reEnrolment = f.getExitedAt() != null || f.getMoved();
    if (!f.getEnrolled() || reEnrolment) {
      f.setEnrolledAt(at);
      startStay(reEnrolment);
    }
    f.setEnrolled(true);
    f.setExitedAt(null);
    f.setExitReason(null);
    f.setSituationAtExit(null);
    f.setMoved(false);
    f.setEnrolmentOffice(e.getOfficeId());
    f.setEnrolmentCohort(e.getCohortId());
    f.setTargetGroups(new ArrayList<>(en.getTargetGroups().stream().map(TargetGroup::name).distinct().toList()));
    f.setCoordinatorId(en.getCoordinatorId());
    if (en.getCounsellorId() != null) {
      f.setCounsellorId(en.getCounsellorId());
    }
    contact();
  }

  /**
   * A new stay in the project starts: COOP/WONCA pairs count from its enrolment on, and someone taken
   * in again after an exit is no longer in the job or education they may have left with.
   */
  private void startStay(boolean reEnrolment) {
    f.setFirstScore(null);
    f.setLatestScore(null);
    f.setScoreCount(0);
    if (reEnrolment) {
      f.setJobSince(-1);
      f.setEducationSince(-1);
    }
  }

  private void contact() {
    if (f.getLastContactAt() == null || at.isAfter(f.getLastContactAt())) {
      f.setLastContactAt(at);
    }
    if (f.getFirstMappingAt() != null && !at.isBefore(f.getFirstMappingAt())) {
      f.setFollowUpContactAfterMapping(true);
    }
  }

  /**
   * The listed meeting with this id, marked active now; a new one when it is not listed. A new
   * meeting beyond {@link StatusRules#MAX_LISTED_MEETINGS} retires one ({@link #retireOneMeeting})
   * into the retired counters, so the totals still count it.
   */
  private FoldMeeting meeting(String meetingId, MeetingKind kindIfNew) {
    List<FoldMeeting> meetings = f.getMeetings();
    for (FoldMeeting m : meetings) {
      if (m.getMeetingId().equals(meetingId)) {
        m.setLastActiveIndex(index);
        return m;
      }
    }
    if (meetings.size() >= StatusRules.MAX_LISTED_MEETINGS) {
      retireOneMeeting(meetings);
    }
    FoldMeeting m = new FoldMeeting(meetingId, null, kindIfNew == null ? null : kindIfNew.name(),
        MeetingState.SCHEDULED.name(), null, index);
    meetings.add(m);
    return m;
  }

  /**
   * Retires the meeting least worth listing: a settled one (attended, missed, cancelled) least
   * recently active, else the scheduled one furthest ahead (one without a time first). Upcoming
   * meetings stay listed while settled ones can go: a coordinator who books a year of weekly
   * meetings at once must still see next week's, and each of them is counted once.
   */
  private void retireOneMeeting(List<FoldMeeting> meetings) {
    int oldest = 0;
    for (int i = 1; i < meetings.size(); i++) {
      if (RETIRED_FIRST.compare(meetings.get(i), meetings.get(oldest)) < 0) {
        oldest = i;
      }
    }
    MeetingState state = MeetingState.valueOf(meetings.remove(oldest).getState());
    if (state == MeetingState.CANCELLED) {
      f.setRetiredCancelled(f.getRetiredCancelled() + 1);
      return;
    }
    f.setRetiredScheduled(f.getRetiredScheduled() + 1);
    if (state == MeetingState.ATTENDED) {
      f.setRetiredAttended(f.getRetiredAttended() + 1);
    } else if (state == MeetingState.MISSED) {
      f.setRetiredMissed(f.getRetiredMissed() + 1);
    }
  }

  private void schedule(String meetingId, Instant startsAt, MeetingKind kind) {
    FoldMeeting m = meeting(meetingId, kind);
    m.setStartsAt(startsAt);
    if (kind != null) {
      m.setKind(kind.name());
    }
    // MeetingLifecycle.revives: folded in occurrence order, this scheduling is at or after any cancellation folded
    if (MeetingState.CANCELLED.name().equals(m.getState())) {
      m.setState(MeetingState.SCHEDULED.name());
    }
  }

  private void outcome(String meetingId, MeetingState state, MeetingKind kindIfNew) {
    FoldMeeting m = meeting(meetingId, kindIfNew);
    m.setState(state.name());
    m.setOutcomeAt(at);
  }

  private void startService(SupportService service, String specialistId) {
    List<FoldAssignment> assignments = f.getAssignments();
    boolean alreadyOpen = assignments.stream().anyMatch(a -> a.getService().equals(service.name())
        && a.getSpecialistId().equals(specialistId) && a.getEndedAt() == null);
    if (!alreadyOpen) {
      assignments.add(new FoldAssignment(service.name(), specialistId, at, null));
      if (assignments.size() > StatusRules.MAX_LISTED_ASSIGNMENTS) {
        // the oldest ended assignment goes first; only when every one is open, the oldest open one
        int drop = 0;
        for (int i = 0; i < assignments.size(); i++) {
          if (assignments.get(i).getEndedAt() != null) {
            drop = i;
            break;
          }
        }
        assignments.remove(drop);
      }
    }
    if (service == SupportService.HEALTH_SUPPORT) {
      f.setHealthSupport(true);
    } else if (service == SupportService.JOB_SUPPORT_IPS) {
      f.setJobSupport(true);
    }
  }

  private void endService(SupportService service, String specialistId) {
    for (FoldAssignment a : f.getAssignments()) {
      if (a.getService().equals(service.name()) && a.getSpecialistId().equals(specialistId) && a.getEndedAt() == null) {
        a.setEndedAt(at);
        return;
      }
    }
  }

  /** Appends {@code item}, dropping the oldest items beyond {@code max}. */
  private static <T> void keepLatest(List<T> list, T item, int max) {
    list.add(item);
    while (list.size() > max) {
      list.remove(0);
    }
  }
}
