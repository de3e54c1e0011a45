package no.followup.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.PoisonRecords;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.reminders.Audience;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the pipeline must show after a chaos run, recomputed from what the load was acknowledged,
 * and what it does show: the office's tally from the status API, the reminders topic, the SMS
 * outbox and the dead-letter topic (all read as a read_committed consumer would).
 */
final class ChaosVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final String registryUrl;
  private final LocalToken token;
  private final String runId;
  private final List<Path> outboxes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Each poison record written, as "topic/partition/offset", to the consumers expected to dead-letter it. */
  private final Map<String, Integer> poisonPointersExpected = new LinkedHashMap<>();

  /** @param outboxes the SMS outbox of every delivery instance */
  ChaosVerifier(String bootstrap, String registryUrl, LocalToken token, String runId, List<Path> outboxes) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.token = token;
    this.runId = runId;
    this.outboxes = List.copyOf(outboxes);
  }

  /** Every kind of poison onto the events topic (read by status and reminders) and the reminders topic (read by delivery). */
  void writePoison(Random random) throws ExecutionException, InterruptedException {
    Map<String, Object> serde = Map.of("schema.registry.url", registryUrl, "auto.register.schemas", false);
    byte[] event;
    byte[] reminder;
    try (SpecificAvroSerializer<FollowUpEvent> events = new SpecificAvroSerializer<>();
        SpecificAvroSerializer<Reminder> reminders = new SpecificAvroSerializer<>()) {
      events.configure(serde, false);
      reminders.configure(serde, false);
      event = events.serialize(Topics.EVENTS.name(), templateEvent());
      reminder = reminders.serialize(Topics.REMINDERS.name(), templateReminder());
    }
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      write(producer, Topics.EVENTS.name(), PoisonRecords.of(event, reminder, random), 2);
      write(producer, Topics.REMINDERS.name(), PoisonRecords.of(reminder, event, random), 1);
    }
  }

  private void write(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, byte[]> poison, int consumers)
      throws ExecutionException, InterruptedException {
    for (Map.Entry<String, byte[]> kind : poison.entrySet()) {
      byte[] key = ("poison-" + kind.getKey().replace(' ', '-')).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      RecordMetadata written = producer.send(new ProducerRecord<>(topic, key, kind.getValue())).get();
      poisonPointersExpected.put(topic + "/" + written.partition() + "/" + written.offset(), consumers);
    }
  }

  /**
   * After the poison: an ordinary participant's events, timed until both consumers of the events
   * topic have handled them (a status on the status API, a reminder on the reminders topic). Null
   * when that takes longer than {@code limit}.
   */
  Duration probeAfterPoison(ChaosLoad load, int statusPort, Duration limit) {
    long start = System.nanoTime();
    String participant = load.sendProbe();
    long end = start + limit.toNanos();
    while (System.nanoTime() < end) {
      if (statusShows(statusPort, participant) && reminderFor(participant)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      ServiceProcess.pause(Duration.ofMillis(100));
    }
    return null;
  }

  private boolean statusShows(int statusPort, String participant) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/api/v1/participants/" + participant))
          .header("Authorization", "Bearer " + token.value())
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean reminderFor(String participant) {
    try (SpecificAvroDeserializer<Reminder> decoder = new SpecificAvroDeserializer<>(Reminder.class)) {
      decoder.configure(Map.of("schema.registry.url", registryUrl), false);
      for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.REMINDERS.name())) {
        try {
          Reminder reminder = record.value() == null ? null : decoder.deserialize(record.topic(), record.value());
          if (reminder != null && reminder.getParticipantId().equals(participant)) {
            return true;
          }
        } catch (RuntimeException poison) {
          // the records this run poisoned the topic with
        }
      }
    }
    return false;
  }

  /** Writes the first {@code count} events of this run a second time, byte for byte; returns how many. */
  int duplicateSomeEvents(int count) throws ExecutionException, InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> ours = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.EVENTS.name())) {
      if (record.key() != null && new String(record.key(), java.nio.charset.StandardCharsets.UTF_8).startsWith("c-" + runId)
          && ours.size() < count) {
        ours.add(record);
      }
    }
    try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
      for (ConsumerRecord<byte[], byte[]> record : ours) {
        producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())).get();
      }
    }
    return ours.size();
  }

  /**
   * Waits until the pipeline shows what the load expects (or the deadline passes), then measures it;
   * {@code instances} is asked last, so that its findings cover the wait.
   */
  Result converge(ChaosLoad load, int participants, int cycles, int brokerRestarts, int duplicated, List<Duration> recoveries,
      Duration probe, int statusPort, Duration deadline, java.util.function.Supplier<MultiInstanceFindings> instances) {
    Map<String, Long> expected = expectedTally(participants);
    long end = System.nanoTime() + deadline.toNanos();
    long start = System.nanoTime();
    Observed observed = observe(statusPort);
    while (System.nanoTime() < end && !observed.settled(expected, participants)) {
      ServiceProcess.pause(Duration.ofSeconds(1));
      observed = observe(statusPort);
    }
    Duration settling = observed.settled(expected, participants) ? Duration.ofNanos(System.nanoTime() - start) : null;
    long lost = 0;
    long countedTwice = 0;
    for (Map.Entry<String, Long> figure : expected.entrySet()) {
      long counted = observed.tally().getOrDefault(figure.getKey(), 0L);
      lost += Math.max(0, figure.getValue() - counted);
      countedTwice += Math.max(0, counted - figure.getValue());
    }
    Map<String, Integer> pointers = deadLetterPointers();
    long poisonHandled = poisonPointersExpected.entrySet().stream()
        .filter(poison -> pointers.getOrDefault(poison.getKey(), 0).equals(poison.getValue())).count();
    return new Result(load.acknowledged(), load.resends(), duplicated, lost, countedTwice, participants,
        observed.remindersPerItem().size(), observed.remindersPerItem().values().stream().mapToInt(Integer::intValue).max().orElse(0),
        observed.smsPerItem().size(), observed.smsPerItem().values().stream().mapToInt(Integer::intValue).max().orElse(0),
        poisonPointersExpected.size(), poisonHandled, pointers.values().stream().mapToInt(Integer::intValue).sum(),
        cycles, brokerRestarts, recoveries.stream().max(Duration::compareTo).orElse(Duration.ZERO), settling, probe,
        instances.get());
  }

  static Map<String, Long> expectedTally(int participants) {
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("participants", (long) participants);
    for (int index = 0; index < participants; index++) {
      String situation = switch (ChaosLoad.outcomeOf(index)) {
        case JOB -> "JOB_OR_APPRENTICESHIP";
        case MEASURE -> "MEASURE_OR_ACTIVITY";
        case MOVED -> "MOVED";
      };
      expected.merge(situation, 1L, Long::sum);
    }
    return expected;
  }

  /** What the pipeline shows at one moment. */
  private record Observed(Map<String, Long> tally, Map<String, Integer> remindersPerItem, Map<String, Integer> smsPerItem) {
    boolean settled(Map<String, Long> expected, int participants) {
      return expected.equals(tally) && remindersPerItem.size() == participants && smsPerItem.size() == participants;
    }
  }

  private Observed observe(int statusPort) {
    Map<String, Integer> reminders = new HashMap<>();
    try (SpecificAvroDeserializer<Reminder> decoder = new SpecificAvroDeserializer<>(Reminder.class)) {
      decoder.configure(Map.of("schema.registry.url", registryUrl), false);
      for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.REMINDERS.name())) {
        Reminder reminder;
        try {
          reminder = record.value() == null ? null : decoder.deserialize(record.topic(), record.value());
        } catch (RuntimeException poison) {
          continue; // the records this run poisoned the topic with
        }
        if (reminder != null && reminder.getKind() == ReminderKind.MEETING_REMINDER && reminder.getStatus() == ReminderStatus.DUE
            && reminder.getParticipantId().startsWith("c-" + runId)) {
          reminders.merge(reminder.getReminderId().toString(), 1, Integer::sum);
        }
      }
    }
    // each delivery instance honours the idempotency key in its own outbox only: an SMS sent by both counts twice
    Map<String, Integer> sms = new HashMap<>();
    for (Path outbox : outboxes) {
      if (!Files.exists(outbox)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(outbox)) {
          String key = JSON.readTree(line).path("idempotencyKey").asText();
          if (reminders.containsKey(key)) {
            sms.merge(key, 1, Integer::sum);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Observed(tally(statusPort), reminders, sms);
  }

  private Map<String, Long> tally(int statusPort) {
    Map<String, Long> tally = new LinkedHashMap<>();
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + statusPort + "/api/v1/offices/" + ChaosLoad.OFFICE + "/tally"))
          .header("Authorization", "Bearer " + token.value())
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return tally;
      }
      JsonNode body = JSON.readTree(response.body());
      tally.put("participants", body.path("participants").asLong());
      body.path("bySituation").fields().forEachRemaining(entry -> {
        if (entry.getValue().asLong() != 0) {
          tally.put(entry.getKey(), entry.getValue().asLong());
        }
      });
    } catch (IOException e) {
      return tally;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return tally;
  }

  private Map<String, Integer> deadLetterPointers() {
    Map<String, Integer> pointers = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.DEAD_LETTER.name())) {
      try {
        JsonNode pointer = JSON.readTree(record.value());
        pointers.merge(pointer.path("sourceTopic").asText() + "/" + pointer.path("partition").asInt() + "/"
            + pointer.path("offset").asLong(), 1, Integer::sum);
      } catch (IOException notAPointer) {
        pointers.merge("unreadable", 1, Integer::sum);
      }
    }
    return pointers;
  }

  /** Every committed record of {@code topic}, from the beginning to the current end. */
  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  private KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.CLIENT_ID_CONFIG, "chaos-" + runId), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private FollowUpEvent templateEvent() {
    Instant now = Instant.now();
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId("poison-template")
        .setOfficeId(ChaosLoad.OFFICE)
        .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId(ChaosLoad.COORDINATOR).build())
        .setOccurredAt(now)
        .setRecordedAt(now)
        .setPayload(ParticipantEnrolled.newBuilder().setTargetGroups(List.of(TargetGroup.OTHER)).setCoordinatorId(ChaosLoad.COORDINATOR).build())
        .build();
  }

  private static Reminder templateReminder() {
    Instant now = Instant.now();
    return Reminder.newBuilder()
        .setReminderId(UUID.randomUUID())
        .setKind(ReminderKind.MEETING_REMINDER)
        .setAudience(Audience.PARTICIPANT)
        .setStatus(ReminderStatus.DUE)
        .setParticipantId("poison-template")
        .setOfficeId(ChaosLoad.OFFICE)
        .setCoordinatorId(null)
        .setMeetingId(null)
        .setMeetingStartsAt(null)
        .setMeetingKind(null)
        .setDueAt(now)
        .setCreatedAt(now)
        .build();
  }

  /**
   * How soon the next ordinary event after the poison records must be handled. What is tested is
   * that a poison record does not stop a consumer: a stopped one never handles it (the probe gives
   * up after 30 s). The time itself is the machine's: with two instances of every service, the
   * broker and the test sharing two cores during the parallel suite it was 8.7 to 10.9 s, and 5 s
   * when each service ran once.
   */
  static final Duration POISON_TO_NEXT_EVENT_LIMIT = Duration.ofSeconds(20);

  /** The figures of one chaos run; {@link #passed()} holds the suite's claims. */
  public record Result(long eventsAcknowledged, long clientResends, int duplicatesWritten, long lost, long countedTwice,
      int dueItems, int dueItemsWithReminder, int maxRemindersPerItem, int dueItemsWithSms, int maxSmsPerItem,
      int poisonRecords, long poisonRecordsDeadLettered, int deadLetters, int killCycles, int brokerRestarts,
      Duration slowestRecovery, Duration settledAfterLoad, Duration poisonToNextEventHandled, MultiInstanceFindings instances) {

    /**
     * 0 lost, 0 counted twice, exactly one reminder and one SMS per due item (over the outboxes of
     * both delivery instances: each honours the idempotency key only within its own), every poison
     * record dead-lettered by each of its
     * consumers, the next ordinary event after the poison handled by both within
     * {@link #POISON_TO_NEXT_EVENT_LIMIT}, and what
     * {@link MultiInstanceFindings#passed()} asks of the two instances of each service.
     */
    public boolean passed() {
      return lost == 0 && countedTwice == 0 && dueItemsWithReminder == dueItems && maxRemindersPerItem == 1
          && dueItemsWithSms == dueItems && maxSmsPerItem == 1 && poisonRecordsDeadLettered == poisonRecords
          && poisonToNextEventHandled != null && poisonToNextEventHandled.compareTo(POISON_TO_NEXT_EVENT_LIMIT) <= 0
          && instances.passed();
    }

    public String table() {
      List<String> rows = new ArrayList<>(List.of(
          "| chaos run | |",
          "|---|---|",
          "| kill -9 cycles (one instance of status, reminders, delivery and dashboard each time) | " + killCycles + " |",
          "| broker hard restarts | " + brokerRestarts + " |",
          "| events acknowledged by the intake | " + eventsAcknowledged + " |",
          "| events sent again by the client / written twice to the topic | " + clientResends + " / " + duplicatesWritten + " |",
          "| lost (expected figures not counted) | " + lost + " |",
          "| counted twice | " + countedTwice + " |",
          "| due items (meeting reminders) with a reminder | " + dueItemsWithReminder + " of " + dueItems + " |",
          "| most reminders for one due item | " + maxRemindersPerItem + " |",
          "| due items with an SMS | " + dueItemsWithSms + " of " + dueItems + " |",
          "| most SMS for one due item | " + maxSmsPerItem + " |",
          "| poison records (7 kinds x 2 topics) dead-lettered by every consumer | " + poisonRecordsDeadLettered + " of " + poisonRecords + " |",
          "| dead-letter pointers | " + deadLetters + " |",
          "| poison written to next ordinary event in status and reminders | "
              + (poisonToNextEventHandled == null ? "not within the limit" : poisonToNextEventHandled.toMillis() + " ms") + " |",
          "| slowest recovery (kill to all ready again) | " + slowestRecovery.toMillis() + " ms |",
          "| everything shown, after the load ended | " + (settledAfterLoad == null ? "not within the deadline" : settledAfterLoad.toMillis() + " ms") + " |"));
      rows.addAll(instances.tableRows());
      rows.add("| verdict | " + (passed() ? "PASSED" : "FAILED") + " |");
      return String.join("\n", rows);
    }
  }
}
