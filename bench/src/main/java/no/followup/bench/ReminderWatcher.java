package no.followup.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.reminders.Reminder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a reminders topic from the beginning as a read_committed consumer on a thread of its own
 * and keeps, per reminderId of the reminders it is asked about, when it first saw it (wall clock,
 * the clock reminders are due by), the record itself, and how many records it saw in all: more
 * records than reminderIds means one went out twice.
 */
final class ReminderWatcher implements AutoCloseable {

  /** A reminder as first seen. */
  record Seen(Reminder reminder, long atMillis) {}

  private final Map<String, Seen> firstSeen = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  ReminderWatcher(BenchBroker broker, String topic, Predicate<Reminder> watched) {
    SpecificAvroDeserializer<Reminder> values = new SpecificAvroDeserializer<>(Reminder.class);
    values.configure(Map.of("schema.registry.url", broker.registryUrl()), false);
    KafkaConsumer<String, Reminder> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new StringDeserializer(), values);
    consumer.assign(broker.partitions(topic));
    consumer.seekToBeginning(consumer.assignment());
    this.thread = new Thread(() -> {
      try (consumer) {
        while (!stop.get()) {
          for (ConsumerRecord<String, Reminder> record : consumer.poll(Duration.ofMillis(10))) {
            long now = System.currentTimeMillis();
            if (record.value() != null && watched.test(record.value())) {
              records.incrementAndGet();
              firstSeen.putIfAbsent(record.value().getReminderId().toString(), new Seen(record.value(), now));
            }
          }
        }
      }
    }, "bench-reminder-watcher");
    thread.start();
  }

  /** Waits until {@code expected} distinct reminders were seen, or {@code timeout} passed; returns whether they were. */
  boolean awaitDistinct(int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (firstSeen.size() < expected && System.nanoTime() < deadline) {
      Timing.pause(Duration.ofMillis(20));
    }
    return firstSeen.size() >= expected;
  }

  Map<String, Seen> firstSeen() {
    return Map.copyOf(firstSeen);
  }

  /** Records seen beyond the first per reminderId. */
  long duplicates() {
    return records.get() - firstSeen.size();
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
