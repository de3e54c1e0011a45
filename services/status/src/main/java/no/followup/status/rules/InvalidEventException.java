package no.followup.status.rules;

/**
 * An event the status rules cannot apply. The message names the problem, never a value (it ends
 * up in the dead-letter pointer). Thrown before the event is stored.
 */
public class InvalidEventException extends RuntimeException {
  public InvalidEventException(String message) {
    super(message);
  }
}
