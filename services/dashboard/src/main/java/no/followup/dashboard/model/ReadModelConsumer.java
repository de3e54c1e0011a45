package no.followup.dashboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 */
public final class ReadModelConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadModelConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_RETRY = Duration.ofSeconds(1);

  static final List<String> TOPICS = List.of(Topics.PARTICIPANT_STATUS.name(), Topics.TALLIES.name(),
      Topics.TASKS.name(), Topics.DELIVERY_RECEIPTS.name());

  private final ReadModel model;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final SpecificAvroDeserializer<ParticipantStatus> statusDecoder = new SpecificAvroDeserializer<>(ParticipantStatus.class);
  private final SpecificAvroDeserializer<Tally> tallyDecoder = new SpecificAvroDeserializer<>(Tally.class);
  private final SpecificAvroDeserializer<CoordinatorTask> taskDecoder = new SpecificAvroDeserializer<>(CoordinatorTask.class);
  private final SpecificAvroDeserializer<DeliveryReceipt> receiptDecoder = new SpecificAvroDeserializer<>(DeliveryReceipt.class);
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean caughtUp = new AtomicBoolean(false);
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong read = new AtomicLong();
  private volatile boolean alive = true;
  private final MeterRegistry metrics;

  /** @param metrics binds the consumer's and producer's metrics, and counts dead letters */
  public ReadModelConsumer(KafkaConnection kafka, String schemaRegistryUrl, ReadModel model, Clock clock, ServiceMetrics metrics) {
    this.model = model;
    this.metrics = metrics.registry();
    this.clock = clock;
    Map<String, Object> props = kafka.clientConfig();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-dashboard-read-model");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.deadLetters = new KafkaProducer<>(kafka.clientConfig(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "followup-dashboard-dead-letters",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Object> serde = Map.of("schema.registry.url", schemaRegistryUrl);
    statusDecoder.configure(serde, false);
    tallyDecoder.configure(serde, false);
    taskDecoder.configure(serde, false);
    receiptDecoder.configure(serde, false);
    metrics.bindConsumer(consumer);
    metrics.bindProducer(deadLetters);
    metrics.countDeadLettersOf(TOPICS);
    this.thread = new Thread(this::run, "dashboard-read-model");
    this.thread.setDaemon(true);
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
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
          apply(record);
        }
        if (!records.isEmpty()) {
          model.publishChanges();
        }
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

  private void apply(ConsumerRecord<String, byte[]> record) {
    read.incrementAndGet();
    String topic = record.topic();
    String key = record.key();
    ReadModel.Position position = new ReadModel.Position(new TopicPartition(topic, record.partition()), record.offset());
    if (key == null) {
      model.passOver(position); // every topic read here is keyed; an unkeyed record has nothing to update
      return;
    }
    try {
      decoded(topic, key, record.value(), position).run();
    } catch (StateStore.Failure e) {
      throw e; // not a bad record: the store failed, and the reading stops (health says so)
    } catch (RuntimeException e) {
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
