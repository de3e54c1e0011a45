package no.followup.reminders;

import no.followup.localkafka.FreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.metrics.PrometheusText;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.StaffRole;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against a real broker and registry: the reminders application, running as its own JVM, is
 * killed (SIGKILL) while reminders are pending and restarted; every reminder fires exactly once.
 * The tests share the broker's topics and run in any order, two of them at once: each books its
 * own participants and reads back only their records, and most of each is waiting for reminders to
 * fall due.
 */
@Execution(ExecutionMode.CONCURRENT)
class RemindersIT {

  /** Between the start times of the meetings one {@link #schedule} call books. */
  private static final Duration BOOKING_SPACING = Duration.ofMillis(300);

  private static final Logger log = LoggerFactory.getLogger(RemindersIT.class);

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new TopicProvisioner(2, (short) 1).ensure(admin, List.of(Topics.EVENTS, Topics.REMINDERS, Topics.DEAD_LETTER));
    }
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

  /**
   * Held by a test while it waits with Awaitility, which fails a wait on an uncaught exception of any
   * thread of this JVM; taken alone by the test whose stream threads fail on purpose.
   */
  private static final String UNCAUGHT_EXCEPTIONS = "uncaught exceptions in this JVM";

  @Test
  @ResourceLock(value = UNCAUGHT_EXCEPTIONS, mode = ResourceAccessMode.READ)
  void remindersPendingWhenTheApplicationIsKilledFireOnceAfterTheRestart() throws Exception {
    String applicationId = "followup-reminders-kill-it";
    Path stateDir = dir.resolve("reminders-state");
    String run = uniqueRun("kill");
    ReminderCollector collected = new ReminderCollector(participantPrefix(run));
    collected.start();
    Process first = startChild(applicationId, stateDir, "first");
    Process second = null;
    try {
      // 10 reminders fire before the kill, 10 are overdue when the application is back, 10 are due
      // later (about when the restarted application is ready: any of them overdue by then must
      // still fire once)
      Instant base = Instant.now();
      List<String> early = schedule(run + "-early", 10, base, Duration.ofSeconds(3));
      List<String> overdue = schedule(run + "-overdue", 10, base, Duration.ofSeconds(9));
      List<String> later = schedule(run + "-later", 10, base, Duration.ofSeconds(25));
      Instant overdueDue = base.plus(Duration.ofSeconds(9)).plus(BOOKING_SPACING.multipliedBy(10));

      // well before the later reminders fall due (25 s): each of them is still pending at the kill
      await().atMost(Duration.ofSeconds(20)).until(() -> collected.count(early) == early.size());
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      log.info("Killed the reminders application; pending: {} overdue, {} later",
          overdue.size() - collected.count(overdue), later.size() - collected.count(later));
      assertThat(collected.count(later)).as("later reminders fired before the kill").isZero();

      await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(overdueDue));
      second = startChild(applicationId, stateDir, "second");

      List<String> all = new ArrayList<>(early);
      all.addAll(overdue);
      all.addAll(later);
      await().atMost(Duration.ofSeconds(150)).until(() -> collected.count(all) == all.size());
      // and no duplicates arrive afterwards (duplicates would come from replaying an uncommitted transaction)
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
          .until(() -> collected.duplicates().isEmpty() && collected.total() == all.size());
      assertThat(collected.perReminder().values()).allMatch(n -> n == 1);
      assertThat(collected.byMeeting().keySet()).containsExactlyInAnyOrderElementsOf(all);
      log.info("Lag of the reminders due after the restart (ms): {}", collected.lagMillis(later));
    } finally {
      collected.close();
      stop(first);
      stop(second);
    }
  }

  @Test
  @ResourceLock(value = UNCAUGHT_EXCEPTIONS, mode = ResourceAccessMode.READ)
  void inProcessApplicationFollowsItsClockAndServesHealthAndTimerLag() throws Exception {
    // a day behind: the meetings below are booked a minute ahead on this clock, so with the system
    // clock they would have started a day ago and get no reminder; and what other tests booked on
    // the shared events topic lies a day ahead of this clock, so none of it falls due here
    Clock dayBehind = Clock.offset(Clock.systemUTC(), Duration.ofDays(-1));
    RemindersConfig config = RemindersConfig.defaults(broker.bootstrapServers(), registry.url(), dir.resolve("in-process"))
        .withApplicationId("followup-reminders-health-it")
        .withRules(ReminderRules.defaults().withLeadTime(Duration.ofMinutes(1)).withQuietHours(QuietHours.none(ReminderRules.OSLO)))
        .withStreamsOverrides(Map.of("consumer.session.timeout.ms", "6000"))
        .withClock(dayBehind);
    String run = uniqueRun("health");
    try (ReminderCollector collected = new ReminderCollector(participantPrefix(run)); RemindersApp app = RemindersApp.start(config)) {
      collected.start();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);

      // due 10 s from now: the rule below (due a lead time before the start) holds only for a booking
      // the application sees before that moment, which takes seconds on a busy machine, not three
      List<String> meetings = schedule(run, 3, dayBehind.instant(), Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(60)).until(() -> collected.count(meetings) == meetings.size());
      assertThat(collected.records()).hasSize(meetings.size()).allSatisfy(r -> {
        assertThat(r.getKind()).isEqualTo(ReminderKind.MEETING_REMINDER);
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.DUE);
        assertThat(r.getDueAt()).isEqualTo(r.getMeetingStartsAt().minus(Duration.ofMinutes(1)));
        assertThat(r.getCreatedAt()).as("emitted on the application's clock, when due")
            .isBetween(r.getDueAt(), r.getDueAt().plus(Duration.ofSeconds(30)));
        assertThat(r.getCreatedAt()).isBefore(Instant.now().minus(Duration.ofHours(23)));
      });

      assertThat(app.metrics().timerLagSummary()).containsEntry("count", (long) meetings.size());
      HttpResponse<String> lag = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics/timer-lag")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(lag.statusCode()).isEqualTo(200);
      assertThat(lag.body()).contains("\"count\":" + meetings.size()).contains("\"p50Ms\":").contains("\"p99Ms\":").contains("\"maxMs\":");

      // Prometheus: lateness with a bucket at the one-minute alert, reminders emitted, Kafka Streams, dead letters from 0
      HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      String metrics = prometheus.body();
      assertThat(PrometheusText.value(metrics, "followup_reminders_timer_lag_seconds_count")).hasValue(meetings.size());
      assertThat(PrometheusText.value(metrics, "followup_reminders_timer_lag_seconds_bucket", "le=\"60.0\"")).hasValue(meetings.size());
      assertThat(PrometheusText.valueOrZero(metrics, "followup_reminders_emitted_total", "kind=\"MEETING_REMINDER\""))
          .isEqualTo(meetings.size());
      assertThat(PrometheusText.value(metrics, "followup_dead_letters_total", "service=\"reminders\"")).hasValue(0.0);
      assertThat(metrics).contains("kafka_stream_thread_process_total{").contains("jvm_memory_used_bytes{");
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** A name no other test (or earlier run) uses, so each test can pick its own records off the shared topics. */
  static String uniqueRun(String test) {
    return test + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The participants {@link #schedule} books for {@code run} and its sub-prefixes. */
  static String participantPrefix(String run) {
    return "p-" + run + "-";
  }

  @Test
  @ResourceLock(value = UNCAUGHT_EXCEPTIONS, mode = ResourceAccessMode.READ_WRITE)
  void readinessSaysWhyWhileEveryRecordFailsTheStreamThread() throws Exception {
    // a registry nobody answers at: no record can be read, and (rightly) none is dead-lettered for
    // it; each try fails the stream thread, which is replaced and tries again. Kafka Streams itself
    // stays RUNNING all along: only the readiness check can tell that nothing moves.
    String unreachableRegistry = "http://127.0.0.1:" + FreePorts.take();
    RemindersConfig config = RemindersConfig.defaults(broker.bootstrapServers(), unreachableRegistry, dir.resolve("outage"))
        .withApplicationId("followup-reminders-outage-it")
        // from the end of the shared topic: the application must be running before its first record fails
        .withStreamsOverrides(Map.of("consumer.session.timeout.ms", "6000", "consumer.auto.offset.reset", "latest"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (RemindersApp app = RemindersApp.start(config)) {
      URI ready = URI.create("http://127.0.0.1:" + app.port() + "/health/ready");
      String run = uniqueRun("outage");
      AtomicInteger written = new AtomicInteger();
      // the failing stream threads are what this test is about: they must not fail the wait
      await().dontCatchUncaughtExceptions().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        // a record on every try: the application takes its start position ("latest") lazily, and
        // a record written before that would be skipped, not fail
        schedule(run + "-" + written.incrementAndGet(), 1, Instant.now(), Duration.ofMinutes(10));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("\"status\":\"DOWN\"", "stream threads were replaced");
      });
      HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health/live"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }

  /**
   * Books {@code n} meetings at {@code base} (the application's "now") whose reminders (lead time
   * 1 minute) fall due {@code offset} after it and then every {@link #BOOKING_SPACING};
   * participants {@code p-<prefix>-<i>}, meetings {@code <prefix>-<i>}.
   */
  static List<String> schedule(String prefix, int n, Instant base, Duration offset) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        "schema.registry.url", registry.url());
    List<String> meetingIds = new ArrayList<>();
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(config, new StringSerializer(), serializer())) {
      for (int i = 0; i < n; i++) {
        String participantId = "p-" + prefix + "-" + i;
        String meetingId = prefix + "-" + i;
        Instant startsAt = base.plus(Duration.ofMinutes(1)).plus(offset).plus(BOOKING_SPACING.multipliedBy(i));
        FollowUpEvent event = FollowUpEvent.newBuilder()
            .setEventId(UUID.randomUUID())
            .setParticipantId(participantId)
            .setOfficeId("0403")
            .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId("s-1").build())
            .setOccurredAt(base)
            .setRecordedAt(base)
            .setCohortId(null)
            .setPayload(MeetingScheduled.newBuilder().setMeetingId(meetingId).setStartsAt(startsAt).setKind(MeetingKind.OFFICE).build())
            .build();
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), participantId, event));
        meetingIds.add(meetingId);
      }
      producer.flush();
    }
    return meetingIds;
  }

  private static SpecificAvroSerializer<FollowUpEvent> serializer() {
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(Map.of("schema.registry.url", registry.url()), false);
    return serializer;
  }

  private Process startChild(String applicationId, Path stateDir, String name) throws IOException {
    int port = FreePorts.take();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        RemindersMain.class.getName(),
        "--bootstrap-servers", broker.bootstrapServers(),
        "--schema-registry-url", registry.url(),
        "--application-id", applicationId,
        "--state-dir", stateDir.toString(),
        "--port", String.valueOf(port),
        "--topic-partitions", "2",
        "--lead-time", "PT1M",
        "--grace-period", "PT24H",
        "--quiet-hours-start", "00:00",
        "--quiet-hours-end", "00:00",
        "--without-master-key",
        // a killed member must not hold up the restart's rebalance for the default 45 s
        "--streams-property", "consumer.session.timeout.ms=6000");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("reminders-" + name + ".log").toFile())
        .start();
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
      assertThat(process.isAlive()).as("reminders application %s exited; see its log", name).isTrue();
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    });
    return process;
  }

  private static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy(); // SIGTERM: the application closes in its shutdown hook
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Reads the reminders topic read_committed, as delivery does, keeping only the records of
   * participants whose id starts with {@code participantPrefix} (the topic is shared by every test).
   */
  static final class ReminderCollector implements AutoCloseable {
    private final String participantPrefix;
    private final List<Reminder> records = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstSeenAt = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::run, "reminder-collector");

    ReminderCollector(String participantPrefix) {
      this.participantPrefix = participantPrefix;
    }

    void start() {
      thread.start();
    }

    private void run() {
      Map<String, Object> config = Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "reminders-it-" + UUID.randomUUID(),
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          "schema.registry.url", registry.url());
      SpecificAvroDeserializer<Reminder> deserializer = new SpecificAvroDeserializer<>(Reminder.class);
      deserializer.configure(config, false);
      try (KafkaConsumer<String, Reminder> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
        consumer.subscribe(List.of(Topics.REMINDERS.name()));
        while (running) {
          for (ConsumerRecord<String, Reminder> record : consumer.poll(Duration.ofMillis(200))) {
            if (!record.value().getParticipantId().startsWith(participantPrefix)) {
              continue;
            }
            records.add(record.value());
            firstSeenAt.putIfAbsent(record.value().getReminderId().toString(), System.currentTimeMillis());
          }
        }
      }
    }

    long count(List<String> meetingIds) {
      Set<String> wanted = Set.copyOf(meetingIds);
      return records.stream().filter(r -> wanted.contains(r.getMeetingId())).map(Reminder::getReminderId).distinct().count();
    }

    int total() {
      return records.size();
    }

    List<Reminder> records() {
      return List.copyOf(records);
    }

    Map<String, Long> perReminder() {
      return records.stream().collect(Collectors.groupingBy(r -> r.getReminderId().toString(), Collectors.counting()));
    }

    Map<String, List<Reminder>> byMeeting() {
      return records.stream().collect(Collectors.groupingBy(Reminder::getMeetingId));
    }

    Map<String, Long> duplicates() {
      return perReminder().entrySet().stream().filter(e -> e.getValue() > 1)
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<Long> lagMillis(List<String> meetingIds) {
      Set<String> wanted = Set.copyOf(meetingIds);
      return records.stream().filter(r -> wanted.contains(r.getMeetingId()))
          .map(r -> firstSeenAt.get(r.getReminderId().toString()) - r.getDueAt().toEpochMilli())
          .sorted().toList();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }
  }
}
