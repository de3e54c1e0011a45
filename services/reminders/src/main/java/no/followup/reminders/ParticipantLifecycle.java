package no.followup.reminders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * One participant's lifecycle in the reminder rules: enrolment (and re-enrolment), coordinator,
 * office, exit and erasure; and the bounds that keep the participant's state small.
 */
final class ParticipantLifecycle {

  private static final int MEETINGS_ALWAYS_KEPT = 10;

  /**
   * Most meetings one participant's state tracks. {@link #prune} only drops finished meetings
   * past the retention, so meetings booked far ahead (up to the intake's two years) would otherwise
   * pile up without limit; the state is one record
   * of the changelog and must stay far below the broker's record limit (~300 bytes a meeting: this
   * is ~150 KB). A real participant has a few dozen within the retention.
   */
  static final int MAX_TRACKED_MEETINGS = 500;

  /**
   * Most ids of forgotten tasks one participant's state keeps for erasure (~40 bytes each). They
   * cannot be dropped (erasure would then leave tasks behind), so a participant whose state is full
   * gets no further events but erasure. A real participant adds about a hundred a year.
   */
  static final int MAX_PRUNED_TASK_IDS = 2_000;

  private final ReminderParticipantState state;
  private final Instant now;
  private final ReminderRules rules;
  private final TrackedReminders reminders;

  ParticipantLifecycle(ReminderParticipantState state, Instant now, ReminderRules rules, TrackedReminders reminders) {
    this.state = state;
    this.now = now;
    this.rules = rules;
    this.reminders = reminders;
  }

  /**
   * Refuses an event that would grow a full state, before it changes anything (nothing stored or
   * sent yet, so the dead-letter handler can skip it cleanly). Erasure always passes: it deletes the state.
   */
  void requireRoom(Object payload) {
    if (payload instanceof ParticipantErased) {
      return;
    }
    if (state.getPrunedTaskIds().size() >= MAX_PRUNED_TASK_IDS) {
      throw new InvalidEventException("participant state full: " + MAX_PRUNED_TASK_IDS + " forgotten task ids kept for erasure");
    }
    if (payload instanceof SpecificRecord record && state.getMeetings().size() >= MAX_TRACKED_MEETINGS) {
      Schema.Field meetingField = record.getSchema().getField("meetingId");
      if (meetingField != null && record.get(meetingField.pos()) instanceof CharSequence meetingId
          && reminders.trackedMeeting(meetingId.toString()) == null) {
        throw new InvalidEventException("participant state full: " + MAX_TRACKED_MEETINGS + " meetings tracked");
      }
    }
  }

  /** The participant is at the office the latest event names; an event naming none leaves it as it was. */
  void updateOffice(String officeId) {
    if (officeId != null && !officeId.isBlank()) {
      state.setOfficeId(officeId);
    }
  }

  void enrol(ParticipantEnrolled enrolled, Instant at) {
    state.setEnrolled(true);
    if (state.getExited() && (state.getExitedAt() == null || at.isAfter(state.getExitedAt()))) {
      // a re-enrolment (as the status service reads it): reminders and tasks again, with the new coordinator
      state.setExited(false);
      state.setExitedAt(null);
      state.setCoordinatorId(enrolled.getCoordinatorId());
    } else if (state.getCoordinatorId() == null) {
      // a CoordinatorAssigned seen already is newer than the enrolment (it arrived first, out of order)
      state.setCoordinatorId(enrolled.getCoordinatorId());
    }
  }

  void assignCoordinator(String coordinatorId) {
    state.setCoordinatorId(coordinatorId);
  }

  void exit(Instant at) {
    if (state.getExited()) {
      if (state.getExitedAt() != null && at.isAfter(state.getExitedAt())) {
        state.setExitedAt(at);
      }
      return;
    }
    state.setExited(true);
    state.setExitedAt(at);
    for (TrackedMeeting meeting : state.getMeetings()) {
      reminders.closeAll(meeting.getReminders(), ReminderStatus.WITHDRAWN);
      if (meeting.getFollowUp() != null && reminders.close(meeting.getFollowUp(), ReminderStatus.WITHDRAWN) == null) {
        meeting.setFollowUp(null);
      }
    }
    if (state.getHomeVisitOffer() != null) {
      reminders.close(state.getHomeVisitOffer(), ReminderStatus.WITHDRAWN);
    }
    if (state.getLastMonthlyReview() != null) {
      reminders.close(state.getLastMonthlyReview(), ReminderStatus.WITHDRAWN);
    }
    // inactivity and the next monthly review are closed by FollowUpTasks.syncInactivity/syncMonthlyReview
  }

  /** Removes every timer and tells delivery to remove every task derived from this participant. */
  void erase() {
    List<TrackedReminder> all = new ArrayList<>();
    for (TrackedMeeting meeting : state.getMeetings()) {
      all.addAll(meeting.getReminders());
      if (meeting.getFollowUp() != null) {
        all.add(meeting.getFollowUp());
      }
    }
    for (TrackedReminder participantTask : new TrackedReminder[] {
        state.getHomeVisitOffer(), state.getInactivity(), state.getMonthlyReview(), state.getLastMonthlyReview()}) {
      if (participantTask != null) {
        all.add(participantTask);
      }
    }
    for (TrackedReminder reminder : all) {
      if (reminder.getState() == TrackedState.SCHEDULED) {
        reminders.unschedule(reminder);
      } else if (ReminderEngine.audienceOf(ReminderKind.valueOf(reminder.getKind())) != Audience.PARTICIPANT) {
        reminders.emitErased(reminder);
      }
    }
    for (String taskId : state.getPrunedTaskIds()) {
      reminders.emitErased(taskId);
    }
    // last, and always (even for a participant with no reminder at all): delivery removes what it
    // holds of the participant besides tasks (SMS ledger and outbox lines, receipts, the contact entry)
    reminders.emitParticipantErased();
  }

  /** Drops finished meetings older than the retention, keeping the newest ones for the miss streak. */
  void prune() {
    List<TrackedMeeting> meetings = state.getMeetings();
    if (meetings.size() <= MEETINGS_ALWAYS_KEPT) {
      return;
    }
    Instant cutoff = now.minus(rules.meetingRetention());
    List<TrackedMeeting> newestFirst = new ArrayList<>(meetings);
    newestFirst.sort(Comparator.comparing(MeetingReminders::effectiveStart, Comparator.nullsLast(Comparator.reverseOrder())));
    for (TrackedMeeting meeting : newestFirst.subList(MEETINGS_ALWAYS_KEPT, newestFirst.size())) {
      Instant start = MeetingReminders.effectiveStart(meeting);
      boolean finished = meeting.getReminders().stream().noneMatch(r -> r.getState() == TrackedState.SCHEDULED)
          && (meeting.getFollowUp() == null || meeting.getFollowUp().getState() != TrackedState.SCHEDULED);
      if (start != null && start.isBefore(cutoff) && finished) {
        reminders.remember(meeting.getFollowUp());
        meetings.remove(meetings.indexOf(meeting));
      }
    }
  }
}
