package no.followup.reminders;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The timers and tasks one participant's state tracks, for one application of the rules: setting
 * them, sending them when due, closing them, remembering forgotten tasks for erasure, and the
 * {@link Reminder} records all of that sends. Meetings, follow-up tasks and the participant's
 * lifecycle share it; it asks the caller for every effect through {@link ReminderEngine.Effects}.
 */
final class TrackedReminders {

  private final ReminderParticipantState state;
  private final Instant now;
  private final ReminderEngine.Effects effects;
  private final ReminderPlanner planner;

  TrackedReminders(ReminderParticipantState state, Instant now, ReminderEngine.Effects effects, ReminderPlanner planner) {
    this.state = state;
    this.now = now;
    this.effects = effects;
    this.planner = planner;
  }

  /** The id of this participant's reminder of {@code kind} (see {@link ReminderIds#of}). */
  String idOf(String meetingId, ReminderKind kind, int revision, long discriminator) {
    return ReminderIds.of(state.getParticipantId(), meetingId, kind, revision, discriminator);
  }

  /** A reminder not yet in the due index nor sent. */
  TrackedReminder newTracked(String reminderId, ReminderKind kind, Instant dueAt, String meetingId) {
    return TrackedReminder.newBuilder()
        .setReminderId(reminderId)
        .setKind(kind.name())
        .setDueAt(dueAt)
        .setState(TrackedState.SCHEDULED)
        .setMeetingId(meetingId)
        .build();
  }

  /** Puts a timer due at {@code dueAt} into the due index; its id tells it apart by its due time. */
  TrackedReminder scheduleTimer(String meetingId, ReminderKind kind, int revision, Instant dueAt) {
    TrackedReminder timer = newTracked(idOf(meetingId, kind, revision, dueAt.toEpochMilli()), kind, dueAt, meetingId);
    effects.schedule(state.getParticipantId(), timer);
    return timer;
  }

  void unschedule(TrackedReminder timer) {
    effects.unschedule(timer);
  }

  /** True when {@code reminder} is the timer {@code reminderId} and still waits in the due index. */
  static boolean isScheduled(TrackedReminder reminder, String reminderId) {
    return reminder != null && reminder.getReminderId().equals(reminderId) && reminder.getState() == TrackedState.SCHEDULED;
  }

  /** True when {@code task} was sent and no later record closed it. */
  static boolean isOpen(TrackedReminder task) {
    return task != null && task.getState() == TrackedState.EMITTED;
  }

  void emitDue(TrackedReminder reminder) {
    effects.emit(record(reminder, ReminderStatus.DUE));
    reminder.setState(TrackedState.EMITTED);
  }

  /**
   * Closes a reminder: a scheduled one leaves the due index silently (returns null: the caller
   * forgets it); an emitted one gets a WITHDRAWN or RESOLVED record (returns it, now closed).
   */
  TrackedReminder close(TrackedReminder reminder, ReminderStatus status) {
    if (reminder.getState() == TrackedState.SCHEDULED) {
      effects.unschedule(reminder);
      return null;
    }
    if (reminder.getState() == TrackedState.EMITTED) {
      effects.emit(record(reminder, status));
      reminder.setState(status == ReminderStatus.RESOLVED ? TrackedState.RESOLVED : TrackedState.WITHDRAWN);
    }
    return reminder;
  }

  void closeAll(List<TrackedReminder> reminders, ReminderStatus status) {
    removeWhere(reminders, reminder -> close(reminder, status) == null);
  }

  /**
   * {@code removeIf} by index: lists read back from Avro ({@code GenericData.Array}) support
   * {@code remove(int)} but not removal through their iterator.
   */
  static <T> void removeWhere(List<T> list, Predicate<T> remove) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (remove.test(list.get(i))) {
        list.remove(i);
      }
    }
  }

  /**
   * Keeps the id of a task this state no longer tracks (replaced, superseded, resolved and
   * forgotten), so erasure still removes it. Scheduled timers never became tasks.
   */
  void remember(TrackedReminder task) {
    if (task != null && task.getState() != TrackedState.SCHEDULED && !state.getPrunedTaskIds().contains(task.getReminderId())) {
      state.getPrunedTaskIds().add(task.getReminderId());
    }
  }

  /** True, and reported, when {@code timer} fell due longer ago than the history cutoff. */
  boolean droppedAsStale(TrackedReminder timer) {
    if (!planner.stale(timer.getDueAt(), now)) {
      return false;
    }
    effects.droppedStale(timer);
    return true;
  }

  /** Tells delivery to remove {@code task}. */
  void emitErased(TrackedReminder task) {
    effects.emit(record(task, ReminderStatus.ERASED));
  }

  /** Tells delivery to remove a task of which only the id is kept (see {@link #remember}), so of no known kind. */
  void emitErased(String forgottenTaskId) {
    emitErased(newTracked(forgottenTaskId, ReminderKind.UNKNOWN, now, null));
  }

  /** The record that tells delivery the participant is erased: audience PARTICIPANT, kind UNKNOWN, status ERASED. */
  void emitParticipantErased() {
    effects.emit(Reminder.newBuilder()
        .setReminderId(UUID.fromString(ReminderIds.participantErased(state.getParticipantId())))
        .setKind(ReminderKind.UNKNOWN)
        .setAudience(Audience.PARTICIPANT)
        .setStatus(ReminderStatus.ERASED)
        .setParticipantId(state.getParticipantId())
        .setOfficeId(state.getOfficeId())
        .setDueAt(now)
        .setCreatedAt(now)
        .build());
  }

  /** The tracked meeting with this id; null when there is none. */
  TrackedMeeting trackedMeeting(String meetingId) {
    for (TrackedMeeting meeting : state.getMeetings()) {
      if (meeting.getMeetingId().equals(meetingId)) {
        return meeting;
      }
    }
    return null;
  }

  private Reminder record(TrackedReminder reminder, ReminderStatus status) {
    ReminderKind kind = ReminderKind.valueOf(reminder.getKind());
    TrackedMeeting meeting = reminder.getMeetingId() == null ? null : trackedMeeting(reminder.getMeetingId());
    return Reminder.newBuilder()
        .setReminderId(UUID.fromString(reminder.getReminderId()))
        .setKind(kind)
        .setAudience(ReminderEngine.audienceOf(kind))
        .setStatus(status)
        .setParticipantId(state.getParticipantId())
        .setOfficeId(state.getOfficeId())
        .setCoordinatorId(state.getCoordinatorId())
        .setMeetingId(reminder.getMeetingId())
        .setMeetingStartsAt(meeting == null ? null : meeting.getStartsAt())
        .setMeetingKind(meeting == null || meeting.getKind() == null ? null : placeKind(meeting.getKind()))
        .setDueAt(reminder.getDueAt())
        .setCreatedAt(now)
        .build();
  }

  private static MeetingPlaceKind placeKind(String meetingKind) {
    try {
      return MeetingPlaceKind.valueOf(meetingKind);
    } catch (IllegalArgumentException unknownSymbol) {
      return MeetingPlaceKind.OTHER;
    }
  }
}
