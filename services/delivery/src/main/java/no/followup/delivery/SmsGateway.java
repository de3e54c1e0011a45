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

  /**
   * Whether the provider delivers a message at most once per idempotency key, so that asking again
   * for a reminder in doubt is safe. False unless stated: a provider that ignores the key would send
   * a second SMS.
   */
  default boolean honoursIdempotencyKey() {
    return false;
  }

  /**
   * Removes what this gateway keeps of the messages sent with {@code idempotencyKeys} (erasure of a
   * participant); returns how many it removed. An external provider keeps its own records, whose
   * deletion is agreed with the provider, not done through this call: the default removes nothing.
   */
  default int forget(java.util.Collection<String> idempotencyKeys) {
    return 0;
  }

  @Override
  default void close() {}
}
