package no.followup.delivery;

/**
 * A reminder record delivery will not act on. The message names the field, never its value: it
 * ends up in the dead-letter pointer.
 */
final class InvalidReminderException extends RuntimeException {
  InvalidReminderException(String message) {
    super(message);
  }
}
