package no.followup.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.reminders.DeliveryLedgerEntry;
import no.followup.reminders.LedgerState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger topic ({@link Topics#DELIVERY_LEDGER}) as delivery reads and writes it. An entry is
 * written to the partition number of the reminder it records, so the owner of reminders partition
 * <i>p</i> finds every entry it needs in ledger partition <i>p</i>, and nobody else writes there.
 *
 * <p>Reading a partition when it is assigned ({@link #read}) first waits until no transaction is open
 * on it: the previous owner's last transaction (an ATTEMPTING entry, say) is then committed or
 * aborted, not invisible-for-now. A crashed owner's open transaction is aborted by the broker after
 * the producer's transaction timeout (60 s), so that is how long a dead instance can hold its
 * partitions up.
 */
final class LedgerTopic implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerTopic.class);
  private static final String TOPIC = Topics.DELIVERY_LEDGER.name();
  /** Longer than the transaction timeout (60 s), after which the broker aborts a dead producer's transaction. */
  private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How long a topic just created may stay unknown to the broker asked about it. */
  static final Duration PARTITIONS_KNOWN_WITHIN = Duration.ofSeconds(30);

  /** A partition as read: the entries to keep, and those past the retention, to tombstone. */
  record Loaded(List<DeliveryLedger.Entry> entries, List<String> expired) {}

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final SpecificAvroSerializer<DeliveryLedgerEntry> serializer = new SpecificAvroSerializer<>();
  private final SpecificAvroDeserializer<DeliveryLedgerEntry> deserializer = new SpecificAvroDeserializer<>(DeliveryLedgerEntry.class);
  private final Duration retention;
  private final Clock clock;

  LedgerTopic(KafkaConnection kafka, Map<String, Object> serdeConfig, Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
    serializer.configure(serdeConfig, false);
    deserializer.configure(serdeConfig, false);
    this.admin = Admin.create(kafka.clientConfig());
    // no group: it reads whole partitions it is told to, and commits nothing
    this.reader = new KafkaConsumer<>(kafka.clientConfig(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // the last fetch of a partition finds only the commit marker: do not wait the default 500 ms for more
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50)),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Refuses a ledger whose partition count differs from the reminders topic's: entries would be looked for in the wrong place. */
  void checkPartitionCount() {
    int ledger = partitionCount(TOPIC);
    int reminders = partitionCount(Topics.REMINDERS.name());
    if (ledger != reminders) {
      throw new IllegalStateException(TOPIC + " has " + ledger + " partitions and " + Topics.REMINDERS.name() + " " + reminders
          + ": they must have the same count (an entry lives in the partition number of its reminder)");
    }
  }

  /**
   * The topic's partition count, once the broker this client asks knows the topic: right after a
   * topic is created, a broker's metadata can still lack it for a moment, and the count would read 0.
   */
  private int partitionCount(String topic) {
    long deadline = System.nanoTime() + PARTITIONS_KNOWN_WITHIN.toNanos();
    while (true) {
      int count = reader.partitionsFor(topic, PARTITIONS_KNOWN_WITHIN).size();
      if (count > 0 || System.nanoTime() > deadline) {
        return count;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return count;
      }
    }
  }

  ProducerRecord<byte[], byte[]> record(int partition, DeliveryLedger.Entry entry) {
    return new ProducerRecord<>(TOPIC, partition, key(entry.reminderId()), serializer.serialize(TOPIC, toAvro(entry)));
  }

  ProducerRecord<byte[], byte[]> tombstone(int partition, String reminderId) {
    return new ProducerRecord<>(TOPIC, partition, key(reminderId), null);
  }

  /** Reads {@code partition} to its end, once no transaction is open on it. */
  Loaded read(int partition) {
    TopicPartition tp = new TopicPartition(TOPIC, partition);
    long end = endWithNoOpenTransaction(tp);
    Map<String, DeliveryLedger.Entry> latest = new HashMap<>();
    reader.assign(List.of(tp));
    reader.seekToBeginning(List.of(tp));
    Instant deadline = clock.instant().plus(OPEN_TRANSACTION_WAIT);
    while (reader.position(tp) < end) {
      if (clock.instant().isAfter(deadline)) {
        throw new TimeoutException("reading " + tp + " to offset " + end + " took longer than " + OPEN_TRANSACTION_WAIT);
      }
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
        String reminderId = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
          latest.remove(reminderId);
        } else {
          latest.put(reminderId, fromAvro(decode(record)));
        }
      }
    }
    reader.assign(List.of());
    Instant cutoff = clock.instant().minus(retention);
    List<DeliveryLedger.Entry> kept = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (DeliveryLedger.Entry entry : latest.values()) {
      // a task stays indexed until erasure, however old: the tasks topic keeps the task until its tombstone
      if (entry.state() != DeliveryLedger.State.TASK && entry.at().isBefore(cutoff)) {
        expired.add(entry.reminderId());
      } else {
        kept.add(entry);
      }
    }
    return new Loaded(kept, expired);
  }

  private DeliveryLedgerEntry decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      // nobody but delivery writes here: an entry it cannot read is a fault to fix, and skipping it
      // could send an SMS a second time
      throw new KafkaException("delivery ledger entry at " + record.topic() + "-" + record.partition() + " offset "
          + record.offset() + " does not read (" + e.getClass().getName() + ")", e);
    }
  }

  /** The partition's end once the last stable offset has caught up with the high watermark (no open transaction). */
  private long endWithNoOpenTransaction(TopicPartition tp) {
    Instant deadline = clock.instant().plus(OPEN_TRANSACTION_WAIT);
    while (true) {
      long stable = endOffset(tp, IsolationLevel.READ_COMMITTED);
      long written = endOffset(tp, IsolationLevel.READ_UNCOMMITTED);
      if (stable >= written) {
        return stable;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new TimeoutException(tp + " still has an open transaction after " + OPEN_TRANSACTION_WAIT);
      }
      log.info("{} has a transaction open (stable offset {}, written {}); waiting for it to end", tp, stable, written);
      pause();
    }
  }

  private long endOffset(TopicPartition tp, IsolationLevel isolation) {
    try {
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
          .partitionResult(tp).get().offset();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException cause ? cause : new KafkaException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while reading the end of " + tp, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted", e);
    }
  }

  private static byte[] key(String reminderId) {
    return reminderId.getBytes(StandardCharsets.UTF_8);
  }

  static DeliveryLedgerEntry toAvro(DeliveryLedger.Entry entry) {
    return DeliveryLedgerEntry.newBuilder()
        .setReminderId(java.util.UUID.fromString(entry.reminderId()))
        .setParticipantId(entry.participantId())
        .setState(LedgerState.valueOf(entry.state().name()))
        .setAt(entry.at())
        .setAttempts(entry.attempts())
        .setGatewayMessageId(entry.gatewayMessageId())
        .setErrorClass(entry.errorClass())
        .build();
  }

  static DeliveryLedger.Entry fromAvro(DeliveryLedgerEntry avro) {
    // a state this version does not know was written by a newer one: something was decided, so it is
    // treated as an outcome not to act on again rather than as nothing
    DeliveryLedger.State state = avro.getState() == LedgerState.UNKNOWN
        ? DeliveryLedger.State.OUTCOME_UNKNOWN
        : DeliveryLedger.State.valueOf(avro.getState().name());
    return new DeliveryLedger.Entry(avro.getReminderId().toString(), state, avro.getAt(), avro.getAttempts(),
        avro.getGatewayMessageId(), avro.getErrorClass(), avro.getParticipantId());
  }

  @Override
  public void close() {
    try {
      reader.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
