package no.followup.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import no.followup.common.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory ledger to the reminders partitions this instance owns: a newly assigned
 * partition's ledger partition is read before any of its reminders is handled (the consumer's poll
 * runs this first), a revoked one is forgotten.
 *
 * <p>The read starts after the previous owner's last transaction has ended: {@code committed} waits
 * for its pending offsets (a read_committed consumer asks for stable offsets), and
 * {@link LedgerTopic#read} until no transaction is open on the ledger partition. Entries past the
 * retention are tombstoned then.
 */
final class LedgerAssignment implements ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(LedgerAssignment.class);
  /** Longer than the producers' transaction timeout (60 s), after which a dead owner's pending offsets are aborted. */
  static final Duration PREVIOUS_OWNER_WAIT = Duration.ofSeconds(90);
  /**
   * How many such waits before giving up. One is normally enough, but the timeout runs on the
   * broker's clock from the transaction's start: after a broker restart whose clock stepped back
   * (seen in a chaos test under faketime, where every process's clock starts at the same instant)
   * or on a broker too busy to abort on time it takes longer, and a TimeoutException
   * here used to end the delivery loop for good. Three stay within the consumer's
   * {@code max.poll.interval.ms} (5 minutes), past which the group would drop this member.
   */
  static final int PREVIOUS_OWNER_WAITS = 3;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final DeliveryLedger ledger;
  private final LedgerTopic ledgerTopic;
  private final Runnable onAssigned;

  LedgerAssignment(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer, DeliveryLedger ledger,
      LedgerTopic ledgerTopic, Runnable onAssigned) {
    this.consumer = consumer;
    this.producer = producer;
    this.ledger = ledger;
    this.ledgerTopic = ledgerTopic;
    this.onAssigned = onAssigned;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    Set<Integer> kept = new HashSet<>();
    consumer.assignment().stream().filter(p -> !partitions.contains(p)).forEach(p -> kept.add(p.partition()));
    ledger.retain(kept);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    log.info("Delivery assigned {} partitions of {}", partitions.size(), Topics.REMINDERS.name());
    if (!partitions.isEmpty()) {
      awaitStableOffsets(consumer, Set.copyOf(partitions), PREVIOUS_OWNER_WAIT, PREVIOUS_OWNER_WAITS);
      for (TopicPartition partition : partitions) {
        LedgerTopic.Loaded loaded = ledgerTopic.read(partition.partition());
        ledger.load(partition.partition(), loaded.entries());
        log.info("Delivery ledger partition {} read: {} entries", partition.partition(), loaded.entries().size());
        if (!loaded.expired().isEmpty()) {
          tombstoneExpired(partition.partition(), loaded.expired());
        }
      }
    }
    onAssigned.run();
  }

  /**
   * Waits until no transaction holds offsets of {@code partitions} pending ({@code committed} of a
   * read_committed consumer asks for stable offsets), {@code each} at a time, at most
   * {@code attempts} times; the last timeout is thrown.
   */
  static void awaitStableOffsets(Consumer<?, ?> consumer, Set<TopicPartition> partitions, Duration each, int attempts) {
    for (int attempt = 1; ; attempt++) {
      try {
        consumer.committed(partitions, each);
        return;
      } catch (TimeoutException stillPending) {
        if (attempt >= attempts) {
          throw stillPending;
        }
        log.warn("Offsets of {} still pending after {} (a previous owner's transaction is open); waiting again ({} of {})",
            partitions, each, attempt + 1, attempts);
      }
    }
  }

  private void tombstoneExpired(int partition, List<String> reminderIds) {
    producer.beginTransaction();
    try {
      reminderIds.forEach(id -> producer.send(ledgerTopic.tombstone(partition, id)));
      producer.commitTransaction();
      log.info("Delivery ledger partition {}: {} entries past the retention removed", partition, reminderIds.size());
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
      throw fatal;
    } catch (KafkaException e) {
      // harmless to leave: they are tried again when the partition is next assigned
      log.warn("Removing expired ledger entries of partition {} failed ({}); tried again at the next assignment", partition,
          e.getClass().getName());
      try {
        producer.abortTransaction();
      } catch (KafkaException ignored) {
        log.debug("abort after a failed removal: {}", ignored.getClass().getName());
      }
    }
  }
}
