package no.followup.delivery;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for an SMS provider (the embedded default): each message becomes a line in an
 * outbox file. Like a real gateway it honours the idempotency key: a message whose key is already in
 * the outbox is not written again, and the first message id is returned. Phone numbers are masked
 * in the file; the text is the real text.
 */
public final class OutboxSmsGateway implements SmsGateway {

  private static final Logger log = LoggerFactory.getLogger(OutboxSmsGateway.class);

  /** One line of the outbox. */
  public record OutboxLine(Instant at, String idempotencyKey, String messageId, String to, String text) {}

  private final JsonLinesFile<OutboxLine> file;
  private final Map<String, String> messageIdByKey = new HashMap<>();
  private final Clock clock;

  public OutboxSmsGateway(Path outbox, Clock clock) {
    this.clock = clock;
    this.file = new JsonLinesFile<>(outbox, OutboxLine.class);
    for (OutboxLine line : file.open()) {
      messageIdByKey.put(line.idempotencyKey(), line.messageId());
    }
  }

  @Override
  public synchronized Accepted send(SmsMessage message) {
    String existing = messageIdByKey.get(message.idempotencyKey());
    if (existing != null) {
      log.info("Outbox already holds the SMS for {}; not written again", message.idempotencyKey());
      return new Accepted(existing, 1);
    }
    String messageId = "outbox-" + message.idempotencyKey();
    file.append(new OutboxLine(clock.instant(), message.idempotencyKey(), messageId, Contact.mask(message.phoneNumber()), message.text()));
    messageIdByKey.put(message.idempotencyKey(), messageId);
    return new Accepted(messageId, 1);
  }

  /**
   * Within its file, which is what a single instance (the embedded stack) has. Instances with an
   * outbox each (several delivery instances locally) do not share it: a reminder in doubt after a
   * takeover can then be written to both files; no SMS goes out either way.
   */
  @Override
  public boolean honoursIdempotencyKey() {
    return true;
  }

  /** Removes the outbox lines of these keys (text and masked number) from the file. */
  @Override
  public synchronized int forget(java.util.Collection<String> idempotencyKeys) {
    if (idempotencyKeys.isEmpty()) {
      return 0;
    }
    java.util.Set<String> keys = java.util.Set.copyOf(idempotencyKeys);
    int removed = file.removeWhere(line -> keys.contains(line.idempotencyKey()));
    messageIdByKey.keySet().removeAll(keys);
    return removed;
  }

  /** How many messages the outbox holds. */
  public synchronized int size() {
    return messageIdByKey.size();
  }

  @Override
  public void close() {
    file.close();
  }
}
