package no.followup.reminders;

import java.time.Instant;
import java.util.ArrayList;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;

/**
 * The reminder rules applied to one participant's state. No Kafka here: the caller supplies the
 * state, the current wall-clock time and {@link Effects} (the due index and the output), so the
 * same code runs in the stream processor and is easy to reason about.
 *
 * <p>Everything is idempotent: applying the same event twice, or a timer that is no longer
 * wanted, changes nothing.
 *
 * <p>The engine hands each event or timer to the rules of its concern: {@link MeetingReminders}
 * (a meeting and its reminders), {@link FollowUpTasks} (reach-out, home-visit offer, inactivity,
 * monthly review) and {@link ParticipantLifecycle} (enrolment, exit, erasure, the state's bounds),
 * which share the timers and tasks of {@link TrackedReminders}.
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

  /**
   * A timer of the due index fired. One that fell due longer ago than the history cutoff (the
   * application was down that long) is dropped unsent, like the timers replayed history never sets:
   * its reminder or task would come too late to act on, and an outage must not flood coordinators.
   * A dropped attendance check does not presume the meeting missed (it starts no home-visit streak),
   * and a dropped monthly review still sets the next one.
   */
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

  /** One application of the rules: each concern bound to the same state, "now" and effects. */
  private final class Run {
    private final ParticipantLifecycle participant;
    private final MeetingReminders meetings;
    private final FollowUpTasks followUps;

    Run(ReminderParticipantState state, Instant now, Effects effects) {
      TrackedReminders reminders = new TrackedReminders(state, now, effects, planner);
      this.participant = new ParticipantLifecycle(state, now, rules, reminders);
      this.followUps = new FollowUpTasks(state, now, rules, planner, reminders);
      this.meetings = new MeetingReminders(state, now, planner, reminders, followUps);
    }

    boolean apply(FollowUpEvent event) {
      participant.requireRoom(event.getPayload());
      participant.updateOffice(event.getOfficeId());
      Instant at = event.getOccurredAt();
      Object payload = event.getPayload();
      if (payload instanceof ParticipantErased) {
        participant.erase();
        return false;
      } else if (payload instanceof ParticipantEnrolled enrolled) {
        participant.enrol(enrolled, at);
        followUps.noteContact(at);
      } else if (payload instanceof CoordinatorAssigned assigned) {
        participant.assignCoordinator(assigned.getCoordinatorId());
      } else if (payload instanceof MeetingScheduled scheduled) {
        meetings.schedule(scheduled.getMeetingId(), scheduled.getStartsAt(), scheduled.getKind(), at);
      } else if (payload instanceof MeetingRescheduled rescheduled) {
        meetings.schedule(rescheduled.getMeetingId(), rescheduled.getStartsAt(), rescheduled.getKind(), at);
      } else if (payload instanceof MeetingCancelled cancelled) {
        meetings.cancel(cancelled.getMeetingId(), at);
      } else if (payload instanceof MeetingAttended attended) {
        meetings.recordOutcome(attended.getMeetingId(), MeetingOutcome.ATTENDED, at);
      } else if (payload instanceof MeetingMissed missed) {
        meetings.recordOutcome(missed.getMeetingId(), MeetingOutcome.MISSED, at);
      } else if (payload instanceof HomeVisitCompleted visit) {
        followUps.noteHomeVisit(at);
        if (visit.getMeetingId() != null) {
          meetings.recordOutcome(visit.getMeetingId(), MeetingOutcome.ATTENDED, at);
        }
        // an open home-visit offer is resolved by reviewHomeVisit: the visit ends the streak of misses
      } else if (payload instanceof ContactMade contact) {
        if (contact.getReached()) {
          followUps.noteContact(at);
          followUps.resolveReachOuts(at);
        }
      } else if (payload instanceof MappingCompleted || payload instanceof IndividualPlanStarted) {
        followUps.noteContact(at); // both are conversations with the participant
      } else if (payload instanceof ParticipantExited) {
        participant.exit(at);
      }
      followUps.reviewHomeVisit();
      followUps.syncInactivity();
      followUps.syncMonthlyReview();
      participant.prune();
      return true;
    }

    void fire(String reminderId) {
      if (!meetings.fire(reminderId)) {
        followUps.fire(reminderId);
      }
      // a timer none of them has: an index entry whose reminder was closed meanwhile; nothing to do
    }
  }
}
