package no.followup.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.status.ParticipantStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Latency from an acknowledged event to its status record, at a steady rate: a producer configured
 * as the intake's single-event producer (acks=all, idempotent, linger.ms 0) sends events to a
 * running status service; "acknowledged" is the moment its send completed; the status record is
 * the one whose eventCount says it includes that event, as a read_committed consumer of
 * {@code followup.participant-status.v1} sees it. The floor: the same producer and events on a
 * plain topic of the same broker, produce (send) → read_committed consumer.
 *
 * <p>Events are sent for {@link #WARM_UP} before the measured duration, and those are not counted:
 * a freshly started service is still compiling its code (on this 2-core machine the JIT compiler
 * takes most of a core for about 20 s once traffic starts, and the first events wait seconds).
 * What a restart costs is shown in a row of its own, without a target.
 */
final class StatusLatency {

  static final int PARTICIPANTS = 1_000;
  static final Duration WARM_UP = Duration.ofSeconds(20);
  static final int TARGET_FLOOR_MULTIPLE = 3;
  private static final String PLAIN_TOPIC = "bench.plain-latency";
  private static final String SEQUENCE_HEADER = "bench-sequence";
  /** How long after the last send every record must have been seen. */
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final Path workDir;
  private final int eventsPerSecond;
  private final Duration duration;
  private final String heap;
  /** Kafka Streams threads of the status service and of the ceiling alike. */
  private final int streamThreads;

  StatusLatency(Path workDir, int eventsPerSecond, Duration duration, String heap, int streamThreads) {
    this.workDir = workDir;
    this.eventsPerSecond = eventsPerSecond;
    this.duration = duration;
    this.heap = heap;
    this.streamThreads = streamThreads;
  }

  List<Row> run() {
    int events = (int) (eventsPerSecond * (WARM_UP.toSeconds() + duration.toSeconds()));
    SyntheticHistories histories = new SyntheticHistories("p-lat", PARTICIPANTS, Math.max(1, events / PARTICIPANTS));
    System.err.printf("latency at %,d events/s for %d s after %d s of warm-up%n", eventsPerSecond,
        duration.toSeconds(), WARM_UP.toSeconds());
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("latency"));
         ChildJvm status = ChildJvm.status(broker, "bench-status-latency", heap, streamThreads)) {
      broker.createTopic(PLAIN_TOPIC);
      status.awaitReady(Duration.ofMinutes(2));
      SpecificAvroDeserializer<ParticipantStatus> statuses = new SpecificAvroDeserializer<>(ParticipantStatus.class);
      statuses.configure(Map.of("schema.registry.url", broker.registryUrl()), false);

      Latencies plain = latencies(broker, histories, PLAIN_TOPIC, PLAIN_TOPIC, new ByteArrayDeserializer(),
          StatusLatency::sequenceHeader, false);
      Latencies viaStatus = latencies(broker, histories, Topics.EVENTS.name(), Topics.PARTICIPANT_STATUS.name(), statuses,
          record -> sequenceOf(record.key(), record.value().getEventCount()), true);
      status.requireAlive();

      double plainP50 = millis(Timing.percentile(plain.nanos(), 0.50));
      double plainP99 = millis(Timing.percentile(plain.nanos(), 0.99));
      double statusP50 = millis(Timing.percentile(viaStatus.nanos(), 0.50));
      double statusP99 = millis(Timing.percentile(viaStatus.nanos(), 0.99));
      double limit = TARGET_FLOOR_MULTIPLE * plainP99 + ChildJvm.COMMIT_INTERVAL.toMillis();
      String label = String.format("acknowledged event → status record, %,d events/s", eventsPerSecond);
      String floor = " (plain produce → consume)" + plain.unseenNote();
      String coldLabel = String.format("the same, in the first %d s after the service started, p99 / worst",
          WARM_UP.toSeconds());
      String cold = Row.millis(millis(Timing.percentile(viaStatus.warmUpNanos(), 0.99))) + " / "
          + Row.millis(millis(Timing.percentile(viaStatus.warmUpNanos(), 1.0)));
      return List.of(
          new Row(label + ", p50", Row.millis(statusP50), Row.millis(plainP50) + floor, Row.number(statusP50 / plainP50),
              Row.NONE, Row.Verdict.NONE),
          new Row(label + ", p99", Row.millis(statusP99) + viaStatus.unseenNote(), Row.millis(plainP99) + floor,
              Row.number(statusP99 / plainP99), "≤ 3 × plain p99 + commit interval = " + Row.millis(limit),
              Row.Verdict.of(statusP99 <= limit)),
          new Row(coldLabel, cold, Row.NONE, Row.NONE, Row.NONE, Row.Verdict.NONE));
    }
  }

  /**
   * Per event after the warm-up, nanoseconds until it was seen; the same for the warm-up's events;
   * {@code unseen} of them all were not seen before the drain time ran out.
   */
  private record Latencies(long[] nanos, long[] warmUpNanos, int unseen) {
    String unseenNote() {
      return unseen == 0 ? "" : String.format(" (%,d not seen within %d s after the last send)", unseen, DRAIN.toSeconds());
    }
  }

  /**
   * Sends the histories' first {@code rate × duration} events at the rate and returns, per event
   * after the warm-up, nanoseconds from its ack (or its send, for the floor) to its record on
   * {@code watchedTopic}; an event never seen counts as seen at the end of the drain time.
   */
  private <V> Latencies latencies(BenchBroker broker, SyntheticHistories histories, String sendTopic, String watchedTopic,
      Deserializer<V> values, ToIntFunction<ConsumerRecord<String, V>> sequenceOf, boolean fromAck) {
    int events = (int) Math.min(histories.size(), eventsPerSecond * (WARM_UP.toSeconds() + duration.toSeconds()));
    AtomicLongArray sentAt = new AtomicLongArray(events);
    AtomicLongArray ackedAt = new AtomicLongArray(events);
    AtomicLongArray seenAt = new AtomicLongArray(events);
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, Object> consumerConfig = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), values);
         KafkaProducer<String, FollowUpEvent> producer = producer(broker)) {
      consumer.assign(broker.partitions(watchedTopic));
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position); // resolves the seek now, before anything is sent
      Thread watcher = new Thread(() -> {
        while (!stop.get()) {
          for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(10))) {
            long now = System.nanoTime();
            int sequence = sequenceOf.applyAsInt(record);
            if (sequence >= 0 && sequence < events) {
              seenAt.compareAndSet(sequence, 0, now);
            }
          }
        }
      }, "bench-latency-watcher");
      watcher.start();

      long interval = 1_000_000_000L / eventsPerSecond;
      long start = System.nanoTime();
      for (int n = 0; n < events; n++) {
        long due = start + n * interval;
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(due - System.nanoTime());
        }
        FollowUpEvent event = histories.event(n);
        ProducerRecord<String, FollowUpEvent> record = new ProducerRecord<>(sendTopic, event.getParticipantId(), event);
        record.headers().add(SEQUENCE_HEADER, ByteBuffer.allocate(Integer.BYTES).putInt(n).array());
        int sequence = n;
        sentAt.set(sequence, System.nanoTime());
        producer.send(record, (metadata, failure) -> {
          if (failure == null) {
            ackedAt.set(sequence, System.nanoTime());
          }
        });
      }
      producer.flush();
      long drainUntil = System.nanoTime() + DRAIN.toNanos();
      while (!allSeen(seenAt) && System.nanoTime() < drainUntil) {
        Timing.pause(Duration.ofMillis(50));
      }
      stop.set(true);
      join(watcher);

      int warmUp = (int) Math.min(events - 1, eventsPerSecond * WARM_UP.toSeconds());
      long[] all = new long[events];
      int unseen = 0;
      for (int n = 0; n < events; n++) {
        long from = fromAck ? ackedAt.get(n) : sentAt.get(n);
        long seen = seenAt.get(n);
        if (seen == 0 || from == 0) {
          unseen++;
          seen = drainUntil;
        }
        all[n] = seen - from;
      }
      long[] result = Arrays.copyOfRange(all, warmUp, events);
      long[] warmUpResult = Arrays.copyOfRange(all, 0, Math.max(1, warmUp));
      return new Latencies(result, warmUpResult, unseen);
    }
  }

  private static KafkaProducer<String, FollowUpEvent> producer(BenchBroker broker) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        "schema.registry.url", broker.registryUrl());
    SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>();
    values.configure(config, false);
    return new KafkaProducer<>(config, new StringSerializer(), values);
  }

  /** The event a status record answers: the participant's eventCount-th, in the histories' round-robin order. */
  private static int sequenceOf(String participantId, int eventCount) {
    int participant = Integer.parseInt(participantId.substring(participantId.lastIndexOf('-') + 1));
    return (eventCount - 1) * PARTICIPANTS + participant;
  }

  private static int sequenceHeader(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(SEQUENCE_HEADER);
    return header == null ? -1 : ByteBuffer.wrap(header.value()).getInt();
  }

  private static boolean allSeen(AtomicLongArray seenAt) {
    for (int n = 0; n < seenAt.length(); n++) {
      if (seenAt.get(n) == 0) {
        return false;
      }
    }
    return true;
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
