package no.followup.common.crypto;

/**
 * The key topic could not be read (or written) in time: the event is fine and must be tried again,
 * not treated as unreadable or sent to the dead-letter topic.
 */
public final class KeysUnavailableException extends RuntimeException {
  public KeysUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
