package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import no.followup.common.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
