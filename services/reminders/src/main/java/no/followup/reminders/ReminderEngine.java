package no.followup.reminders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import no.followup.common.rules.MeetingLifecycle;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The reminder rules applied to one participant's state. No Kafka here: the caller supplies the
 * state, the current wall-clock time and {@link Effects} (the due index and the output), so the
 * same code runs in the stream processor and is easy to reason about.
 *
 * <p>Everything is idempotent: applying the same event twice, or a timer that is no longer
 * wanted, changes nothing. Per meeting at most one follow-up task is emitted (the
 * attendance-not-recorded task when the grace period passes first, the reach-out task when a miss
 * is recorded first), in whatever order the events arrive.
 */
final class ReminderEngine {

  /** What the engine asks its caller to do. */
  interface Effects {
    /** Put {@code reminder} into the due index. */
    void schedule(String participantId, TrackedReminder reminder);

    /** Remove {@code reminder} from the due index. */
    void unschedule(TrackedReminder reminder);

    /** Send a record to the reminders topic. */
    void emit(Reminder reminder);

    /** {@code reminder}'s timer fired longer than the history cutoff after it fell due and was dropped unsent. */
    void droppedStale(TrackedReminder reminder);
  }

  private static final int MEETINGS_ALWAYS_KEPT = 10;

  /**
   * Most meetings one participant's state tracks. {@link Run#prune} only drops finished meetings
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

  private final ReminderRules rules;
  private final ReminderPlanner planner;

  ReminderEngine(ReminderRules rules) {
    this.rules = rules;
    this.planner = new ReminderPlanner(rules);
  }

  static ReminderParticipantState newState(String participantId, String officeId) {
    return ReminderParticipantState.newBuilder()
        .setParticipantId(participantId)
        .setOfficeId(officeId == null ? "" : officeId)
        .setMeetings(new ArrayList<>())
        .setPrunedTaskIds(new ArrayList<>())
        .build();
  }

  /**
   * Applies one event.
   *
   * @return false when the participant was erased and the state must be deleted
   */
  boolean onEvent(ReminderParticipantState state, FollowUpEvent event, Instant now, Effects effects) {
    return new Run(state, now, effects).apply(event);
  }

  /** A timer of the due index fired. */
  void onDue(ReminderParticipantState state, String reminderId, Instant now, Effects effects) {
    new Run(state, now, effects).fire(reminderId);
  }

  static Audience audienceOf(ReminderKind kind) {
    return switch (kind) {
      case MEETING_REMINDER, MEETING_REMINDER_SAME_MORNING -> Audience.PARTICIPANT;
      case MONTHLY_REVIEW -> Audience.TEAM_LEAD;
      case ATTENDANCE_NOT_RECORDED, REACH_OUT_AFTER_MISS, OFFER_HOME_VISIT, INACTIVITY -> Audience.COORDINATOR;
      case UNKNOWN -> Audience.UNKNOWN;
    };
  }

  /** One application of the rules: the state, "now" and the effects, held together. */
  private final class Run {
    private final ReminderParticipantState s;
    private final Instant now;
    private final Effects fx;

    Run(ReminderParticipantState state, Instant now, Effects effects) {
      this.s = state;
      this.now = now;
      this.fx = effects;
    }

    boolean apply(FollowUpEvent e) {
      requireRoom(e.getPayload());
      if (e.getOfficeId() != null && !e.getOfficeId().isBlank()) {
        s.setOfficeId(e.getOfficeId());
      }
      Instant at = e.getOccurredAt();
      Object p = e.getPayload();
      if (p instanceof ParticipantErased) {
        erase();
        return false;
      } else if (p instanceof ParticipantEnrolled enrolled) {
        s.setEnrolled(true);
        if (s.getExited() && (s.getExitedAt() == null || at.isAfter(s.getExitedAt()))) {
          // a re-enrolment (as the status service reads it): reminders and tasks again, with the new coordinator
          s.setExited(false);
          s.setExitedAt(null);
          s.setCoordinatorId(enrolled.getCoordinatorId());
        } else if (s.getCoordinatorId() == null) {
          // a CoordinatorAssigned seen already is newer than the enrolment (it arrived first, out of order)
          s.setCoordinatorId(enrolled.getCoordinatorId());
        }
        contact(at);
      } else if (p instanceof CoordinatorAssigned assigned) {
        s.setCoordinatorId(assigned.getCoordinatorId());
      } else if (p instanceof MeetingScheduled scheduled) {
        schedule(scheduled.getMeetingId(), scheduled.getStartsAt(), scheduled.getKind(), at);
      } else if (p instanceof MeetingRescheduled rescheduled) {
        schedule(rescheduled.getMeetingId(), rescheduled.getStartsAt(), rescheduled.getKind(), at);
      } else if (p instanceof MeetingCancelled cancelled) {
        cancel(cancelled.getMeetingId(), at);
      } else if (p instanceof MeetingAttended attended) {
        outcome(attended.getMeetingId(), MeetingOutcome.ATTENDED, at);
      } else if (p instanceof MeetingMissed missed) {
        outcome(missed.getMeetingId(), MeetingOutcome.MISSED, at);
      } else if (p instanceof HomeVisitCompleted visit) {
        if (s.getLastHomeVisitAt() == null || at.isAfter(s.getLastHomeVisitAt())) {
          s.setLastHomeVisitAt(at);
        }
        contact(at);
        if (visit.getMeetingId() != null) {
          outcome(visit.getMeetingId(), MeetingOutcome.ATTENDED, at);
        }
        // an open home-visit offer is resolved by reviewHomeVisit: the visit ends the streak of misses
      } else if (p instanceof ContactMade contact) {
        if (contact.getReached()) {
          contact(at);
          resolveReachOuts(at);
        }
      } else if (p instanceof MappingCompleted || p instanceof IndividualPlanStarted) {
        contact(at); // both are conversations with the participant
      } else if (p instanceof ParticipantExited) {
        exit(at);
      }
      reviewHomeVisit();
      syncInactivity();
      syncMonthlyReview();
      prune();
      return true;
    }

    /**
     * Refuses an event that would grow a full state, before it changes anything (nothing stored or
     * sent yet, so the dead-letter handler can skip it cleanly). Erasure always passes: it deletes the state.
     */
    private void requireRoom(Object payload) {
      if (payload instanceof ParticipantErased) {
        return;
      }
      if (s.getPrunedTaskIds().size() >= MAX_PRUNED_TASK_IDS) {
        throw new InvalidEventException("participant state full: " + MAX_PRUNED_TASK_IDS + " forgotten task ids kept for erasure");
      }
      if (payload instanceof SpecificRecord record && s.getMeetings().size() >= MAX_TRACKED_MEETINGS) {
        Schema.Field meetingField = record.getSchema().getField("meetingId");
        if (meetingField != null && record.get(meetingField.pos()) instanceof CharSequence meetingId
            && tracked(meetingId.toString()) == null) {
          throw new InvalidEventException("participant state full: " + MAX_TRACKED_MEETINGS + " meetings tracked");
        }
      }
    }

    // ---- meetings -------------------------------------------------------------------------

    private void schedule(String meetingId, Instant startsAt, MeetingKind kind, Instant at) {
      TrackedMeeting m = meeting(meetingId);
      boolean revived = false;
      if (m.getCancelled()) {
        if (!MeetingLifecycle.revives(m.getCancelledAt(), at)) {
          return; // the cancellation came after this (re)scheduling
        }
        // scheduled again after the cancellation: a new appointment, with reminders of its own
        m.setCancelled(false);
        m.setCancelledAt(null);
        revived = true;
      }
      if (m.getStartsAt() != null && at.isBefore(m.getTimeSetAt())) {
        return; // an older schedule event arriving late
      }
      if (!revived && startsAt.equals(m.getStartsAt())) {
        if (kind != null) {
          m.setKind(kind.name());
        }
        m.setTimeSetAt(at);
        return; // duplicate or no change of time
      }
      boolean moved = m.getStartsAt() != null;
      // withdraw what belonged to the old time before the meeting record changes
      closeAll(m.getReminders(), ReminderStatus.WITHDRAWN);
      if (m.getOutcomeAt() != null && !m.getOutcomeAt().isBefore(at)) {
        // the recorded outcome is newer than this (re)scheduling, which arrived late: the outcome stands
        setTime(m, startsAt, kind, at, moved);
        return;
      }
      TrackedReminder followUp = m.getFollowUp();
      if (followUp != null) {
        // a moved meeting is a new appointment: whatever was pending or open for the old time is handled
        if (close(followUp, ReminderStatus.RESOLVED) == null) {
          m.setFollowUp(null);
        } else {
          retireFollowUp(m);
        }
      }
      m.setOutcome(MeetingOutcome.PENDING);
      m.setOutcomeAt(null);
      setTime(m, startsAt, kind, at, moved);
      plan(m);
    }

    private void setTime(TrackedMeeting m, Instant startsAt, MeetingKind kind, Instant at, boolean moved) {
      m.setStartsAt(startsAt);
      m.setTimeSetAt(at);
      if (kind != null) {
        m.setKind(kind.name());
      }
      if (moved) {
        m.setRevision(m.getRevision() + 1);
      }
    }

    /** Schedules the reminders before the meeting and the attendance check after it. */
    private void plan(TrackedMeeting m) {
      if (s.getExited() || m.getCancelled() || m.getOutcome() != MeetingOutcome.PENDING || m.getStartsAt() == null) {
        return;
      }
      for (ReminderPlanner.Planned planned : planner.beforeMeeting(m.getStartsAt(), now)) {
        long due = planned.dueAt().toEpochMilli();
        TrackedReminder r = tracked(ReminderIds.of(s.getParticipantId(), m.getMeetingId(), planned.kind(), m.getRevision(), due),
            planned.kind(), planned.dueAt(), m.getMeetingId());
        fx.schedule(s.getParticipantId(), r);
        m.getReminders().add(r);
      }
      Instant check = planner.attendanceCheck(m.getStartsAt());
      if (m.getFollowUp() == null && !planner.stale(check, now)) {
        TrackedReminder r = tracked(ReminderIds.of(s.getParticipantId(), m.getMeetingId(), ReminderKind.ATTENDANCE_NOT_RECORDED,
            m.getRevision(), check.toEpochMilli()), ReminderKind.ATTENDANCE_NOT_RECORDED, check, m.getMeetingId());
        fx.schedule(s.getParticipantId(), r);
        m.setFollowUp(r);
      }
    }

    private void cancel(String meetingId, Instant at) {
      TrackedMeeting m = meeting(meetingId);
      if (m.getCancelled() || !MeetingLifecycle.cancels(at, m.getStartsAt() == null ? null : m.getTimeSetAt(),
          m.getOutcome() == MeetingOutcome.ATTENDED)) {
        return;
      }
      m.setCancelled(true);
      m.setCancelledAt(at);
      closeAll(m.getReminders(), ReminderStatus.WITHDRAWN);
      TrackedReminder followUp = m.getFollowUp();
      if (followUp != null) {
        if (followUp.getState() == TrackedState.SCHEDULED) {
          close(followUp, ReminderStatus.WITHDRAWN);
          m.setFollowUp(null);
        } else if (m.getOutcome() == MeetingOutcome.PRESUMED_MISSED) {
          // called off after the grace period: nothing was missed, the attendance task is done
          close(followUp, ReminderStatus.RESOLVED);
        }
      }
      if (m.getOutcome() == MeetingOutcome.PRESUMED_MISSED) {
        m.setOutcome(MeetingOutcome.PENDING);
      }
    }

    private void outcome(String meetingId, MeetingOutcome outcome, Instant at) {
      TrackedMeeting m = meeting(meetingId);
      if (m.getOutcomeAt() != null && at.isBefore(m.getOutcomeAt())) {
        return; // an older recording; the latest recorded outcome wins
      }
      m.setOutcome(outcome);
      m.setOutcomeAt(at);
      // attendance is known: reminders not yet sent are moot
      removeWhere(m.getReminders(), r -> {
        if (r.getState() != TrackedState.SCHEDULED) {
          return false;
        }
        fx.unschedule(r);
        return true;
      });
      TrackedReminder followUp = m.getFollowUp();
      if (followUp != null && followUp.getState() == TrackedState.SCHEDULED) {
        fx.unschedule(followUp); // the attendance timer is not needed any more
        m.setFollowUp(null);
        followUp = null;
      }
      if (outcome == MeetingOutcome.ATTENDED) {
        contact(at);
        if (isOpen(followUp)) {
          close(followUp, ReminderStatus.RESOLVED);
        }
      } else if (outcome == MeetingOutcome.MISSED && followUp == null && !s.getExited() && !m.getCancelled()) {
        Instant reference = m.getStartsAt() != null ? m.getStartsAt() : at;
        if (!planner.stale(planner.attendanceCheck(reference), now)) {
          TrackedReminder reachOut = tracked(ReminderIds.of(s.getParticipantId(), m.getMeetingId(),
              ReminderKind.REACH_OUT_AFTER_MISS, m.getRevision(), 0L), ReminderKind.REACH_OUT_AFTER_MISS, now, m.getMeetingId());
          emitDue(reachOut);
          m.setFollowUp(reachOut);
        }
      }
    }

    /**
     * Offers a home visit after N consecutive misses (recorded, or presumed when the grace period
     * passed without a record); a streak ends with an attended meeting or a completed home visit,
     * which resolves an open offer. One open offer at a time.
     */
    private void reviewHomeVisit() {
      Instant breaker = s.getLastHomeVisitAt() == null ? Instant.EPOCH : s.getLastHomeVisitAt();
      for (TrackedMeeting m : s.getMeetings()) {
        Instant start = effectiveStart(m);
        if (!m.getCancelled() && m.getOutcome() == MeetingOutcome.ATTENDED && start != null && start.isAfter(breaker)) {
          breaker = start;
        }
      }
      Instant streakBreaker = breaker;
      List<TrackedMeeting> streak = s.getMeetings().stream()
          .filter(m -> !m.getCancelled())
          .filter(m -> m.getOutcome() == MeetingOutcome.MISSED || m.getOutcome() == MeetingOutcome.PRESUMED_MISSED)
          .filter(m -> effectiveStart(m) != null && effectiveStart(m).isAfter(streakBreaker))
          .sorted(Comparator.comparing(this::effectiveStart))
          .toList();
      TrackedReminder offer = s.getHomeVisitOffer();
      if (streak.size() < rules.missesBeforeHomeVisit()) {
        if (isOpen(offer)) {
          close(offer, ReminderStatus.RESOLVED);
        }
        return;
      }
      if (isOpen(offer) || s.getExited()) {
        return;
      }
      TrackedMeeting latest = streak.get(streak.size() - 1);
      if (planner.stale(planner.attendanceCheck(effectiveStart(latest)), now)) {
        return;
      }
      String id = ReminderIds.of(s.getParticipantId(), latest.getMeetingId(), ReminderKind.OFFER_HOME_VISIT, latest.getRevision(), 0L);
      if (offer != null && offer.getReminderId().equals(id)) {
        return; // this very streak was offered already and the offer was closed
      }
      TrackedReminder newOffer = tracked(id, ReminderKind.OFFER_HOME_VISIT, now, latest.getMeetingId());
      emitDue(newOffer);
      remember(offer); // the closed offer of an earlier streak is still a task to erase with the participant
      s.setHomeVisitOffer(newOffer);
    }

    // ---- contact, inactivity, monthly review --------------------------------------------------

    private void contact(Instant at) {
      if (s.getLastContactAt() == null || at.isAfter(s.getLastContactAt())) {
        s.setLastContactAt(at);
      }
    }

    /**
     * Reaching the participant is what a reach-out task asks for, so a reached contact resolves the
     * reach-out tasks of misses recorded before it (an attendance task still needs the attendance).
     */
    private void resolveReachOuts(Instant at) {
      for (TrackedMeeting m : s.getMeetings()) {
        TrackedReminder followUp = m.getFollowUp();
        if (isOpen(followUp) && ReminderKind.REACH_OUT_AFTER_MISS.name().equals(followUp.getKind())
            && (m.getOutcomeAt() == null || !at.isBefore(m.getOutcomeAt()))) {
          close(followUp, ReminderStatus.RESOLVED);
        }
      }
    }

    /** One inactivity timer per silence: it is due {@code inactivityAfter} after the latest contact. */
    private void syncInactivity() {
      TrackedReminder current = s.getInactivity();
      if (!s.getEnrolled() || s.getExited() || s.getLastContactAt() == null) {
        if (current != null && close(current, ReminderStatus.WITHDRAWN) == null) {
          s.setInactivity(null);
        }
        return;
      }
      Instant due = planner.inactivityDue(s.getLastContactAt());
      if (current != null && current.getDueAt().equals(due)) {
        return;
      }
      if (current != null) {
        remember(close(current, ReminderStatus.RESOLVED)); // contact was made: the silence ended
        s.setInactivity(null);
      }
      if (planner.stale(due, now)) {
        return; // a silence that ended long ago, seen while replaying history
      }
      TrackedReminder r = tracked(ReminderIds.of(s.getParticipantId(), null, ReminderKind.INACTIVITY, 0, due.toEpochMilli()),
          ReminderKind.INACTIVITY, due, null);
      fx.schedule(s.getParticipantId(), r);
      s.setInactivity(r);
    }

    private void syncMonthlyReview() {
      TrackedReminder next = s.getMonthlyReview();
      boolean wanted = rules.monthlyReview() && s.getEnrolled() && !s.getExited();
      if (!wanted) {
        if (next != null && close(next, ReminderStatus.WITHDRAWN) == null) {
          s.setMonthlyReview(null);
        }
        return;
      }
      if (next != null && next.getState() == TrackedState.SCHEDULED) {
        return;
      }
      Instant due = planner.nextMonthlyReview(now);
      TrackedReminder r = tracked(ReminderIds.of(s.getParticipantId(), null, ReminderKind.MONTHLY_REVIEW, 0, due.toEpochMilli()),
          ReminderKind.MONTHLY_REVIEW, due, null);
      fx.schedule(s.getParticipantId(), r);
      s.setMonthlyReview(r);
    }

    // ---- timers ---------------------------------------------------------------------------------

    /**
     * A timer fired. One that fell due longer ago than the history cutoff (the application was down
     * that long) is dropped unsent, like the timers replayed history never sets: its reminder or
     * task would come too late to act on, and an outage must not flood coordinators. A dropped
     * attendance check does not presume the meeting missed (it starts no home-visit streak), and a
     * dropped monthly review still sets the next one.
     */
    void fire(String reminderId) {
      for (TrackedMeeting m : s.getMeetings()) {
        List<TrackedReminder> reminders = m.getReminders();
        for (int i = 0; i < reminders.size(); i++) {
          TrackedReminder r = reminders.get(i);
          if (r.getReminderId().equals(reminderId) && r.getState() == TrackedState.SCHEDULED) {
            if (droppedAsStale(r) || s.getExited() || m.getCancelled() || m.getOutcome() != MeetingOutcome.PENDING
                || m.getStartsAt() == null || !m.getStartsAt().isAfter(now)) {
              reminders.remove(i); // too late to be of use (stale, or the meeting has started), or no longer wanted
            } else {
              emitDue(r);
            }
            return;
          }
        }
        TrackedReminder followUp = m.getFollowUp();
        if (followUp != null && followUp.getReminderId().equals(reminderId) && followUp.getState() == TrackedState.SCHEDULED) {
          if (droppedAsStale(followUp) || s.getExited() || m.getCancelled() || m.getOutcome() != MeetingOutcome.PENDING) {
            m.setFollowUp(null);
          } else {
            emitDue(followUp);
            m.setOutcome(MeetingOutcome.PRESUMED_MISSED);
            reviewHomeVisit();
          }
          return;
        }
      }
      TrackedReminder inactivity = s.getInactivity();
      if (inactivity != null && inactivity.getReminderId().equals(reminderId) && inactivity.getState() == TrackedState.SCHEDULED) {
        if (!droppedAsStale(inactivity) && s.getEnrolled() && !s.getExited()) {
          emitDue(inactivity);
        } else {
          s.setInactivity(null);
        }
        return;
      }
      TrackedReminder review = s.getMonthlyReview();
      if (review != null && review.getReminderId().equals(reminderId) && review.getState() == TrackedState.SCHEDULED) {
        s.setMonthlyReview(null);
        if (!droppedAsStale(review) && rules.monthlyReview() && s.getEnrolled() && !s.getExited()) {
          emitDue(review);
          TrackedReminder previous = s.getLastMonthlyReview();
          if (isOpen(previous)) {
            close(previous, ReminderStatus.WITHDRAWN); // superseded by this month's review
          }
          remember(previous);
          s.setLastMonthlyReview(review);
        }
        syncMonthlyReview();
      }
      // otherwise: an index entry whose reminder was closed meanwhile; nothing to do
    }

    /** True, and reported, when {@code timer} fell due longer ago than the history cutoff. */
    private boolean droppedAsStale(TrackedReminder timer) {
      if (!planner.stale(timer.getDueAt(), now)) {
        return false;
      }
      fx.droppedStale(timer);
      return true;
    }

    // ---- exit and erasure -------------------------------------------------------------------

    private void exit(Instant at) {
      if (s.getExited()) {
        if (s.getExitedAt() != null && at.isAfter(s.getExitedAt())) {
          s.setExitedAt(at);
        }
        return;
      }
      s.setExited(true);
      s.setExitedAt(at);
      for (TrackedMeeting m : s.getMeetings()) {
        closeAll(m.getReminders(), ReminderStatus.WITHDRAWN);
        if (m.getFollowUp() != null && close(m.getFollowUp(), ReminderStatus.WITHDRAWN) == null) {
          m.setFollowUp(null);
        }
      }
      if (s.getHomeVisitOffer() != null) {
        close(s.getHomeVisitOffer(), ReminderStatus.WITHDRAWN);
      }
      if (s.getLastMonthlyReview() != null) {
        close(s.getLastMonthlyReview(), ReminderStatus.WITHDRAWN);
      }
      // inactivity and the next monthly review are closed by syncInactivity/syncMonthlyReview
    }

    /** Removes every timer and tells delivery to remove every task derived from this participant. */
    private void erase() {
      List<TrackedReminder> all = new ArrayList<>();
      for (TrackedMeeting m : s.getMeetings()) {
        all.addAll(m.getReminders());
        if (m.getFollowUp() != null) {
          all.add(m.getFollowUp());
        }
      }
      for (TrackedReminder r : new TrackedReminder[] {s.getHomeVisitOffer(), s.getInactivity(), s.getMonthlyReview(), s.getLastMonthlyReview()}) {
        if (r != null) {
          all.add(r);
        }
      }
      for (TrackedReminder r : all) {
        if (r.getState() == TrackedState.SCHEDULED) {
          fx.unschedule(r);
        } else if (audienceOf(ReminderKind.valueOf(r.getKind())) != Audience.PARTICIPANT) {
          fx.emit(reminder(r, ReminderStatus.ERASED));
        }
      }
      for (String taskId : s.getPrunedTaskIds()) {
        TrackedReminder pruned = tracked(taskId, ReminderKind.UNKNOWN, now, null);
        fx.emit(reminder(pruned, ReminderStatus.ERASED));
      }
      // last, and always (even for a participant with no reminder at all): delivery removes what it
      // holds of the participant besides tasks (SMS ledger and outbox lines, receipts, the contact entry)
      fx.emit(participantErased());
    }

    /** The record that tells delivery the participant is erased: audience PARTICIPANT, kind UNKNOWN, status ERASED. */
    private Reminder participantErased() {
      return Reminder.newBuilder()
          .setReminderId(UUID.fromString(ReminderIds.participantErased(s.getParticipantId())))
          .setKind(ReminderKind.UNKNOWN)
          .setAudience(Audience.PARTICIPANT)
          .setStatus(ReminderStatus.ERASED)
          .setParticipantId(s.getParticipantId())
          .setOfficeId(s.getOfficeId())
          .setDueAt(now)
          .setCreatedAt(now)
          .build();
    }

    /**
     * Keeps the id of a task this state no longer tracks (replaced, superseded, resolved and
     * forgotten), so erasure still removes it. Scheduled timers never became tasks.
     */
    private void remember(TrackedReminder task) {
      if (task != null && task.getState() != TrackedState.SCHEDULED && !s.getPrunedTaskIds().contains(task.getReminderId())) {
        s.getPrunedTaskIds().add(task.getReminderId());
      }
    }

    /** Drops finished meetings older than the retention, keeping the newest ones for the miss streak. */
    private void prune() {
      List<TrackedMeeting> meetings = s.getMeetings();
      if (meetings.size() <= MEETINGS_ALWAYS_KEPT) {
        return;
      }
      Instant cutoff = now.minus(rules.meetingRetention());
      List<TrackedMeeting> newestFirst = new ArrayList<>(meetings);
      newestFirst.sort(Comparator.comparing(this::effectiveStart, Comparator.nullsLast(Comparator.reverseOrder())));
      for (TrackedMeeting m : newestFirst.subList(MEETINGS_ALWAYS_KEPT, newestFirst.size())) {
        Instant start = effectiveStart(m);
        boolean finished = m.getReminders().stream().noneMatch(r -> r.getState() == TrackedState.SCHEDULED)
            && (m.getFollowUp() == null || m.getFollowUp().getState() != TrackedState.SCHEDULED);
        if (start != null && start.isBefore(cutoff) && finished) {
          remember(m.getFollowUp());
          meetings.remove(meetings.indexOf(m));
        }
      }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** The tracked meeting with this id; null when there is none. */
    private TrackedMeeting tracked(String meetingId) {
      for (TrackedMeeting m : s.getMeetings()) {
        if (m.getMeetingId().equals(meetingId)) {
          return m;
        }
      }
      return null;
    }

    private TrackedMeeting meeting(String meetingId) {
      TrackedMeeting known = tracked(meetingId);
      if (known != null) {
        return known;
      }
      TrackedMeeting m = TrackedMeeting.newBuilder()
          .setMeetingId(meetingId)
          .setTimeSetAt(Instant.EPOCH)
          .setOutcome(MeetingOutcome.PENDING)
          .setReminders(new ArrayList<>())
          .build();
      s.getMeetings().add(m);
      return m;
    }

    /**
     * When the meeting was, for pruning: its time, else its outcome's, else its cancellation's (a
     * cancellation of a meeting never scheduled here has no other time, and would never leave).
     */
    private Instant effectiveStart(TrackedMeeting m) {
      return m.getStartsAt() != null ? m.getStartsAt() : m.getOutcomeAt() != null ? m.getOutcomeAt() : m.getCancelledAt();
    }

    private TrackedReminder tracked(String reminderId, ReminderKind kind, Instant dueAt, String meetingId) {
      return TrackedReminder.newBuilder()
          .setReminderId(reminderId)
          .setKind(kind.name())
          .setDueAt(dueAt)
          .setState(TrackedState.SCHEDULED)
          .setMeetingId(meetingId)
          .build();
    }

    private boolean isOpen(TrackedReminder r) {
      return r != null && r.getState() == TrackedState.EMITTED;
    }

    private void emitDue(TrackedReminder r) {
      fx.emit(reminder(r, ReminderStatus.DUE));
      r.setState(TrackedState.EMITTED);
    }

    /**
     * Closes a reminder: a scheduled one leaves the due index silently (returns null: the caller
     * forgets it); an emitted one gets a WITHDRAWN or RESOLVED record (returns it, now closed).
     */
    private TrackedReminder close(TrackedReminder r, ReminderStatus status) {
      if (r.getState() == TrackedState.SCHEDULED) {
        fx.unschedule(r);
        return null;
      }
      if (r.getState() == TrackedState.EMITTED) {
        fx.emit(reminder(r, status));
        r.setState(status == ReminderStatus.RESOLVED ? TrackedState.RESOLVED : TrackedState.WITHDRAWN);
      }
      return r;
    }

    private void closeAll(List<TrackedReminder> reminders, ReminderStatus status) {
      removeWhere(reminders, r -> close(r, status) == null);
    }

    /**
     * {@code removeIf} by index: lists read back from Avro ({@code GenericData.Array}) support
     * {@code remove(int)} but not removal through their iterator.
     */
    private <T> void removeWhere(List<T> list, java.util.function.Predicate<T> remove) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (remove.test(list.get(i))) {
          list.remove(i);
        }
      }
    }

    /** Moves a closed follow-up of a meeting to the pruned ids, so a new one can be set for the new time. */
    private void retireFollowUp(TrackedMeeting m) {
      remember(m.getFollowUp());
      m.setFollowUp(null);
    }

    private Reminder reminder(TrackedReminder r, ReminderStatus status) {
      ReminderKind kind = ReminderKind.valueOf(r.getKind());
      TrackedMeeting m = null;
      if (r.getMeetingId() != null) {
        for (TrackedMeeting candidate : s.getMeetings()) {
          if (candidate.getMeetingId().equals(r.getMeetingId())) {
            m = candidate;
          }
        }
      }
      return Reminder.newBuilder()
          .setReminderId(UUID.fromString(r.getReminderId()))
          .setKind(kind)
          .setAudience(audienceOf(kind))
          .setStatus(status)
          .setParticipantId(s.getParticipantId())
          .setOfficeId(s.getOfficeId())
          .setCoordinatorId(s.getCoordinatorId())
          .setMeetingId(r.getMeetingId())
          .setMeetingStartsAt(m == null ? null : m.getStartsAt())
          .setMeetingKind(m == null || m.getKind() == null ? null : placeKind(m.getKind()))
          .setDueAt(r.getDueAt())
          .setCreatedAt(now)
          .build();
    }
  }

  private static MeetingPlaceKind placeKind(String meetingKind) {
    try {
      return MeetingPlaceKind.valueOf(meetingKind);
    } catch (IllegalArgumentException unknownSymbol) {
      return MeetingPlaceKind.OTHER;
    }
  }
}
