package no.followup.intake.publish;

/**
 * The event store did not acknowledge in time (broker or schema registry unreachable, timeout).
 * The events may or may not have been written: the caller should send them again; eventIds make
 * that safe.
 */
public final class EventStoreUnavailableException extends Exception {

  public EventStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
