package no.followup.common.rules;

import java.time.Instant;

/**
 * When a meeting is cancelled, and when it lives again: the one rule the status service and the
 * reminders service both apply, so a meeting the dashboard shows is one that gets its SMS and its
 * attendance check. By occurrence time, whatever order the events arrive in:
 * <ul>
 *   <li>a cancellation ends the meeting, unless it was attended, or it was scheduled or rescheduled
 *       after the cancellation (a cancellation recorded late for an older appointment);</li>
 *   <li>scheduling or rescheduling at or after a cancellation revives the meeting as a new appointment.</li>
 * </ul>
 * At the same instant, the event folded last wins (status: by recordedAt then eventId; reminders: by
 * arrival).
 */
public final class MeetingLifecycle {

  private MeetingLifecycle() {}

  /**
   * Whether a cancellation at {@code cancelledAt} ends the meeting, given when its time was last set
   * ({@code latestScheduleAt}, null when never) and whether it was attended.
   */
  public static boolean cancels(Instant cancelledAt, Instant latestScheduleAt, boolean attended) {
    return !attended && (latestScheduleAt == null || !latestScheduleAt.isAfter(cancelledAt));
  }

  /** Whether scheduling at {@code scheduledAt} revives a meeting cancelled at {@code cancelledAt}. */
  public static boolean revives(Instant cancelledAt, Instant scheduledAt) {
    return cancelledAt == null || !scheduledAt.isBefore(cancelledAt);
  }
}
