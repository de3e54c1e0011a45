package no.followup.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import no.followup.common.Topics;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.StaffRole;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.reminders.QuietHours;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderRules;
import no.followup.reminders.RemindersApp;
import no.followup.reminders.RemindersConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reminder timers of the reminders service (its default settings: punctuation every 250 ms, commit
 * interval 100 ms), with a lead time of one minute and no quiet hours so that due times can be set
 * to the millisecond:
 * <ul>
 *   <li><b>burst</b>: N meetings whose reminders all fall due at one instant, which is what the end
 *       of quiet hours does at 08:00 (every reminder held back overnight is due then). Measured:
 *       from that instant until a read_committed consumer has seen every one, and how many were
 *       seen twice (by reminderId). The floor: the same records through a plain producer (acks=all)
 *       to a read_committed consumer of the same broker;</li>
 *   <li><b>steady</b>: reminders falling due at an even pace while new bookings keep arriving;
 *       lateness = first seen by the consumer − due time.</li>
 * </ul>
 */
final class ReminderTimers {

  static final Duration LEAD_TIME = Duration.ofMinutes(1);
  static final Duration TARGET_BURST = Duration.ofSeconds(5);
  static final Duration TARGET_STEADY_P99 = Duration.ofMillis(300);
  /** Time to write and ingest the meetings before their reminders fall due. */
  private static final Duration SETUP = Duration.ofSeconds(30);
  /** After the last reminder, how long to keep watching for one sent twice. */
  private static final Duration DUPLICATE_WATCH = Duration.ofSeconds(3);
  private static final String PLAIN_TOPIC = "bench.plain-reminders";
  private static final String APPLICATION_ID = "bench-reminders";

  private final Path workDir;
  private final int burstReminders;
  private final int steadyReminders;
  private final Duration steadyWindow;
  private final int bookingsPerSecond;

  ReminderTimers(Path workDir, int burstReminders, int steadyReminders, Duration steadyWindow, int bookingsPerSecond) {
    this.workDir = workDir;
    this.burstReminders = burstReminders;
    this.steadyReminders = steadyReminders;
    this.steadyWindow = steadyWindow;
    this.bookingsPerSecond = bookingsPerSecond;
  }

  List<Row> run() {
    System.err.printf("reminders: burst of %,d, then %,d due over %d s%n", burstReminders, steadyReminders, steadyWindow.toSeconds());
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("reminders"));
         RemindersApp app = RemindersApp.start(RemindersConfig.defaults(broker.bootstrapServers(), broker.registryUrl(),
                 broker.dir().resolve("reminders-state"))
             .withApplicationId(APPLICATION_ID)
             .withRules(ReminderRules.defaults().withLeadTime(LEAD_TIME).withQuietHours(QuietHours.none(ReminderRules.OSLO))));
         KafkaProducer<String, FollowUpEvent> events = producer(broker, new SpecificAvroSerializer<>())) {
      broker.createTopic(PLAIN_TOPIC);
      List<Row> rows = new ArrayList<>(burst(broker, events));
      rows.add(steady(broker, events));
      return rows;
    }
  }

  private List<Row> burst(BenchBroker broker, KafkaProducer<String, FollowUpEvent> events) {
    Instant due = Instant.now().plus(SETUP);
    for (int i = 0; i < burstReminders; i++) {
      send(events, "p-burst-" + i, due.plus(LEAD_TIME));
    }
    events.flush();
    awaitIngested(broker, due);
    List<Reminder> received;
    long lastSeenMillis;
    long duplicates;
    boolean all;
    try (ReminderWatcher watcher = new ReminderWatcher(broker, Topics.REMINDERS.name(), meetingReminderOf("p-burst-"))) {
      all = watcher.awaitDistinct(burstReminders, Duration.between(Instant.now(), due).plusSeconds(60));
      Timing.pause(DUPLICATE_WATCH);
      duplicates = watcher.duplicates();
      received = watcher.firstSeen().values().stream().map(ReminderWatcher.Seen::reminder).toList();
      lastSeenMillis = watcher.firstSeen().values().stream().mapToLong(ReminderWatcher.Seen::atMillis).max().orElse(0);
    }
    long burstMillis = lastSeenMillis - due.toEpochMilli();
    long floorMillis = plainTransfer(broker, received);
    System.err.printf("  burst: %,d of %,d in %,d ms, %d twice; plain transfer %,d ms%n", received.size(), burstReminders,
        burstMillis, duplicates, floorMillis);
    String label = String.format("reminders burst: %,d due at one instant → all on the topic", burstReminders);
    String figure = all ? Row.millis(burstMillis) : String.format("%,d of %,d within 60 s", received.size(), burstReminders);
    return List.of(
        new Row(label, figure, Row.millis(floorMillis) + " (plain producer → consumer, same records)",
            Row.number(burstMillis / (double) Math.max(1, floorMillis)), "≤ " + Row.millis(TARGET_BURST.toMillis()),
            Row.Verdict.of(all && burstMillis <= TARGET_BURST.toMillis())),
        new Row("reminders burst: reminderIds seen twice", String.valueOf(duplicates), Row.NONE, Row.NONE, "0",
            Row.Verdict.of(duplicates == 0)));
  }

  private Row steady(BenchBroker broker, KafkaProducer<String, FollowUpEvent> events) {
    Instant first = Instant.now().plus(SETUP);
    long spacingMillis = steadyWindow.toMillis() / steadyReminders;
    for (int i = 0; i < steadyReminders; i++) {
      send(events, "p-steady-" + i, first.plusMillis(i * spacingMillis).plus(LEAD_TIME));
    }
    events.flush();
    AtomicBoolean bookingsDone = new AtomicBoolean();
    Instant end = first.plus(steadyWindow);
    Thread bookings = new Thread(() -> book(events, end, bookingsDone), "bench-bookings");
    bookings.start();
    long[] lateness;
    try (ReminderWatcher watcher = new ReminderWatcher(broker, Topics.REMINDERS.name(), meetingReminderOf("p-steady-"))) {
      watcher.awaitDistinct(steadyReminders, Duration.between(Instant.now(), end).plusSeconds(30));
      lateness = watcher.firstSeen().values().stream()
          .mapToLong(seen -> seen.atMillis() - seen.reminder().getDueAt().toEpochMilli())
          .toArray();
    } finally {
      bookingsDone.set(true);
      join(bookings);
    }
    if (lateness.length == 0) {
      throw new IllegalStateException("none of the steady reminders was seen");
    }
    if (lateness.length < steadyReminders) {
      System.err.printf("  steady: only %,d of %,d reminders seen%n", lateness.length, steadyReminders);
    }
    long p50 = Timing.percentile(lateness, 0.50);
    long p99 = Timing.percentile(lateness, 0.99);
    long max = LongStream.of(lateness).max().orElseThrow();
    System.err.printf("  steady lateness: p50 %d ms, p99 %d ms, max %d ms%n", p50, p99, max);
    return new Row(String.format("reminder lateness, due → on the topic, %,d due over %d s + %d bookings/s (p50 %d ms, max %d ms), p99",
        steadyReminders, steadyWindow.toSeconds(), bookingsPerSecond, p50, max), Row.millis(p99), Row.NONE, Row.NONE,
        "≤ " + Row.millis(TARGET_STEADY_P99.toMillis()),
        Row.Verdict.of(lateness.length == steadyReminders && p99 <= TARGET_STEADY_P99.toMillis()));
  }

  /** New bookings at an even pace until {@code end}: meetings two days ahead, whose timers join the index but do not fire. */
  private void book(KafkaProducer<String, FollowUpEvent> events, Instant end, AtomicBoolean done) {
    long interval = 1_000_000_000L / bookingsPerSecond;
    long next = System.nanoTime();
    for (int i = 0; !done.get() && Instant.now().isBefore(end); i++) {
      next += interval;
      LockSupport.parkNanos(next - System.nanoTime());
      send(events, "p-booking-" + i, Instant.now().plus(Duration.ofDays(2)));
    }
  }

  /** Fails unless the reminders service has committed every meeting before they fall due (else the burst would time ingestion). */
  private static void awaitIngested(BenchBroker broker, Instant due) {
    long end = broker.endOffset(Topics.EVENTS.name());
    while (broker.committedOffset(APPLICATION_ID, Topics.EVENTS.name()) < end) {
      if (Instant.now().isAfter(due.minusSeconds(1))) {
        throw new IllegalStateException("the reminders service had not read the meetings before they fell due; use fewer reminders");
      }
      Timing.pause(Duration.ofMillis(100));
    }
  }

  /** Writes {@code reminders} with a plain producer and returns the milliseconds until a read_committed consumer saw them all. */
  private static long plainTransfer(BenchBroker broker, List<Reminder> reminders) {
    try (ReminderWatcher watcher = new ReminderWatcher(broker, PLAIN_TOPIC, reminder -> true);
         KafkaProducer<String, Reminder> producer = producer(broker, new SpecificAvroSerializer<>())) {
      long start = System.currentTimeMillis();
      reminders.forEach(reminder -> producer.send(new ProducerRecord<>(PLAIN_TOPIC, reminder.getParticipantId(), reminder)));
      producer.flush();
      if (!watcher.awaitDistinct(reminders.size(), Duration.ofSeconds(60))) {
        throw new IllegalStateException("the plain transfer of the reminders did not arrive within 60 s");
      }
      return watcher.firstSeen().values().stream().mapToLong(ReminderWatcher.Seen::atMillis).max().orElse(start) - start;
    }
  }

  private static Predicate<Reminder> meetingReminderOf(String participantPrefix) {
    return reminder -> reminder.getKind() == ReminderKind.MEETING_REMINDER && reminder.getParticipantId().startsWith(participantPrefix);
  }

  private static void send(KafkaProducer<String, FollowUpEvent> producer, String participantId, Instant meetingStartsAt) {
    Instant now = Instant.now();
    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), participantId, FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId("3421")
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-bench"))
        .setOccurredAt(now)
        .setRecordedAt(now)
        .setCohortId(null)
        .setPayload(new MeetingScheduled("m-1", meetingStartsAt, MeetingKind.OFFICE))
        .build()));
  }

  private static <V> KafkaProducer<String, V> producer(BenchBroker broker, Serializer<V> values) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        "schema.registry.url", broker.registryUrl());
    values.configure(config, false);
    return new KafkaProducer<>(config, new StringSerializer(), values);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
