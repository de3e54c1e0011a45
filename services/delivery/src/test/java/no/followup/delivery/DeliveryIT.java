package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.streams.DeadLetters;
import no.followup.common.testing.LogCapture;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;
import no.followup.reminders.TaskState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery against a real broker and registry. The crash window: a delivery instance dies after the
 * SMS gateway accepted a message and before the outcome is committed; its ledger entry ATTEMPTING
 * was committed before the call. Whoever handles the reminder next, the same instance restarted or
 * another one given the partition, finds it in doubt: through a gateway that honours the
 * Idempotency-Key it is sent again (one SMS); through one that ignores the key it is reported
 * OUTCOME_UNKNOWN and not sent again (one SMS).
 */
class DeliveryIT {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;
  static Path contacts;

  @BeforeAll
  static void up() throws Exception {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
    contacts = dir.resolve("contacts.csv");
    StringBuilder lines = new StringBuilder("# participantId;phone;language;optedOut\np-1;+4791234567;nb;false\np-2;+4791234568;nn;false\n");
    for (int i = 0; i < PARTICIPANTS; i++) {
      lines.append(participant(i)).append(";+479100").append(String.format("%04d", i)).append(";nb;false\n");
    }
    Files.writeString(contacts, lines);
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  DeliveryConfig config(String name, FakeHttpSmsGateway gateway) {
    DeliveryConfig config = DeliveryConfig.defaults(broker.bootstrapServers(), registry.url(), dir.resolve(name))
        .withGroupId("delivery-it-" + name)
        .withContactsFile(contacts);
    return gateway == null ? config : config.withHttpGateway(HttpGatewayConfig.of(gateway.url())
        .withRetries(3, Duration.ofMillis(50), Duration.ofMillis(200))
        .withHonouredIdempotencyKey(gateway.honoursIdempotencyKey()));
  }

  @Test
  void aGatewayHonouringTheKeySendsOneSmsAfterACrashBetweenGatewayCallAndCommit() throws Exception {
    try (FakeHttpSmsGateway gateway = new FakeHttpSmsGateway(true)) {
      DeliveryConfig config = config("honouring", gateway);
      Reminder reminder = participantReminder("p-1");
      String key = reminder.getReminderId().toString();
      DeliveryApp first = DeliveryApp.start(config, crashOnceAfterTheGatewayCallFor(key));
      try {
        produce(reminder);
        await().atMost(Duration.ofSeconds(60)).until(first::crashed);
        assertThat(first.awaitStopped(Duration.ofSeconds(30))).isTrue();
        assertThat(delivered(gateway, key)).hasSize(1);
      } finally {
        first.close();
      }
      try (ReceiptReader receipts = new ReceiptReader(); DeliveryApp second = DeliveryApp.start(config)) {
        await().atMost(Duration.ofSeconds(90)).until(() -> receipts.of(key).size() >= 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> receipts.of(key).size() == 1);
        DeliveryReceipt receipt = receipts.of(key).get(0);
        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.SENT);
        assertThat(receipt.getAttempts()).isEqualTo(2);
        assertThat(receipt.getGatewayMessageId()).isNotNull();
        assertThat(second.ready()).isTrue();
      }
      assertThat(requests(gateway, key)).as("gateway calls for the reminder").hasSize(2);
      assertThat(delivered(gateway, key)).as("SMS the participant got").hasSize(1);
    }
  }

  static final int PARTICIPANTS = 12;

  static String participant(int i) {
    return "p-moving-" + i;
  }

  /**
   * Two instances in one group while reminders are due: the second starts mid-run and takes
   * partitions from the first, then the first dies right after a gateway call and the second takes
   * the rest. The gateway ignores the idempotency key, so any reminder sent twice would reach the
   * participant twice.
   */
  @Test
  void partitionsMovingBetweenTwoInstancesNeverSendAReminderTwice() throws Exception {
    try (FakeHttpSmsGateway gateway = new FakeHttpSmsGateway(false); ReceiptReader receipts = new ReceiptReader()) {
      DeliveryConfig config = config("instances", gateway);
      AtomicBoolean crashArmed = new AtomicBoolean();
      List<String> crashedOn = new CopyOnWriteArrayList<>();
      List<Reminder> due = new ArrayList<>();
      DeliveryApp first = DeliveryApp.start(config.withInstance("a", dir.resolve("instances-a")), id -> {
        if (crashArmed.getAndSet(false)) {
          crashedOn.add(id);
          throw new DeliveryHooks.SimulatedCrash("after the gateway call for " + id);
        }
      });
      DeliveryApp second = null;
      try {
        due.addAll(produceBatch());
        // the first instance is sending when the second joins and the partitions are split
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.delivered().size() >= 3);
        due.addAll(produceBatch());
        second = DeliveryApp.start(config.withInstance("b", dir.resolve("instances-b")));
        crashArmed.set(true);
        due.addAll(produceBatch());
        await().atMost(Duration.ofSeconds(60)).until(first::crashed);
        due.addAll(produceBatch());

        // every reminder decided once: sent, or (the one the first instance died on) in doubt
        await().atMost(Duration.ofSeconds(90)).until(() -> due.stream().allMatch(r -> !receipts.of(id(r)).isEmpty()));
        assertThat(crashedOn).hasSize(1);
        for (Reminder r : due) {
          String key = id(r);
          DeliveryStatus expected = crashedOn.contains(key) ? DeliveryStatus.OUTCOME_UNKNOWN : DeliveryStatus.SENT;
          assertThat(receipts.of(key)).as("receipts of %s", key).extracting(DeliveryReceipt::getStatus).containsOnly(expected);
          assertThat(delivered(gateway, key)).as("SMS for %s", key).hasSize(1);
        }
        assertThat(gateway.delivered()).as("no SMS but for these reminders").hasSize(due.size());
        assertThat(second.ready()).isTrue();
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** One reminder due now for each participant: spread over every partition. */
  static List<Reminder> produceBatch() {
    List<Reminder> batch = new ArrayList<>();
    for (int i = 0; i < PARTICIPANTS; i++) {
      batch.add(participantReminder(participant(i)));
    }
    produce(batch.toArray(Reminder[]::new));
    return batch;
  }

  static DeliveryHooks crashOnceAfterTheGatewayCallFor(String key) {
    AtomicBoolean crashOnce = new AtomicBoolean(true);
    // (the topic is shared by this class's tests: other tests' reminders pass through without a crash)
    return id -> {
      if (id.equals(key) && crashOnce.getAndSet(false)) {
        throw new DeliveryHooks.SimulatedCrash("after the gateway call for " + id);
      }
    };
  }

  static String id(Reminder r) {
    return r.getReminderId().toString();
  }

  @Test
  void embeddedDefaultSendsThroughTheOutboxAndPublishesTasksAndReceipts() throws Exception {
    DeliveryConfig config = config("outbox", null);
    Reminder sms = participantReminder("p-2");
    Reminder noContact = participantReminder("p-unknown");
    Reminder task = staffReminder("p-1", ReminderKind.REACH_OUT_AFTER_MISS);
    Reminder erased = staffReminder("p-3", ReminderKind.INACTIVITY); // its ERASED record erases p-3 altogether
    try (ReceiptReader receipts = new ReceiptReader(); TaskReader tasks = new TaskReader(); DeliveryApp app = DeliveryApp.start(config)) {
      produce(sms);
      produce(sms); // delivered twice on the topic: still one SMS
      produce(noContact);
      produce(task);
      produce(Reminder.newBuilder(task).setStatus(ReminderStatus.RESOLVED).setCreatedAt(Instant.now()).build());
      produce(erased);
      produce(Reminder.newBuilder(erased).setStatus(ReminderStatus.ERASED).build());
      produceGarbage();

      await().atMost(Duration.ofSeconds(60)).until(() -> receipts.of(noContact.getReminderId().toString()).size() == 1
          && receipts.of(sms.getReminderId().toString()).size() == 2);
      assertThat(receipts.of(sms.getReminderId().toString())).extracting(DeliveryReceipt::getStatus)
          .containsOnly(DeliveryStatus.SENT);
      assertThat(receipts.of(noContact.getReminderId().toString())).extracting(DeliveryReceipt::getStatus)
          .containsExactly(DeliveryStatus.SKIPPED_NO_CONTACT);
      List<String> outbox = Files.readAllLines(config.outboxFile()).stream()
          .filter(line -> line.contains(sms.getReminderId().toString())).toList();
      assertThat(outbox).singleElement().satisfies(line -> assertThat(line)
          .contains(sms.getReminderId().toString()).contains("Påminning").doesNotContain("91234568"));

      String taskId = task.getReminderId().toString();
      await().atMost(Duration.ofSeconds(60)).until(() -> tasks.latest(taskId).map(t -> t.getState() == TaskState.DONE).orElse(false));
      String erasedId = erased.getReminderId().toString();
      await().atMost(Duration.ofSeconds(60)).until(() -> tasks.updates(erasedId) == 2 && tasks.latest(erasedId).isEmpty());

      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(app.ready()).as("a garbage record does not stop delivery").isTrue();
    }
  }

  /**
   * Two records delivery cannot act on, on one partition ahead of a reminder it can: an erasure whose
   * participantId is an identity number, and a coordinator's reminder whose task the tasks topic
   * refuses as too large (as the producer refuses a task of a megabyte; the topic's limit stands in
   * for that, since ids of the data's shapes keep every task far below 1 MiB). Rolled back and tried
   * again, the task would hold up the partition for good; each goes to dead letters instead, and the
   * reminder behind them gets its receipt, once.
   */
  @Test
  void recordsThatCannotBeWrittenAreDeadLetteredAndTheReminderBehindThemIsDelivered() throws Exception {
    String participant = "p-unwritable"; // one key, one partition; not in the contacts: no SMS another test's gateway counts
    Reminder misshapen = Reminder.newBuilder(participantReminder("01017012345")).setStatus(ReminderStatus.ERASED).build();
    Reminder tooLargeTask = staffReminder(participant, ReminderKind.REACH_OUT_AFTER_MISS);
    Reminder next = participantReminder(participant);
    try (Admin admin = Admin.create(broker.adminClientConfig());
        LogCapture appLog = LogCapture.of(DeliveryApp.class); LogCapture deliveryLog = LogCapture.of(ReminderDelivery.class);
        ReceiptReader receipts = new ReceiptReader(); TaskReader tasks = new TaskReader();
        DeadLetterReader deadLetters = new DeadLetterReader()) {
      // made here when this test is the first, so the broker knows the reminders topic before delivery
      // starts and asks it for the topic's partitions
      new TopicProvisioner(3, (short) 1).ensure(admin, List.of(Topics.REMINDERS, Topics.TASKS));
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> admin.describeTopics(List.of(Topics.REMINDERS.name())).allTopicNames().get().containsKey(Topics.REMINDERS.name()));
      setTasksTopicLimit(admin, AlterConfigOp.OpType.SET);
      try (DeliveryApp app = DeliveryApp.start(config("unwritable", null))) {
        List<RecordMetadata> written = produceKeyed(participant, misshapen, tooLargeTask, next);

        String nextId = id(next);
        await().atMost(Duration.ofSeconds(60)).until(() -> receipts.of(nextId).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> receipts.of(nextId).size() == 1);
        assertThat(receipts.of(nextId).get(0).getStatus()).isEqualTo(DeliveryStatus.SKIPPED_NO_CONTACT);

        ConsumerRecord<String, byte[]> refused = deadLetters.pointingAt(written.get(0));
        assertThat(header(refused, DeadLetters.HEADER_ERROR_CLASS)).isEqualTo(InvalidReminderException.class.getName());
        assertThat(header(refused, DeadLetters.HEADER_ERROR_MESSAGE)).startsWith("participantId is not ");
        ConsumerRecord<String, byte[]> unwritable = deadLetters.pointingAt(written.get(1));
        assertThat(header(unwritable, DeadLetters.HEADER_ERROR_CLASS)).isEqualTo(RecordTooLargeException.class.getName());
        for (ConsumerRecord<String, byte[]> pointer : List.of(refused, unwritable)) {
          assertThat(new String(pointer.value(), StandardCharsets.UTF_8)).doesNotContain("01017012345");
          pointer.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("01017012345"));
        }
        assertThat(tasks.updates(id(tooLargeTask))).as("task records").isZero();
        assertThat(Stream.concat(appLog.messages().stream(), deliveryLog.messages().stream())).noneMatch(m -> m.contains("01017012345"));
        assertThat(app.ready()).isTrue();
      } finally {
        setTasksTopicLimit(admin, AlterConfigOp.OpType.DELETE); // the topic's default again, for the other tests
      }
    }
  }

  /**
   * A limit on the tasks topic that no task fits under ({@code DELETE}: the default again): a task
   * batch holds at least its taskId and three ids, over 200 bytes. The transaction's marker (about
   * 80 bytes) must still fit: the coordinator would retry writing it forever, and no later
   * transaction of this producer could commit its offsets.
   */
  static void setTasksTopicLimit(Admin admin, AlterConfigOp.OpType op) throws Exception {
    ConfigResource tasks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TASKS.name());
    admin.incrementalAlterConfigs(Map.of(tasks, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "150"), op))))
        .all().get(30, TimeUnit.SECONDS);
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** Writes {@code reminders} keyed by {@code key}, in order; where each went. */
  static List<RecordMetadata> produceKeyed(String key, Reminder... reminders) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        "schema.registry.url", registry.url());
    SpecificAvroSerializer<Reminder> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    List<RecordMetadata> written = new ArrayList<>();
    try (KafkaProducer<String, Reminder> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      for (Reminder reminder : reminders) {
        written.add(producer.send(new ProducerRecord<>(Topics.REMINDERS.name(), key, reminder)).get(30, TimeUnit.SECONDS));
      }
    }
    return written;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  static List<FakeHttpSmsGateway.Request> requests(FakeHttpSmsGateway gateway, String key) {
    return gateway.requests().stream().filter(r -> key.equals(r.idempotencyKey())).toList();
  }

  static List<FakeHttpSmsGateway.Delivered> delivered(FakeHttpSmsGateway gateway, String key) {
    return gateway.delivered().stream().filter(d -> key.equals(d.idempotencyKey())).toList();
  }

  /**
   * Numbers the meetings: an id from a random UUID may hold eleven digits in a row, the shape of an
   * identity number, and delivery refuses such a reminder as the intake refuses such an id.
   */
  static final AtomicInteger MEETINGS = new AtomicInteger();

  static Reminder participantReminder(String participantId) {
    Instant meeting = Instant.now().plus(Duration.ofHours(24));
    return Reminder.newBuilder()
        .setReminderId(UUID.randomUUID())
        .setKind(ReminderKind.MEETING_REMINDER)
        .setAudience(no.followup.reminders.Audience.PARTICIPANT)
        .setStatus(ReminderStatus.DUE)
        .setParticipantId(participantId)
        .setOfficeId("0403")
        .setCoordinatorId("s-12")
        .setMeetingId("m-" + MEETINGS.incrementAndGet())
        .setMeetingStartsAt(meeting)
        .setMeetingKind(MeetingPlaceKind.HOME_VISIT)
        .setDueAt(Instant.now())
        .setCreatedAt(Instant.now())
        .build();
  }

  static Reminder staffReminder(String participantId, ReminderKind kind) {
    return Reminder.newBuilder(participantReminder(participantId))
        .setKind(kind)
        .setAudience(no.followup.reminders.Audience.COORDINATOR)
        .build();
  }

  static void produce(Reminder... reminders) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        "schema.registry.url", registry.url());
    SpecificAvroSerializer<Reminder> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    try (KafkaProducer<String, Reminder> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      for (Reminder reminder : reminders) {
        producer.send(new ProducerRecord<>(Topics.REMINDERS.name(), reminder.getParticipantId(), reminder));
      }
    }
  }

  static void produceGarbage() {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.REMINDERS.name(), "p-x".getBytes(), new byte[] {1, 2, 3}));
    }
  }

  /** Reads a topic read_committed in the background. */
  abstract static class Reader<T> implements AutoCloseable {
    final List<ConsumerRecord<String, T>> records = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private final Thread thread;

    Reader(String topic, Deserializer<T> values) {
      Map<String, Object> config = Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          "schema.registry.url", registry.url());
      values.configure(config, false);
      thread = new Thread(() -> {
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
          consumer.subscribe(List.of(topic));
          while (running) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
          }
        }
      }, "reader-" + topic);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }
  }

  static final class ReceiptReader extends Reader<DeliveryReceipt> {
    ReceiptReader() {
      super(Topics.DELIVERY_RECEIPTS.name(), new SpecificAvroDeserializer<>(DeliveryReceipt.class));
    }

    List<DeliveryReceipt> of(String reminderId) {
      return records.stream().filter(r -> r.key().equals(reminderId)).map(ConsumerRecord::value).toList();
    }
  }

  static final class DeadLetterReader extends Reader<byte[]> {
    DeadLetterReader() {
      super(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer());
    }

    /** The pointer to the record at {@code source}, once it is there. */
    ConsumerRecord<String, byte[]> pointingAt(RecordMetadata source) {
      await().atMost(Duration.ofSeconds(30)).until(() -> find(source).isPresent());
      return find(source).orElseThrow();
    }

    private Optional<ConsumerRecord<String, byte[]>> find(RecordMetadata source) {
      return records.stream()
          .filter(r -> header(r, DeadLetters.HEADER_SOURCE_TOPIC).equals(source.topic())
              && header(r, DeadLetters.HEADER_SOURCE_PARTITION).equals(String.valueOf(source.partition()))
              && header(r, DeadLetters.HEADER_SOURCE_OFFSET).equals(String.valueOf(source.offset())))
          .findFirst();
    }
  }

  static final class TaskReader extends Reader<CoordinatorTask> {
    TaskReader() {
      super(Topics.TASKS.name(), new SpecificAvroDeserializer<>(CoordinatorTask.class));
    }

    long updates(String taskId) {
      return records.stream().filter(r -> r.key().equals(taskId)).count();
    }

    /** The latest state, empty after a tombstone (or before anything arrived). */
    Optional<CoordinatorTask> latest(String taskId) {
      Map<String, Optional<CoordinatorTask>> latest = new ConcurrentHashMap<>();
      records.stream().filter(r -> r.key().equals(taskId)).forEach(r -> latest.put(taskId, Optional.ofNullable(r.value())));
      return latest.getOrDefault(taskId, Optional.empty());
    }
  }
}
