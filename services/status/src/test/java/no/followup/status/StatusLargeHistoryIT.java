package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.TargetGroup;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.status.rules.StatusRules;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status engine's bounds against a real broker: a participant with 10,000 events (some late,
 * some twice, the enrolment last) and one whose events are all as large as the intake accepts are
 * folded without an error, every value the application writes stays small, and another
 * participant's status arrives within seconds while they are being worked through.
 */
class StatusLargeHistoryIT {

  private static final String APPLICATION_ID = "status-large-it";
  /** Far below the broker's 1 MB record limit, far above what one participant's state needs. */
  private static final int MAX_VALUE_BYTES = 64 * 1024;

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("broker")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
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

  @Test
  void tenThousandEventsAndTheLargestEventsAreFoldedWhileOtherParticipantsKeepFlowing() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String bootstrap = broker.bootstrapServers();
    String longHistory = "p-long-history";
    String largest = LargeHistories.longestId("p-largest", 0);
    List<FollowUpEvent> longEvents = LargeHistories.longHistory(longHistory, 10_000, now, new Random(10_000));
    List<FollowUpEvent> largestEvents = LargeHistories.largestEvents(largest, 2_000, now);
    StatusConfig cfg = ItSupport.config(bootstrap, registry.url(), APPLICATION_ID, dir.resolve("state"));

    // a moving clock: Kafka Streams times its commits with the application's clock
    try (StatusApp app = StatusApp.start(cfg, Clock.systemUTC());
         KafkaConsumer<String, ParticipantStatus> statuses = ItSupport.consumer(bootstrap, registry.url(),
             Topics.PARTICIPANT_STATUS.name(), ParticipantStatus.class)) {
      String other = participantOnAnotherPartitionThan(List.of(longHistory, largest),
          statuses.partitionsFor(Topics.EVENTS.name()).size());
      List<FollowUpEvent> both = new ArrayList<>(longEvents);
      both.addAll(largestEvents);
      ItSupport.publish(bootstrap, registry.url(), both);

      // while those are worked through, another participant's enrolment comes and goes through
      Instant sent = Instant.now();
      ItSupport.publish(bootstrap, registry.url(), List.of(LargeHistories.event(other, "3421", "optimist", "s-c9", now,
          new ParticipantEnrolled(List.of(TargetGroup.OTHER), "s-c9", null))));
      Map<String, ParticipantStatus> latest = new HashMap<>();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
        ItSupport.pollInto(statuses, latest);
        return latest.containsKey(other);
      });
      Duration otherTook = Duration.between(sent, Instant.now());

      ParticipantStatus expectedLong = StatusRules.fold(longHistory, longEvents);
      ParticipantStatus expectedLargest = StatusRules.fold(largest, largestEvents);
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        ItSupport.pollInto(statuses, latest);
        assertThat(TestEvents.content(latest.get(longHistory))).isEqualTo(TestEvents.content(expectedLong));
        assertThat(TestEvents.content(latest.get(largest))).isEqualTo(TestEvents.content(expectedLargest));
      });
      assertThat(otherTook).as("the other participant's status took %s", otherTook).isLessThan(Duration.ofSeconds(10));
      assertThat(expectedLong.getEventCount()).isEqualTo(10_000);
      assertThat(expectedLong.getEnrolled()).isTrue();
      assertThat(expectedLargest.getMeetings()).hasSize(StatusRules.MAX_LISTED_MEETINGS);
      assertThat(expectedLargest.getTargetGroups()).hasSize(TargetGroup.values().length);

      assertThat(app.streamsState()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(ItSupport.getJson(app.port(), "/api/v1/participants/" + largest).get("participantId").asText())
          .isEqualTo(largest);
      assertThat(keysOf(Topics.DEAD_LETTER.name())).doesNotContain(longHistory, largest, other);
      assertEveryValueIsSmall(bootstrap);
    }
  }

  /** Every record of the application's changelogs and of the status topic is far below the record limit. */
  private static void assertEveryValueIsSmall(String bootstrap) throws Exception {
    List<String> topics = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      for (String topic : admin.listTopics().names().get()) {
        if (topic.startsWith(APPLICATION_ID + "-") && topic.endsWith("-changelog")) {
          topics.add(topic);
        }
      }
    }
    assertThat(topics).contains(APPLICATION_ID + "-status-events-changelog", APPLICATION_ID + "-status-fold-changelog",
        APPLICATION_ID + "-status-fold-snapshots-changelog");
    topics.add(Topics.PARTICIPANT_STATUS.name());
    Map<String, Integer> largest = new HashMap<>();
    for (String topic : topics) {
      for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
        largest.merge(topic, r.value() == null ? 0 : r.value().length, Math::max);
      }
    }
    assertThat(largest).allSatisfy((topic, size) -> assertThat(size).as(topic).isLessThan(MAX_VALUE_BYTES));
  }

  private static List<String> keysOf(String topic) {
    List<String> keys = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(broker.bootstrapServers(), topic)) {
      keys.add(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
    }
    return keys;
  }

  /** Every committed record of {@code topic}, read to the end offsets of when it was called. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrap, "group.id", "it-" + UUID.randomUUID(), "isolation.level", "read_committed",
        "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
      return records;
    }
  }

  /**
   * A participant id whose events go to a partition none of {@code busy} use, when there is one
   * (then it waits behind none of their events), else to another than the first's.
   */
  private static String participantOnAnotherPartitionThan(List<String> busy, int partitions) {
    Set<Integer> taken = new HashSet<>();
    busy.forEach(id -> taken.add(partition(id, partitions)));
    if (taken.size() == partitions) {
      taken.retainAll(Set.of(partition(busy.get(0), partitions)));
    }
    for (int i = 0; ; i++) {
      String candidate = "p-other-" + i;
      if (!taken.contains(partition(candidate, partitions))) {
        return candidate;
      }
    }
  }

  /** The partition the producer's default partitioner picks for a key. */
  private static int partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
