package no.followup.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingScheduled;
import no.followup.events.StaffRole;
import no.followup.intake.privacy.Findings;
import no.followup.intake.privacy.PrivacyScan;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.reminders.DeliveryLedgerEntry;
import no.followup.reminders.LedgerState;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure through the whole pipeline on a real broker: a participant with scores, a benefit,
 * meetings, a task, an SMS and its receipt is erased; the intake refuses events for them afterwards,
 * those written to the events topic past it produce nothing; and {@code followup privacy-scan} then
 * finds nothing readable or live of them anywhere.
 */
class ErasureEndToEndIT {

  @TempDir Path dataDir;

  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final String OFFICE = "3421";
  private static final String COORDINATOR = "s-7a1c30";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
  private final String participant = "p-e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private LocalStack stack;
  private Clock clock;

  @Test
  void anErasedParticipantLeavesNothingReadableOrLiveAndIsNotBroughtBack() throws Exception {
    Path delivery = dataDir.resolve("delivery");
    Files.createDirectories(delivery);
    Files.writeString(delivery.resolve("contacts.csv"), "# participantId;phone;language;optedOut\n" + participant + ";+4790000001;nb;false\n");
    clock = LocalStack.clockAt(LocalTime.NOON, Clock.systemUTC()); // SMS are held back in quiet hours
    LocalStack.Settings settings = new LocalStack.Settings(dataDir, false, false, 0, 0, 1, 0, 0, 0, 0, 0, 0, clock);
    try (LocalStack started = LocalStack.start(settings)) {
      stack = started;
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

      post("ParticipantEnrolled", "{\"targetGroups\": [\"DIFFUSE_HEALTH_COMPLAINTS\"], \"coordinatorId\": \"" + COORDINATOR + "\"}",
          now.minus(Duration.ofDays(2)));
      post("FunctionScoreRecorded", scores(4), now.minus(Duration.ofDays(2)));
      post("FunctionScoreRecorded", scores(2), now.minus(Duration.ofMinutes(5)));
      post("BenefitGranted", "{\"benefit\": \"AAP\"}", now.minus(Duration.ofMinutes(4)));
      post("MeetingScheduled", meeting("m-past", now.minus(Duration.ofHours(3))), now.minus(Duration.ofDays(1)));
      post("MeetingMissed", "{\"meetingId\": \"m-past\"}", now.minus(Duration.ofMinutes(3)));
      post("MeetingScheduled", meeting("m-soon", now.plus(Duration.ofHours(20))), now.minus(Duration.ofMinutes(2)));

      // everything derived is there: status with scores, a task on the dashboard, an SMS with its ledger entry
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(get(stack.statusUrl() + "/api/v1/participants/" + participant).body()).contains("\"scoreCount\":2");
        assertThat(get(stack.dashboardUrl() + "/api/v1/tasks?state=all").body()).contains(participant);
        assertThat(ledgerStatesOf(participant)).contains(LedgerState.SENT);
      });
      assertThat(scan().findings()).as("the scan finds a participant who is there").isNotEmpty();

      post("ParticipantErased", "{}", now);
      long erasedAtOffsets = reminderRecordsOf(participant).size();
      // the intake records nothing more for them
      assertThat(send("FunctionScoreRecorded", scores(5), clock.instant()).statusCode()).isEqualTo(409);
      assertThat(send("MeetingScheduled", meeting("m-refused", clock.instant().plus(Duration.ofHours(20))), clock.instant())
          .statusCode()).isEqualTo(409);
      // and what reaches the events topic another way (a producer with access, an old backup played back) derives
      // nothing: the sequence that once brought an erased participant back
      writeToEventsTopic(new MeetingScheduled("m-after", clock.instant().plus(Duration.ofHours(20)), MeetingKind.OFFICE));
      writeToEventsTopic(new MeetingScheduled("m-after-past", clock.instant().minus(Duration.ofHours(3)), MeetingKind.OFFICE));
      writeToEventsTopic(new MeetingMissed("m-after-past"));

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(send(HttpRequest.newBuilder(URI.create(stack.statusUrl() + "/api/v1/participants/" + participant)))
            .statusCode()).isEqualTo(404);
        Findings findings = scan();
        assertThat(findings.findings()).as("what remains of the participant").isEmpty();
      });
      // nothing new for them: after the erasure the reminders topic holds ERASED records only
      List<Reminder> reminders = reminderRecordsOf(participant);
      assertThat(reminders.subList((int) Math.min(erasedAtOffsets, reminders.size()), reminders.size()))
          .allMatch(r -> r.getStatus() == ReminderStatus.ERASED);
      assertThat(reminders).filteredOn(r -> r.getStatus() == ReminderStatus.DUE)
          .extracting(Reminder::getMeetingId).doesNotContain("m-after", "m-after-past");
      assertThat(Files.readString(delivery.resolve("contacts.csv"))).doesNotContain(participant);
    }
  }

  private Findings scan() {
    try {
      return new PrivacyScan(KafkaConnection.plaintext(bootstrap()), registryUrl(),
          Optional.of(Files.readString(dataDir.resolve("master-key.json"))), List.of(dataDir),
          URI.create(stack.dashboardUrl() + "/"), stack.token().value()).scan(participant);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The states of the participant's entries on delivery's ledger topic, as written (tombstones not applied). */
  private List<LedgerState> ledgerStatesOf(String participantId) {
    return recordsOf(Topics.DELIVERY_LEDGER.name(), DeliveryLedgerEntry.class,
        entry -> participantId.equals(entry.getParticipantId())).stream().map(DeliveryLedgerEntry::getState).toList();
  }

  private List<Reminder> reminderRecordsOf(String participantId) {
    return recordsOf(Topics.REMINDERS.name(), Reminder.class, reminder -> participantId.equals(reminder.getParticipantId()));
  }

  /** Every committed value on {@code topic} that {@code wanted} accepts, from the beginning to the current end; tombstones left out. */
  private <T extends org.apache.avro.specific.SpecificRecord> List<T> recordsOf(String topic, Class<T> type,
      java.util.function.Predicate<T> wanted) {
    List<T> out = new ArrayList<>();
    try (SpecificAvroDeserializer<T> values = new SpecificAvroDeserializer<>(type);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      values.configure(Map.of("schema.registry.url", registryUrl()), false);
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          T value = record.value() == null ? null : values.deserialize(record.topic(), record.value());
          if (value != null && wanted.test(value)) {
            out.add(value);
          }
        }
      }
    }
    return out;
  }

  private String bootstrap() {
    return stack.bootstrapServers();
  }

  private String registryUrl() {
    return stack.schemaRegistryUrl();
  }

  private static String scores(int each) {
    return "{\"physicalFitness\": %1$d, \"feelings\": %1$d, \"dailyActivities\": %1$d, \"socialActivities\": %1$d, "
        .formatted(each) + "\"changeInHealth\": %1$d, \"overallHealth\": %1$d, \"pain\": %1$d}".formatted(each);
  }

  private static String meeting(String meetingId, Instant startsAt) {
    return "{\"meetingId\": \"%s\", \"startsAt\": \"%s\", \"kind\": \"OFFICE\"}".formatted(meetingId, startsAt.truncatedTo(ChronoUnit.SECONDS));
  }

  private void post(String type, String payload, Instant occurredAt) throws Exception {
    HttpResponse<String> response = send(type, payload, occurredAt);
    assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(202);
  }

  /** Sends an event of the participant to the intake. */
  private HttpResponse<String> send(String type, String payload, Instant occurredAt) throws Exception {
    String event = """
        {"eventId": "%s", "participantId": "%s", "officeId": "%s",
         "actor": {"role": "ACTIVITY_COORDINATOR", "staffId": "%s"}, "occurredAt": "%s",
         "cohortId": "erasure-e2e", "type": "%s", "payload": %s}"""
        .formatted(UUID.randomUUID(), participant, OFFICE, COORDINATOR, occurredAt.truncatedTo(ChronoUnit.SECONDS), type, payload);
    return send(HttpRequest.newBuilder(URI.create(stack.intakeUrl() + "/api/v1/events"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)));
  }

  /** Writes an event of the participant straight to the events topic, past the intake, occurring now. */
  private void writeToEventsTopic(Object payload) throws Exception {
    Instant now = clock.instant();
    FollowUpEvent event = FollowUpEvent.newBuilder().setEventId(UUID.randomUUID()).setParticipantId(participant)
        .setOfficeId(OFFICE).setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, COORDINATOR))
        .setOccurredAt(now).setRecordedAt(now).setCohortId("erasure-e2e").setPayload(payload).build();
    try (SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), new ByteArraySerializer())) {
      values.configure(Map.of("schema.registry.url", registryUrl()), false);
      producer.send(new ProducerRecord<>(Topics.EVENTS.name(), participant, values.serialize(Topics.EVENTS.name(), event)))
          .get(HTTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)));
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    request.header("Authorization", "Bearer " + stack.token().value());
    return http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }
}
