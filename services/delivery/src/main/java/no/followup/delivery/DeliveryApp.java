package no.followup.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.http.HealthServer;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.DeadLetters;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.Reminder;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery service: consumes the reminders topic (read_committed), sends participant reminders
 * as SMS through the gateway and turns staff reminders into tasks. Each reminder is handled in its
 * own Kafka transaction that also commits the consumer offset, so tasks, receipts and progress are
 * exactly-once on the Kafka side. The SMS, which Kafka cannot roll back, is guarded by the ledger
 * topic ({@link LedgerTopic}): an ATTEMPTING entry is committed with the reminder's own offset before
 * the gateway is called, which fails for an instance that has lost the partition; an instance given
 * a partition reads its ledger partition before it handles a reminder; and a reminder found
 * ATTEMPTING is in doubt and not sent again unless the gateway honours the idempotency key
 * ({@link ReminderDelivery}). At most one SMS per reminder, across instances. A reminder that cannot
 * be read, handled or written is skipped with a pointer on the dead-letter topic; one that is
 * merely held up (a broker, the registry, the disk) is tried again.
 */
public final class DeliveryApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryApp.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final CloseOptions LEAVE_GROUP = CloseOptions.timeout(Duration.ofSeconds(10))
      .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);

  private final DeliveryConfig config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final DeliveryLedger ledger = new DeliveryLedger();
  private final LedgerTopic ledgerTopic;
  private final ErasedParticipants erased;
  private final SmsGateway gateway;
  private final ReminderDelivery delivery;
  private final SpecificAvroDeserializer<Reminder> reminders;
  private final SpecificAvroSerializer<CoordinatorTask> tasks;
  private final SpecificAvroSerializer<DeliveryReceipt> receipts;
  private final ServiceMetrics metrics;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** What runs once the current transaction committed (the file side of an erasure). */
  private final List<Runnable> afterCommit = new java.util.ArrayList<>();
  private final Thread loop;
  private volatile boolean running = true;
  private volatile boolean crashed;
  private HealthServer http;

  private DeliveryApp(DeliveryConfig config, DeliveryHooks hooks) {
    this.config = config;
    this.metrics = ServiceMetrics.create("delivery");
    metrics.countDeadLettersOf(List.of(Topics.REMINDERS.name()));
    Map<String, Object> serdeConfig = Map.of(
        "schema.registry.url", config.schemaRegistryUrl(),
        "auto.register.schemas", config.autoRegisterSchemas());
    this.reminders = new SpecificAvroDeserializer<>(Reminder.class);
    reminders.configure(serdeConfig, false);
    this.tasks = new SpecificAvroSerializer<>();
    tasks.configure(serdeConfig, false);
    this.receipts = new SpecificAvroSerializer<>();
    receipts.configure(serdeConfig, false);
    this.ledgerTopic = new LedgerTopic(config.kafka(), serdeConfig, config.ledgerRetention(), config.clock());
    this.gateway = config.gateway() == DeliveryConfig.GatewayMode.HTTP
        ? new HttpSmsGateway(config.http())
        : new OutboxSmsGateway(config.outboxFile(), config.clock());
    this.erased = ErasedParticipants.open(config.erasedParticipantsFile());
    this.delivery = new ReminderDelivery(ledger, erased, new FileContactDirectory(config.contactsFile(), config.contactsManagedOutside()),
        gateway, config.zone(), hooks, new DeliveryMetrics(metrics.registry()));
    this.consumer = new KafkaConsumer<>(config.kafka().clientConfig(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
        // static membership: an instance restarted after a crash takes its partitions back at once,
        // instead of waiting for the group to time out its dead predecessor (45 s)
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        // each record may wait on the SMS gateway's retries (~30 s at worst): 5 of them stay well
        // inside the 300 s max.poll.interval.ms
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5)),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(config.kafka().clientConfig(Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all")),
        new ByteArraySerializer(), new ByteArraySerializer());
    metrics.bindConsumer(consumer);
    metrics.bindProducer(producer);
    this.loop = new Thread(this::run, "delivery-loop");
  }

  public static DeliveryApp start(DeliveryConfig config) {
    return start(config, DeliveryHooks.NONE);
  }

  /** Starts with fault-injection hooks (tests). */
  public static DeliveryApp start(DeliveryConfig config, DeliveryHooks hooks) {
    try (Admin admin = Admin.create(config.kafka().clientConfig())) {
      new TopicProvisioner(config.topicPartitions(), config.replicationFactor())
          .ensure(admin, List.of(Topics.REMINDERS, Topics.TASKS, Topics.DELIVERY_RECEIPTS, Topics.DEAD_LETTER));
      // the ledger gets the reminders topic's partition count, whatever this instance's setting
      new TopicProvisioner(partitionCount(admin, Topics.REMINDERS.name()), config.replicationFactor())
          .ensure(admin, List.of(Topics.DELIVERY_LEDGER));
    }
    DeliveryApp app = new DeliveryApp(config, hooks);
    try {
      app.ledgerTopic.checkPartitionCount();
      // fences a crashed predecessor with the same transactional id and aborts its open transaction
      app.producer.initTransactions();
      app.resumePendingErasures();
      app.loop.start();
      if (!app.assigned.await(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("delivery got no partitions within " + config.startupTimeout());
      }
      app.http = HealthServer.start(config.httpHost(), config.httpPort(), app::ready, Map.of(),
          Map.of("/stats", app.delivery::stats), app.metrics);
      log.info("Delivery running ({} gateway); health on port {}", config.gateway(), app.http.port());
      return app;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      app.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /**
   * The topic's partition count. Right after the topic is created, the broker asked may not know it
   * yet for a moment (as {@link LedgerTopic} finds too): an unknown topic is asked again for as long
   * as that may take.
   */
  private static int partitionCount(Admin admin, String topic) {
    long deadline = System.nanoTime() + LedgerTopic.PARTITIONS_KNOWN_WITHIN.toNanos();
    for (int attempt = 0; ; attempt++) {
      try {
        if (attempt > 0) {
          Thread.sleep(100);
        }
        return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions().size();
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw new IllegalStateException("could not describe " + topic + " (" + e.getCause().getClass().getName() + ")", e);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("could not describe " + topic + " (" + e.getClass().getName() + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing " + topic, e);
      }
    }
  }

  public int port() {
    return http.port();
  }

  public boolean ready() {
    return running && !crashed && loop.isAlive();
  }

  /** True once a simulated crash stopped the loop (tests). */
  boolean crashed() {
    return crashed;
  }

  /** Waits until the loop has stopped, by {@link #close()} or a crash. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Erasures under way when delivery stopped: their tombstones again, then their files. */
  private void resumePendingErasures() {
    producer.beginTransaction();
    try {
      delivery.resumePendingErasures(output(null, -1));
      producer.commitTransaction();
    } catch (RuntimeException e) {
      afterCommit.clear();
      closeQuietly(producer::abortTransaction);
      throw e;
    }
    runAfterCommit();
  }

  private void runAfterCommit() {
    List<Runnable> actions = List.copyOf(afterCommit);
    afterCommit.clear();
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (java.io.UncheckedIOException e) {
        // the erasure's marker stays pending, and the next start finishes it
        log.warn("Purging local files after an erasure failed ({}); finished at the next start", e.getClass().getName());
      }
    }
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.REMINDERS.name()),
          new LedgerAssignment(consumer, producer, ledger, ledgerTopic, assigned::countDown));
      while (running) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(250));
        for (TopicPartition partition : batch.partitions()) {
          for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
            if (!handle(record)) {
              consumer.seek(partition, record.offset()); // try this record again after the pause
              break;
            }
          }
        }
      }
    } catch (WakeupException closing) {
      // close() woke the consumer
    } catch (DeliveryHooks.SimulatedCrash crash) {
      crashed = true;
      log.warn("Simulated crash: delivery stops without writing or committing anything more");
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
      log.error("Delivery stopped: {}", fatal.getClass().getName());
    } catch (RuntimeException unexpected) {
      log.error("Delivery loop failed: {}", unexpected.getClass().getName(), unexpected);
    } finally {
      running = false;
      // After a (simulated) crash the producer is dropped with its transaction open, as a dead process
      // would leave it; the successor's initTransactions aborts it (or, for another instance, the
      // transaction timeout). The consumer leaves the group even as a static member (no offsets are
      // committed either way): a graceful stop hands its partitions over at once, and a simulated crash
      // stands for a dead instance whose session has expired, without waiting out session.timeout.ms.
      closeQuietly(() -> consumer.close(LEAVE_GROUP));
      closeQuietly(() -> producer.close(crashed ? Duration.ZERO : Duration.ofSeconds(30)));
      closeQuietly(gateway::close);
      closeQuietly(ledgerTopic::close);
      closeQuietly(erased::close);
      stopped.countDown();
    }
  }

  /** One reminder in one transaction with its offset. Returns false when it must be tried again. */
  private boolean handle(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    producer.beginTransaction();
    try {
      Reminder reminder = null;
      RuntimeException poison = null;
      try {
        reminder = record.value() == null ? null : reminders.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException undecodable) {
        if (DeadLetters.registryUnavailable(undecodable)) {
          throw undecodable; // the record is fine; the registry is not: roll back and retry
        }
        poison = undecodable;
      }
      if (reminder != null) {
        try {
          delivery.handle(reminder, config.clock().instant(), output(partition, record.offset()));
        } catch (DeliveryHooks.SimulatedCrash | java.io.UncheckedIOException | KafkaException retryOrStop) {
          // a crash stops; local disk or Kafka trouble is retried (unless the reminder's own output
          // cannot be written, see below): never skip a reminder for it
          throw retryOrStop;
        } catch (RuntimeException failed) {
          afterCommit.clear(); // nothing of a failed handling is finished
          poison = failed;
        }
      }
      if (poison != null) {
        // a record we cannot read or handle would fail the same way forever: leave a pointer, move on
        deadLetter(record, poison);
      }
      commitPast(record);
    } catch (DeliveryHooks.SimulatedCrash | ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      afterCommit.clear();
      throw e;
    } catch (KafkaException | java.io.UncheckedIOException e) {
      afterCommit.clear();
      closeQuietly(producer::abortTransaction);
      Optional<KafkaException> unwritable = unwritableOutput(e);
      if (unwritable.isPresent()) {
        return skipUnwritable(record, unwritable.get());
      }
      log.warn("Delivery of {}-{} offset {} rolled back ({}); retrying", record.topic(), record.partition(), record.offset(),
          e.getClass().getName());
      pause();
      return false;
    }
    runAfterCommit();
    return true;
  }

  /**
   * The reminder's output was refused for what it is (too large for the producer or the topic, not
   * serializable), so handling it again would fail the same way forever and hold up every reminder
   * behind it in its partition. Its transaction is rolled back; this one commits only a pointer to
   * it and the offset past it. What was committed before the gateway call stays (an ATTEMPTING
   * ledger entry): the reminder is not handled again, so no second SMS either.
   */
  private boolean skipUnwritable(ConsumerRecord<byte[], byte[]> record, KafkaException cause) {
    producer.beginTransaction();
    try {
      deadLetter(record, cause);
      commitPast(record);
      return true;
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("Dead-lettering {}-{} offset {} rolled back ({}); retrying", record.topic(), record.partition(), record.offset(),
          e.getClass().getName());
      closeQuietly(producer::abortTransaction);
      pause();
      return false;
    }
  }

  /**
   * The error that refused this reminder's own output, found among the causes of a failed send or
   * commit (a send that fails puts the transaction in error, and the commit reports it as the cause);
   * empty for anything worth retrying: a broker, the network or the schema registry that may answer
   * later, or a registry that does not hold this release's output schemas (every reminder would fail
   * alike, so none is skipped for it). Each transaction holds one reminder's output, so the refusal is
   * this reminder's.
   */
  static Optional<KafkaException> unwritableOutput(Throwable failure) {
    if (DeadLetters.registryUnavailable(failure) || DeadLetters.outputSchemaRefused(failure)) {
      return Optional.empty();
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
          || t instanceof InvalidRecordException || t instanceof SerializationException) {
        return Optional.of((KafkaException) t);
      }
    }
    return Optional.empty();
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException cause) {
    log.warn("Reminder at {}-{} offset {} skipped to dead letters: {}", record.topic(), record.partition(), record.offset(),
        cause.getClass().getName());
    producer.send(DeadLetters.pointer(Topics.DEAD_LETTER.name(), record.key(), record.topic(), record.partition(),
        record.offset(), cause));
    ServiceMetrics.deadLettered(metrics.registry(), record.topic());
  }

  private void commitPast(ConsumerRecord<byte[], byte[]> record) {
    producer.sendOffsetsToTransaction(Map.of(new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
    producer.commitTransaction();
  }

  private ReminderDelivery.Output output(TopicPartition partition, long offset) {
    return new TransactionOutput(producer, consumer, ledger, ledgerTopic, tasks, receipts, afterCommit, this::runAfterCommit,
        partition, offset);
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static void closeQuietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      log.debug("while closing: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    running = false;
    if (loop.isAlive()) {
      consumer.wakeup();
      try {
        loop.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (stopped.getCount() > 0) {
      // never started: release what the constructor opened
      closeQuietly(() -> consumer.close(CloseOptions.timeout(Duration.ZERO)));
      closeQuietly(() -> producer.close(Duration.ZERO));
      closeQuietly(gateway::close);
      closeQuietly(ledgerTopic::close);
      closeQuietly(erased::close);
    }
    if (http != null) {
      http.close();
    }
    metrics.close();
  }
}
