package no.followup.common.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * When an event may say it happened, against when it was recorded: one rule for the intake, which
 * refuses an event that breaks it, and the status service, which dead-letters one that reached the
 * events topic another way. Nothing is recorded before it happens, give or take the clocks of the
 * devices involved.
 */
public final class EventTimes {

  /** How far ahead of the recording clock a tool's clock may be. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private EventTimes() {}

  /** Whether an event that occurred at {@code occurredAt} can have been recorded at {@code recordedAt}. */
  public static boolean occurredByRecording(Instant occurredAt, Instant recordedAt) {
    return !occurredAt.isAfter(recordedAt.plus(CLOCK_SKEW));
  }
}
