package no.followup.intake.publish;

/**
 * The event store refused an event as larger than it accepts (Kafka's {@code RecordTooLargeException}).
 * Nothing was written, and sending the same event again cannot succeed.
 */
public final class EventTooLargeException extends Exception {

  public EventTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
