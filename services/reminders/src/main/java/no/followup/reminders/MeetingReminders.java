package no.followup.reminders;

import static no.followup.reminders.TrackedReminders.isOpen;
import static no.followup.reminders.TrackedReminders.isScheduled;
import static no.followup.reminders.TrackedReminders.removeWhere;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import no.followup.common.rules.MeetingLifecycle;
import no.followup.events.MeetingKind;

/**
 * One participant's meetings: scheduled, moved, cancelled, attended or missed, each with the
 * reminders before it and the attendance check after it. Per meeting at most one follow-up task is
 * emitted (the attendance-not-recorded task when the grace period passes first, the reach-out task
 * when a miss is recorded first), in whatever order the events arrive.
 */
final class MeetingReminders {

  private final ReminderParticipantState state;
  private final Instant now;
  private final ReminderPlanner planner;
  private final TrackedReminders reminders;
  private final FollowUpTasks followUps;

  MeetingReminders(ReminderParticipantState state, Instant now, ReminderPlanner planner, TrackedReminders reminders,
      FollowUpTasks followUps) {
    this.state = state;
    this.now = now;
    this.planner = planner;
    this.reminders = reminders;
    this.followUps = followUps;
  }

  /**
   * When the meeting was, for pruning: its time, else its outcome's, else its cancellation's (a
   * cancellation of a meeting never scheduled here has no other time, and would never leave).
   */
  static Instant effectiveStart(TrackedMeeting meeting) {
    return meeting.getStartsAt() != null ? meeting.getStartsAt()
        : meeting.getOutcomeAt() != null ? meeting.getOutcomeAt() : meeting.getCancelledAt();
  }

  /** A meeting scheduled, or rescheduled, at {@code at} to start at {@code startsAt}. */
  void schedule(String meetingId, Instant startsAt, MeetingKind kind, Instant at) {
    TrackedMeeting meeting = trackedOrNew(meetingId);
    boolean revived = false;
    if (meeting.getCancelled()) {
      if (!MeetingLifecycle.revives(meeting.getCancelledAt(), at)) {
        return; // the cancellation came after this (re)scheduling
      }
      // scheduled again after the cancellation: a new appointment, with reminders of its own
      meeting.setCancelled(false);
      meeting.setCancelledAt(null);
      revived = true;
    }
    if (meeting.getStartsAt() != null && at.isBefore(meeting.getTimeSetAt())) {
      return; // an older schedule event arriving late
    }
    if (!revived && startsAt.equals(meeting.getStartsAt())) {
      if (kind != null) {
        meeting.setKind(kind.name());
      }
      meeting.setTimeSetAt(at);
      return; // duplicate or no change of time
    }
    boolean moved = meeting.getStartsAt() != null;
    // withdraw what belonged to the old time before the meeting record changes
    reminders.closeAll(meeting.getReminders(), ReminderStatus.WITHDRAWN);
    if (meeting.getOutcomeAt() != null && !meeting.getOutcomeAt().isBefore(at)) {
      // the recorded outcome is newer than this (re)scheduling, which arrived late: the outcome stands
      setTime(meeting, startsAt, kind, at, moved);
      return;
    }
    TrackedReminder followUp = meeting.getFollowUp();
    if (followUp != null) {
      // a moved meeting is a new appointment: whatever was pending or open for the old time is handled
      if (reminders.close(followUp, ReminderStatus.RESOLVED) == null) {
        meeting.setFollowUp(null);
      } else {
        retireFollowUp(meeting);
      }
    }
    meeting.setOutcome(MeetingOutcome.PENDING);
    meeting.setOutcomeAt(null);
    setTime(meeting, startsAt, kind, at, moved);
    plan(meeting);
  }

  private void setTime(TrackedMeeting meeting, Instant startsAt, MeetingKind kind, Instant at, boolean moved) {
    meeting.setStartsAt(startsAt);
    meeting.setTimeSetAt(at);
    if (kind != null) {
      meeting.setKind(kind.name());
    }
    if (moved) {
      meeting.setRevision(meeting.getRevision() + 1);
    }
  }

  /** Moves a closed follow-up of a meeting to the pruned ids, so a new one can be set for the new time. */
  private void retireFollowUp(TrackedMeeting meeting) {
    reminders.remember(meeting.getFollowUp());
    meeting.setFollowUp(null);
  }

  /** Schedules the reminders before the meeting and the attendance check after it. */
  private void plan(TrackedMeeting meeting) {
    if (state.getExited() || meeting.getCancelled() || meeting.getOutcome() != MeetingOutcome.PENDING
        || meeting.getStartsAt() == null) {
      return;
    }
    for (ReminderPlanner.Planned planned : planner.beforeMeeting(meeting.getStartsAt(), now)) {
      meeting.getReminders().add(
          reminders.scheduleTimer(meeting.getMeetingId(), planned.kind(), meeting.getRevision(), planned.dueAt()));
    }
    Instant check = planner.attendanceCheck(meeting.getStartsAt());
    if (meeting.getFollowUp() == null && !planner.stale(check, now)) {
      meeting.setFollowUp(
          reminders.scheduleTimer(meeting.getMeetingId(), ReminderKind.ATTENDANCE_NOT_RECORDED, meeting.getRevision(), check));
    }
  }

  void cancel(String meetingId, Instant at) {
    TrackedMeeting meeting = trackedOrNew(meetingId);
    if (meeting.getCancelled() || !MeetingLifecycle.cancels(at, meeting.getStartsAt() == null ? null : meeting.getTimeSetAt(),
        meeting.getOutcome() == MeetingOutcome.ATTENDED)) {
      return;
    }
    meeting.setCancelled(true);
    meeting.setCancelledAt(at);
    reminders.closeAll(meeting.getReminders(), ReminderStatus.WITHDRAWN);
    TrackedReminder followUp = meeting.getFollowUp();
    if (followUp != null) {
      if (followUp.getState() == TrackedState.SCHEDULED) {
        reminders.close(followUp, ReminderStatus.WITHDRAWN);
        meeting.setFollowUp(null);
      } else if (meeting.getOutcome() == MeetingOutcome.PRESUMED_MISSED) {
        // called off after the grace period: nothing was missed, the attendance task is done
        reminders.close(followUp, ReminderStatus.RESOLVED);
      }
    }
    if (meeting.getOutcome() == MeetingOutcome.PRESUMED_MISSED) {
      meeting.setOutcome(MeetingOutcome.PENDING);
    }
  }

  /** Attendance (ATTENDED or MISSED) recorded at {@code at}. */
  void recordOutcome(String meetingId, MeetingOutcome outcome, Instant at) {
    TrackedMeeting meeting = trackedOrNew(meetingId);
    if (meeting.getOutcomeAt() != null && at.isBefore(meeting.getOutcomeAt())) {
      return; // an older recording; the latest recorded outcome wins
    }
    meeting.setOutcome(outcome);
    meeting.setOutcomeAt(at);
    // attendance is known: reminders not yet sent are moot
    removeWhere(meeting.getReminders(), reminder -> {
      if (reminder.getState() != TrackedState.SCHEDULED) {
        return false;
      }
      reminders.unschedule(reminder);
      return true;
    });
    TrackedReminder followUp = meeting.getFollowUp();
    if (followUp != null && followUp.getState() == TrackedState.SCHEDULED) {
      reminders.unschedule(followUp); // the attendance timer is not needed any more
      meeting.setFollowUp(null);
      followUp = null;
    }
    if (outcome == MeetingOutcome.ATTENDED) {
      followUps.noteContact(at);
      if (isOpen(followUp)) {
        reminders.close(followUp, ReminderStatus.RESOLVED);
      }
    } else if (outcome == MeetingOutcome.MISSED && followUp == null && !state.getExited() && !meeting.getCancelled()) {
      followUps.reachOutAfterMiss(meeting, at);
    }
  }

  /**
   * Fires the reminder or attendance check {@code reminderId} of a meeting; false when no meeting
   * has that timer waiting.
   */
  boolean fire(String reminderId) {
    for (TrackedMeeting meeting : state.getMeetings()) {
      List<TrackedReminder> beforeMeeting = meeting.getReminders();
      for (int i = 0; i < beforeMeeting.size(); i++) {
        TrackedReminder reminder = beforeMeeting.get(i);
        if (isScheduled(reminder, reminderId)) {
          if (reminders.droppedAsStale(reminder) || state.getExited() || meeting.getCancelled()
              || meeting.getOutcome() != MeetingOutcome.PENDING || meeting.getStartsAt() == null
              || !meeting.getStartsAt().isAfter(now)) {
            beforeMeeting.remove(i); // too late to be of use (stale, or the meeting has started), or no longer wanted
          } else {
            reminders.emitDue(reminder);
          }
          return true;
        }
      }
      TrackedReminder attendanceCheck = meeting.getFollowUp();
      if (isScheduled(attendanceCheck, reminderId)) {
        if (reminders.droppedAsStale(attendanceCheck) || state.getExited() || meeting.getCancelled()
            || meeting.getOutcome() != MeetingOutcome.PENDING) {
          meeting.setFollowUp(null);
        } else {
          reminders.emitDue(attendanceCheck);
          meeting.setOutcome(MeetingOutcome.PRESUMED_MISSED);
          followUps.reviewHomeVisit();
        }
        return true;
      }
    }
    return false;
  }

  /** The tracked meeting with this id; a new one (pending, no time yet) when there is none. */
  private TrackedMeeting trackedOrNew(String meetingId) {
    TrackedMeeting known = reminders.trackedMeeting(meetingId);
    if (known != null) {
      return known;
    }
    TrackedMeeting meeting = TrackedMeeting.newBuilder()
        .setMeetingId(meetingId)
        .setTimeSetAt(Instant.EPOCH)
        .setOutcome(MeetingOutcome.PENDING)
        .setReminders(new ArrayList<>())
        .build();
    state.getMeetings().add(meeting);
    return meeting;
  }
}
