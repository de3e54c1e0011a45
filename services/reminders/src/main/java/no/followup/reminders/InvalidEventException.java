package no.followup.reminders;

/**
 * An event the reminder rules will not apply: a malformed or oversized one, or one that would grow
 * a participant's state past its bounds. Thrown before anything is stored or sent, so the processing
 * handler's dead-letter pointer skips it cleanly and the partition goes on. The message names the
 * field or bound, never a value: it ends up in the dead-letter pointer.
 */
final class InvalidEventException extends RuntimeException {
  InvalidEventException(String message) {
    super(message);
  }
}
