package no.followup.dashboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.DeadLetters;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.registry.RegistryClientConfig;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link ReadModel} from the status, tallies, tasks and receipts topics. Partitions are
 * assigned (no consumer group, nothing committed to Kafka): each is read on from the offset the store
 * holds for it, written with the record's changes, so a restart reads only what is new; a partition
 * the store has never seen is read from the beginning (the compacted topics hold the current state).
 * Reads committed records only. A record that cannot be decoded is skipped and counted; only its
 * coordinates are logged, never its content. One met after the start-up read (a record new on the
 * topic) also gets a payload-free pointer on the dead-letter topic ({@link DeadLetters#pointer}), as
 * the pipeline's other consumers do; the start-up read only counts them, so that an instance that
 * starts over (a new or deleted state directory) does not point at the same old records again.
 *
 * <p>A record that cannot be decoded because the schema registry (or the data keys) cannot be reached
 * is not bad: it is neither skipped nor pointed at. Its partition stops at that record (seek back,
 * pause) and is read again from it after {@link #REGISTRY_RETRY}; the other partitions read on. The
 * outage is logged once when it starts and once when it ends, and {@link #registryUnavailable()} says so.
 */
public final class ReadModelConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadModelConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_RETRY = Duration.ofSeconds(1);
  /** How long a partition held back by an unreachable registry waits before its record is tried again. */
  static final Duration REGISTRY_RETRY = Duration.ofSeconds(5);

  static final List<String> TOPICS = List.of(Topics.PARTICIPANT_STATUS.name(), Topics.TALLIES.name(),
      Topics.TASKS.name(), Topics.DELIVERY_RECEIPTS.name());

  private final ReadModel model;
  private final Clock clock;
  private final Consumer<String, byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetters;
  private final SpecificAvroDeserializer<ParticipantStatus> statusDecoder;
  private final SpecificAvroDeserializer<Tally> tallyDecoder;
  private final SpecificAvroDeserializer<CoordinatorTask> taskDecoder;
  private final SpecificAvroDeserializer<DeliveryReceipt> receiptDecoder;
  private final Duration registryRetry;
  /** Partitions paused for an unreachable registry, with when (System.nanoTime) to read them again; reading thread only. */
  private final Map<TopicPartition, Long> retryAt = new HashMap<>();
  /** Partitions held back at an offset until a read moves past it; reading thread only. */
  private final Map<TopicPartition, Long> heldAt = new HashMap<>();
  private final AtomicBoolean registryDown = new AtomicBoolean(false);
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean caughtUp = new AtomicBoolean(false);
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong read = new AtomicLong();
  private volatile boolean alive = true;
  private final MeterRegistry metrics;

  /** @param metrics binds the consumer's and producer's metrics, and counts dead letters */
  public ReadModelConsumer(KafkaConnection kafka, String schemaRegistryUrl, ReadModel model, Clock clock, ServiceMetrics metrics) {
    this(newConsumer(kafka), newDeadLetterProducer(kafka),
        SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, schemaRegistryUrl)), model, clock, metrics, REGISTRY_RETRY);
  }

  /** With the clients given: for tests, which read from a mock consumer and a registry they can take down. */
  ReadModelConsumer(Consumer<String, byte[]> consumer, Producer<byte[], byte[]> deadLetters, SchemaRegistryClient registry,
      ReadModel model, Clock clock, ServiceMetrics metrics, Duration registryRetry) {
    this.model = model;
    this.metrics = metrics.registry();
    this.clock = clock;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.registryRetry = registryRetry;
    this.statusDecoder = new SpecificAvroDeserializer<>(registry, ParticipantStatus.class);
    this.tallyDecoder = new SpecificAvroDeserializer<>(registry, Tally.class);
    this.taskDecoder = new SpecificAvroDeserializer<>(registry, CoordinatorTask.class);
    this.receiptDecoder = new SpecificAvroDeserializer<>(registry, DeliveryReceipt.class);
    metrics.bindConsumer(consumer);
    metrics.bindProducer(deadLetters);
    metrics.countDeadLettersOf(TOPICS);
    this.thread = new Thread(this::run, "dashboard-read-model");
    this.thread.setDaemon(true);
  }

  private static KafkaConsumer<String, byte[]> newConsumer(KafkaConnection kafka) {
    Map<String, Object> props = kafka.clientConfig();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-dashboard-read-model");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static KafkaProducer<byte[], byte[]> newDeadLetterProducer(KafkaConnection kafka) {
    return new KafkaProducer<>(kafka.clientConfig(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "followup-dashboard-dead-letters",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public void start() {
    thread.start();
  }

  /** True once everything that was on the topics at start has been read. */
  public boolean caughtUp() {
    return caughtUp.get();
  }

  /** Records read since this consumer started (a restart reads only those new since the store's offsets). */
  public long recordsRead() {
    return read.get();
  }

  /** True while the reading thread runs. */
  public boolean alive() {
    return alive;
  }

  /** True while some partition waits at a record that needs the schema registry (or the data keys), which cannot be reached. */
  public boolean registryUnavailable() {
    return registryDown.get();
  }

  /** Records skipped because they could not be decoded. */
  public long skippedRecords() {
    return skipped.get();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions == null) {
        return;
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> stored = model.positions(partitions);
      Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
      if (stored.entrySet().stream().anyMatch(p -> p.getValue() > endAtStart.get(p.getKey()))) {
        // an offset past a partition's end: the topics were recreated, and the rows are of topics that are gone
        log.warn("Stored offsets lie past the ends of the topics: the store is read again from the beginning");
        model.forgetTopics();
        stored = Map.of();
      }
      List<TopicPartition> unseen = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        Long position = stored.get(partition);
        if (position == null) {
          unseen.add(partition);
        } else {
          consumer.seek(partition, position); // below the log start (retention), the reset policy reads from the earliest
        }
      }
      if (!unseen.isEmpty()) {
        consumer.seekToBeginning(unseen); // an empty list would rewind every assigned partition
      }
      log.info("Reading {} partitions of {}: {} on from stored offsets, {} from the beginning", partitions.size(), TOPICS,
          stored.size(), unseen.size());
      while (running.get()) {
        resumeDue();
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            if (!apply(record)) {
              holdBack(partition, record.offset());
              break; // the records after it wait too: a partition is applied in order
            }
          }
        }
        if (!records.isEmpty()) {
          model.publishChanges();
        }
        noteRegistryBack();
        if (!caughtUp.get() && reached(endAtStart)) {
          caughtUp.set(true);
          log.info("Read model caught up after reading {} records", read.get());
          model.publishChanges();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        log.error("Read model consumer woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("Read model consumer stopped: {}", e.getClass().getName(), e);
    } finally {
      alive = false;
      consumer.close(Duration.ofSeconds(5));
      deadLetters.close(Duration.ofSeconds(5));
    }
  }

  /** Waits until every topic has partition metadata; null when closed meanwhile. */
  private List<TopicPartition> awaitPartitions() {
    while (running.get()) {
      List<TopicPartition> partitions = new ArrayList<>();
      boolean complete = true;
      for (String topic : TOPICS) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
          complete = false;
          log.info("Waiting for topic {} to exist", topic);
          break;
        }
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      if (complete) {
        return partitions;
      }
      try {
        Thread.sleep(METADATA_RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private boolean reached(Map<TopicPartition, Long> endAtStart) {
    for (Map.Entry<TopicPartition, Long> end : endAtStart.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stops reading {@code partition} at the record at {@code offset}, which could not be decoded for want
   * of the registry: seeking back drops what was fetched after it, pausing keeps the poll from fetching
   * it again before the backoff is over.
   */
  private void holdBack(TopicPartition partition, long offset) {
    consumer.seek(partition, offset);
    consumer.pause(List.of(partition));
    retryAt.put(partition, System.nanoTime() + registryRetry.toNanos());
    heldAt.put(partition, offset);
    if (registryDown.compareAndSet(false, true)) {
      log.warn("Schema registry or data keys unavailable: partitions stop at the record that needs them and are read again "
          + "every {} ms; nothing is skipped", registryRetry.toMillis());
    }
  }

  private void resumeDue() {
    if (retryAt.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<TopicPartition> due = new ArrayList<>();
    retryAt.forEach((partition, at) -> {
      if (now - at >= 0) {
        due.add(partition);
      }
    });
    if (!due.isEmpty()) {
      due.forEach(retryAt::remove);
      consumer.resume(due);
    }
  }

  /** The outage is over once every held-back partition has been read past the record it stopped at. */
  private void noteRegistryBack() {
    if (heldAt.isEmpty()) {
      return;
    }
    heldAt.entrySet().removeIf(held -> !retryAt.containsKey(held.getKey()) && consumer.position(held.getKey()) > held.getValue());
    if (heldAt.isEmpty() && registryDown.compareAndSet(true, false)) {
      log.info("Schema registry and data keys available again: every partition reads on");
    }
  }

  /** Applies or skips the record; false when it must be read again later (the registry is unavailable). */
  private boolean apply(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    String key = record.key();
    ReadModel.Position position = new ReadModel.Position(new TopicPartition(topic, record.partition()), record.offset());
    if (key == null) {
      read.incrementAndGet();
      model.passOver(position); // every topic read here is keyed; an unkeyed record has nothing to update
      return true;
    }
    try {
      decoded(topic, key, record.value(), position).run();
      read.incrementAndGet();
    } catch (StateStore.Failure e) {
      throw e; // not a bad record: the store failed, and the reading stops (health says so)
    } catch (RuntimeException e) {
      if (DeadLetters.registryUnavailable(e)) {
        // the record is fine and reads the same once the registry (or the data keys) is back: never skip it
        return false;
      }
      read.incrementAndGet();
      model.passOver(position);
      skipped.incrementAndGet();
      log.warn("Skipped undecodable record {}-{}@{}: {}", topic, record.partition(), record.offset(), e.getClass().getName());
      if (caughtUp.get()) {
        ServiceMetrics.deadLettered(metrics, topic);
        deadLetters.send(DeadLetters.pointer(Topics.DEAD_LETTER.name(), key.getBytes(StandardCharsets.UTF_8), topic,
            record.partition(), record.offset(), e), (written, failed) -> {
              if (failed != null) {
                log.warn("Could not write the dead-letter pointer for {}-{}@{}: {}", topic, record.partition(), record.offset(),
                    failed.getClass().getName());
              }
            });
      }
    }
    return true;
  }

  /** The change the record makes, once decoded (decoding throws for a bad record). */
  private Runnable decoded(String topic, String key, byte[] value, ReadModel.Position position) {
    if (topic.equals(Topics.PARTICIPANT_STATUS.name())) {
      ParticipantStatus status = statusDecoder.deserialize(topic, value);
      return () -> model.putStatus(key, status, position);
    } else if (topic.equals(Topics.TALLIES.name())) {
      Tally tally = tallyDecoder.deserialize(topic, value);
      return () -> model.putTally(key, tally, position);
    } else if (topic.equals(Topics.TASKS.name())) {
      CoordinatorTask task = taskDecoder.deserialize(topic, value);
      return () -> model.putTask(key, task, position);
    } else if (topic.equals(Topics.DELIVERY_RECEIPTS.name())) {
      DeliveryReceipt receipt = receiptDecoder.deserialize(topic, value);
      return () -> model.putReceipt(key, receipt, clock.instant(), position);
    }
    return () -> model.passOver(position);
  }

  @Override
  public void close() {
    running.set(false);
    if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
      consumer.close(); // never started (the app failed to start): the reading thread will not close it
      deadLetters.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
