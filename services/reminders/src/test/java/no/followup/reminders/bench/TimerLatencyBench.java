package no.followup.reminders.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import no.followup.common.Topics;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.StaffRole;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.reminders.QuietHours;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderRules;
import no.followup.reminders.RemindersApp;
import no.followup.reminders.RemindersConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures timer lag against a real broker: schedules N meetings (default 200) whose reminders fall
 * due over the next ~20 s, then reports how late they came out: as the punctuator saw it (the
 * Micrometer timer) and as a read_committed consumer sees it (includes the exactly-once commit).
 *
 * <pre>
 * ./mvnw -q -pl services/reminders test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec -Dexec.classpathScope=test \
 *   -Dexec.executable=java -Dexec.args="-Xmx512m -cp %classpath no.followup.reminders.bench.TimerLatencyBench 200"
 * </pre>
 */
public final class TimerLatencyBench {

  public static void main(String[] args) throws Exception {
    int meetings = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("reminders-bench");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
        LocalSchemaRegistry registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0)) {
      RemindersConfig config = RemindersConfig.defaults(broker.bootstrapServers(), registry.url(), dir.resolve("state"))
          .withApplicationId("followup-reminders-bench")
          .withRules(ReminderRules.defaults().withLeadTime(Duration.ofMinutes(1)).withQuietHours(QuietHours.none(ReminderRules.OSLO)));
      try (RemindersApp app = RemindersApp.start(config)) {
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        List<Long> consumerLag = new ArrayList<>();
        Instant base = Instant.now().plusSeconds(5);
        produce(broker.bootstrapServers(), registry.url(), meetings, base);
        Map<String, Object> consumerConfig = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            "schema.registry.url", registry.url());
        SpecificAvroDeserializer<Reminder> deserializer = new SpecificAvroDeserializer<>(Reminder.class);
        deserializer.configure(consumerConfig, false);
        Instant deadline = base.plusSeconds(20 + 60);
        try (KafkaConsumer<String, Reminder> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), deserializer)) {
          consumer.subscribe(List.of(Topics.REMINDERS.name()));
          while (seenAt.size() < meetings && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, Reminder> r : consumer.poll(Duration.ofMillis(50))) {
              long now = System.currentTimeMillis();
              if (seenAt.putIfAbsent(r.value().getReminderId().toString(), now) == null) {
                consumerLag.add(now - r.value().getDueAt().toEpochMilli());
              }
            }
          }
        }
        consumerLag.sort(Long::compare);
        System.out.printf("meetings=%d received=%d%n", meetings, seenAt.size());
        System.out.printf("punctuator lag (Micrometer %s): %s%n", "followup.reminders.timer.lag", app.metrics().timerLagSummary());
        System.out.printf("read_committed consumer lag ms: p50=%d p99=%d max=%d%n",
            pct(consumerLag, 0.50), pct(consumerLag, 0.99), consumerLag.isEmpty() ? -1 : consumerLag.get(consumerLag.size() - 1));
      }
    }
  }

  private static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Meetings one minute plus 0-20 s ahead, so with a lead time of one minute the reminders fall due over 20 s. */
  private static void produce(String bootstrap, String registryUrl, int meetings, Instant base) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        "schema.registry.url", registryUrl);
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      for (int i = 0; i < meetings; i++) {
        String participantId = "bench-" + i;
        Instant startsAt = base.plus(Duration.ofMinutes(1)).plusMillis(i * 20_000L / meetings);
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), participantId, FollowUpEvent.newBuilder()
            .setEventId(UUID.randomUUID())
            .setParticipantId(participantId)
            .setOfficeId("0403")
            .setActor(Actor.newBuilder().setRole(StaffRole.SYSTEM).setStaffId("bench").build())
            .setOccurredAt(Instant.now())
            .setRecordedAt(Instant.now())
            .setCohortId(null)
            .setPayload(MeetingScheduled.newBuilder().setMeetingId("m-" + i).setStartsAt(startsAt).setKind(MeetingKind.OFFICE).build())
            .build()));
      }
      producer.flush();
    }
  }
}
