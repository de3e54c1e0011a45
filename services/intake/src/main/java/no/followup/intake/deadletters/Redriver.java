package no.followup.intake.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.kafka.ServiceAcls;
import no.followup.events.FollowUpEvent;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.reminders.Reminder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Re-drives dead-lettered records: copies the source record, byte for byte with its key and
 * headers, to the end of its own topic (same key, so the same partition), where the services read
 * it again; and marks the re-drive on the dead-letter topic in the same Kafka transaction.
 *
 * <p>Twice is once: a source record that has a mark is not copied again, and the marks are read
 * only after this producer's transactional id is initialised, which fences any other re-drive
 * still running and aborts what it had not committed. Should a copy still reach a service twice,
 * it is a known event or reminder there: status and reminders skip an eventId they have seen,
 * delivery a reminderId its ledger knows.
 *
 * <p>Only the events and reminders topics are re-driven. The others are derived state (status,
 * tallies, tasks, receipts) that the dashboard re-reads from the beginning at every start; an old
 * copy at their end would overwrite a newer value.
 */
public final class Redriver implements AutoCloseable {

  /** Topics whose readers deduplicate (by eventId, by reminderId), so a copy is safe. */
  public static final List<String> REDRIVABLE = List.of(Topics.EVENTS.name(), Topics.REMINDERS.name());
  /** On every copy: the record it was copied from, {@code <topic>/<partition>/<offset>}. */
  public static final String REDRIVEN_FROM_HEADER = "followup.redriven-from";
  private static final String TRANSACTIONAL_ID = ServiceAcls.REDRIVE_TRANSACTIONAL_ID;
  private static final Duration FETCH_LIMIT = Duration.ofSeconds(30);

  /** What became of one source record. */
  public sealed interface Outcome {
    /** Copied now. */
    record Redriven(Redrive redrive) implements Outcome {}
    /** Copied before; not again. */
    record AlreadyRedriven(Redrive redrive) implements Outcome {}
    /** Its topic's readers do not deduplicate; see the class comment. */
    record NotRedrivable(String topic) implements Outcome {}
    /** No longer on its topic (retention), or never a committed record. */
    record Gone() implements Outcome {}
    /** It still cannot be read with the registry's schemas: fix that first. */
    record StillUnreadable(String errorClass) implements Outcome {}
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final Map<String, Deserializer<?>> decoders;
  private final String deadLetterTopic;
  private final Clock clock;

  /** Initialises the transactional producer first (fencing any other re-drive); read the {@link DeadLetterLog} after this. */
  public Redriver(KafkaConnection kafka, SchemaRegistryClient registry, String schemaRegistryUrl, String deadLetterTopic,
      Clock clock) {
    this.deadLetterTopic = deadLetterTopic;
    this.clock = clock;
    this.producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID,
        ProducerConfig.CLIENT_ID_CONFIG, TRANSACTIONAL_ID,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Object> readerConfig = kafka.clientConfig();
    readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    readerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    readerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-cli-dead-letters-source");
    this.reader = new KafkaConsumer<>(readerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    SpecificAvroDeserializer<FollowUpEvent> events = new SpecificAvroDeserializer<>(registry, FollowUpEvent.class);
    events.configure(serde, false);
    SpecificAvroDeserializer<Reminder> reminders = new SpecificAvroDeserializer<>(registry, Reminder.class);
    reminders.configure(serde, false);
    this.decoders = Map.of(Topics.EVENTS.name(), events, Topics.REMINDERS.name(), reminders);
    try {
      producer.initTransactions();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Re-drives {@code source} unless {@code log} shows it was, or it cannot be. */
  public Outcome redrive(SourceRecord source, DeadLetterLog log) {
    Redrive earlier = log.redriveOf(source);
    if (earlier != null) {
      return new Outcome.AlreadyRedriven(earlier);
    }
    if (!REDRIVABLE.contains(source.topic())) {
      return new Outcome.NotRedrivable(source.topic());
    }
    ConsumerRecord<byte[], byte[]> record = fetch(source);
    if (record == null) {
      return new Outcome.Gone();
    }
    try {
      decoders.get(source.topic()).deserialize(source.topic(), record.headers(), record.value());
    } catch (RuntimeException unreadable) {
      return new Outcome.StillUnreadable(unreadable.getClass().getName());
    }
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(source.topic(), null, record.key(), record.value(), record.headers());
    copy.headers().remove(REDRIVEN_FROM_HEADER);
    copy.headers().add(REDRIVEN_FROM_HEADER, source.toString().getBytes(StandardCharsets.UTF_8));
    producer.beginTransaction();
    try {
      RecordMetadata written = producer.send(copy).get();
      Redrive redrive = new Redrive(source, written.partition(), written.offset(), clock.instant());
      producer.send(DeadLetterLog.mark(deadLetterTopic, record.key(), redrive)).get();
      producer.commitTransaction();
      return new Outcome.Redriven(redrive);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.abortTransaction();
      throw new IllegalStateException("interrupted while re-driving " + source, e);
    } catch (ExecutionException | KafkaException e) {
      // fenced by another re-drive, or the broker refused: nothing of this one becomes visible
      try {
        producer.abortTransaction();
      } catch (KafkaException fenced) {
        // a fenced producer cannot abort; its transaction is aborted by the one that fenced it
      }
      throw new IllegalStateException("could not re-drive " + source + ": " + rootCause(e).getClass().getSimpleName(), e);
    }
  }

  /** The committed record at the source's offset, or null when it is no longer there. */
  private ConsumerRecord<byte[], byte[]> fetch(SourceRecord source) {
    TopicPartition partition = new TopicPartition(source.topic(), source.partition());
    reader.assign(List.of(partition));
    long first = reader.beginningOffsets(List.of(partition), FETCH_LIMIT).getOrDefault(partition, 0L);
    long end = reader.endOffsets(List.of(partition), FETCH_LIMIT).getOrDefault(partition, 0L);
    if (source.offset() < first || source.offset() >= end) {
      return null;
    }
    reader.seek(partition, source.offset());
    long deadline = System.nanoTime() + FETCH_LIMIT.toNanos();
    while (System.nanoTime() < deadline && reader.position(partition) <= source.offset()) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
        // the first committed record at or after the offset: another offset means ours is not there
        return record.offset() == source.offset() ? record : null;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    reader.close(Duration.ofSeconds(5));
  }
}
