package no.followup.delivery;

import java.util.Objects;

/**
 * One SMS to send.
 *
 * @param idempotencyKey the reminderId: a gateway that honours it sends a message once per key,
 *     however often it is asked
 * @param phoneNumber recipient (never logged: {@link #toString()} masks it)
 * @param text the message text
 */
public record SmsMessage(String idempotencyKey, String phoneNumber, String text) {

  public SmsMessage {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "SmsMessage[idempotencyKey=" + idempotencyKey + ", phoneNumber=" + Contact.mask(phoneNumber)
        + ", text=(" + text.length() + " chars)]";
  }
}
