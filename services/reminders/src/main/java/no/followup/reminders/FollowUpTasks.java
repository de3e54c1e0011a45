package no.followup.reminders;

import static no.followup.reminders.TrackedReminders.isOpen;
import static no.followup.reminders.TrackedReminders.isScheduled;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The follow-up tasks of one participant, for the coordinator and the team lead: reaching out after
 * a missed meeting, offering a home visit after a streak of misses, a silence that lasts too long
 * (inactivity) and the monthly review.
 */
final class FollowUpTasks {

  private final ReminderParticipantState state;
  private final Instant now;
  private final ReminderRules rules;
  private final ReminderPlanner planner;
  private final TrackedReminders reminders;

  FollowUpTasks(ReminderParticipantState state, Instant now, ReminderRules rules, ReminderPlanner planner,
      TrackedReminders reminders) {
    this.state = state;
    this.now = now;
    this.rules = rules;
    this.planner = planner;
    this.reminders = reminders;
  }

  /** The participant was in contact at {@code at}; the latest contact ends a silence. */
  void noteContact(Instant at) {
    if (state.getLastContactAt() == null || at.isAfter(state.getLastContactAt())) {
      state.setLastContactAt(at);
    }
  }

  /** A completed home visit is a contact, and it ends a streak of misses (see {@link #reviewHomeVisit}). */
  void noteHomeVisit(Instant at) {
    if (state.getLastHomeVisitAt() == null || at.isAfter(state.getLastHomeVisitAt())) {
      state.setLastHomeVisitAt(at);
    }
    noteContact(at);
  }

  /** Sends the reach-out task for a miss of {@code meeting} recorded at {@code at}, unless that is too old to act on. */
  void reachOutAfterMiss(TrackedMeeting meeting, Instant at) {
    Instant reference = meeting.getStartsAt() != null ? meeting.getStartsAt() : at;
    if (!planner.stale(planner.attendanceCheck(reference), now)) {
      String reachOutId = reminders.idOf(meeting.getMeetingId(), ReminderKind.REACH_OUT_AFTER_MISS, meeting.getRevision(), 0L);
      TrackedReminder reachOut = reminders.newTracked(reachOutId, ReminderKind.REACH_OUT_AFTER_MISS, now, meeting.getMeetingId());
      reminders.emitDue(reachOut);
      meeting.setFollowUp(reachOut);
    }
  }

  /**
   * Reaching the participant is what a reach-out task asks for, so a reached contact resolves the
   * reach-out tasks of misses recorded before it (an attendance task still needs the attendance).
   */
  void resolveReachOuts(Instant at) {
    for (TrackedMeeting meeting : state.getMeetings()) {
      TrackedReminder followUp = meeting.getFollowUp();
      if (isOpen(followUp) && ReminderKind.REACH_OUT_AFTER_MISS.name().equals(followUp.getKind())
          && (meeting.getOutcomeAt() == null || !at.isBefore(meeting.getOutcomeAt()))) {
        reminders.close(followUp, ReminderStatus.RESOLVED);
      }
    }
  }

  /**
   * Offers a home visit after N consecutive misses (recorded, or presumed when the grace period
   * passed without a record); a streak ends with an attended meeting or a completed home visit,
   * which resolves an open offer. One open offer at a time.
   */
  void reviewHomeVisit() {
    Instant breaker = state.getLastHomeVisitAt() == null ? Instant.EPOCH : state.getLastHomeVisitAt();
    for (TrackedMeeting meeting : state.getMeetings()) {
      Instant start = MeetingReminders.effectiveStart(meeting);
      if (!meeting.getCancelled() && meeting.getOutcome() == MeetingOutcome.ATTENDED && start != null && start.isAfter(breaker)) {
        breaker = start;
      }
    }
    Instant streakBreaker = breaker;
    List<TrackedMeeting> streak = state.getMeetings().stream()
        .filter(m -> !m.getCancelled())
        .filter(m -> m.getOutcome() == MeetingOutcome.MISSED || m.getOutcome() == MeetingOutcome.PRESUMED_MISSED)
        .filter(m -> MeetingReminders.effectiveStart(m) != null && MeetingReminders.effectiveStart(m).isAfter(streakBreaker))
        .sorted(Comparator.comparing(MeetingReminders::effectiveStart))
        .toList();
    TrackedReminder offer = state.getHomeVisitOffer();
    if (streak.size() < rules.missesBeforeHomeVisit()) {
      if (isOpen(offer)) {
        reminders.close(offer, ReminderStatus.RESOLVED);
      }
      return;
    }
    if (isOpen(offer) || state.getExited()) {
      return;
    }
    TrackedMeeting latest = streak.get(streak.size() - 1);
    if (planner.stale(planner.attendanceCheck(MeetingReminders.effectiveStart(latest)), now)) {
      return;
    }
    String offerId = reminders.idOf(latest.getMeetingId(), ReminderKind.OFFER_HOME_VISIT, latest.getRevision(), 0L);
    if (offer != null && offer.getReminderId().equals(offerId)) {
      return; // this very streak was offered already and the offer was closed
    }
    TrackedReminder newOffer = reminders.newTracked(offerId, ReminderKind.OFFER_HOME_VISIT, now, latest.getMeetingId());
    reminders.emitDue(newOffer);
    reminders.remember(offer); // the closed offer of an earlier streak is still a task to erase with the participant
    state.setHomeVisitOffer(newOffer);
  }

  /** One inactivity timer per silence: it is due {@code inactivityAfter} after the latest contact. */
  void syncInactivity() {
    TrackedReminder current = state.getInactivity();
    if (!state.getEnrolled() || state.getExited() || state.getLastContactAt() == null) {
      if (current != null && reminders.close(current, ReminderStatus.WITHDRAWN) == null) {
        state.setInactivity(null);
      }
      return;
    }
    Instant due = planner.inactivityDue(state.getLastContactAt());
    if (current != null && current.getDueAt().equals(due)) {
      return;
    }
    if (current != null) {
      reminders.remember(reminders.close(current, ReminderStatus.RESOLVED)); // contact was made: the silence ended
      state.setInactivity(null);
    }
    if (planner.stale(due, now)) {
      return; // a silence that ended long ago, seen while replaying history
    }
    state.setInactivity(reminders.scheduleTimer(null, ReminderKind.INACTIVITY, 0, due));
  }

  void syncMonthlyReview() {
    TrackedReminder next = state.getMonthlyReview();
    boolean wanted = rules.monthlyReview() && state.getEnrolled() && !state.getExited();
    if (!wanted) {
      if (next != null && reminders.close(next, ReminderStatus.WITHDRAWN) == null) {
        state.setMonthlyReview(null);
      }
      return;
    }
    if (next != null && next.getState() == TrackedState.SCHEDULED) {
      return;
    }
    state.setMonthlyReview(reminders.scheduleTimer(null, ReminderKind.MONTHLY_REVIEW, 0, planner.nextMonthlyReview(now)));
  }

  /** Fires the inactivity or monthly-review timer {@code reminderId}; anything else is left alone. */
  void fire(String reminderId) {
    TrackedReminder inactivity = state.getInactivity();
    if (isScheduled(inactivity, reminderId)) {
      if (!reminders.droppedAsStale(inactivity) && state.getEnrolled() && !state.getExited()) {
        reminders.emitDue(inactivity);
      } else {
        state.setInactivity(null);
      }
      return;
    }
    TrackedReminder review = state.getMonthlyReview();
    if (isScheduled(review, reminderId)) {
      state.setMonthlyReview(null);
      if (!reminders.droppedAsStale(review) && rules.monthlyReview() && state.getEnrolled() && !state.getExited()) {
        reminders.emitDue(review);
        TrackedReminder previous = state.getLastMonthlyReview();
        if (isOpen(previous)) {
          reminders.close(previous, ReminderStatus.WITHDRAWN); // superseded by this month's review
        }
        reminders.remember(previous);
        state.setLastMonthlyReview(review);
      }
      syncMonthlyReview();
    }
  }
}
