package no.followup.delivery;

import java.util.Objects;

/**
 * How to reach a participant by SMS. The phone number exists only here and in the call to the
 * gateway: never on Kafka, never in logs ({@link #toString()} masks it).
 *
 * @param phoneNumber E.164-style number, e.g. +4791234567
 * @param optedOutOfDigitalContact the participant declined SMS and other digital contact
 * @param language bokmål or nynorsk
 */
public record Contact(String phoneNumber, boolean optedOutOfDigitalContact, Language language) {

  public Contact {
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(language, "language");
  }

  /** The number with all but the last two digits hidden, for logs and the local outbox. */
  public static String mask(String phoneNumber) {
    if (phoneNumber == null || phoneNumber.length() <= 2) {
      return "**";
    }
    return "*".repeat(phoneNumber.length() - 2) + phoneNumber.substring(phoneNumber.length() - 2);
  }

  @Override
  public String toString() {
    return "Contact[phoneNumber=" + mask(phoneNumber) + ", optedOutOfDigitalContact=" + optedOutOfDigitalContact
        + ", language=" + language + "]";
  }
}
