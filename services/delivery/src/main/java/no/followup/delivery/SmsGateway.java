package no.followup.delivery;

/**
 * Sends SMS. Implementations pass {@link SmsMessage#idempotencyKey()} to the provider so that a
 * message sent again after a crash (same key) is not delivered twice.
 */
public interface SmsGateway extends AutoCloseable {

  /** What the gateway said: its id for the message and how many calls it took. */
  record Accepted(String messageId, int attempts) {}

  /**
   * Sends (or, for a key seen before, confirms) a message.
   *
   * @throws SmsGatewayException when the gateway refused it or stayed unavailable through all retries
   */
  Accepted send(SmsMessage message) throws SmsGatewayException;

  @Override
  default void close() {}
}
