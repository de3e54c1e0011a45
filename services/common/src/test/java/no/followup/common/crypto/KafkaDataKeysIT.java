package no.followup.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.SealedPayload;
import no.followup.events.StaffRole;
import no.followup.keys.ParticipantDataKey;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data keys on a real broker: issued by one instance, found by another, shredded by erasure. */
class KafkaDataKeysIT {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static KafkaConnection kafka;
  static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://data-keys-it");
  static final Aead MASTER = MasterKey.parse(MasterKey.generate());

  @BeforeAll
  static void start() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    kafka = KafkaConnection.plaintext(broker.bootstrapServers());
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      new TopicProvisioner(3, (short) 1).ensure(admin, List.of(Topics.PARTICIPANT_KEYS));
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  static FollowUpEvent scores(String participantId) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID()).setParticipantId(participantId).setOfficeId("3421")
        .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId("s-12").build())
        .setOccurredAt(Instant.now()).setRecordedAt(Instant.now()).setCohortId(null)
        .setPayload(FunctionScoreRecorded.newBuilder().setPhysicalFitness(4).setFeelings(5).setDailyActivities(3)
            .setSocialActivities(4).setChangeInHealth(3).setOverallHealth(4).setPain(5).build())
        .build();
  }

  @Test
  void aConsumerFindsTheKeyOfAnEventSealedByTheIntakeAndNothingOnceErased() {
    String participant = "p-" + UUID.randomUUID();
    try (KafkaDataKeys intake = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC());
        KafkaDataKeys status = KafkaDataKeys.reader(kafka, SERDE, MASTER)) {
      EventSealer intakeSealer = new EventSealer(intake);
      FollowUpEvent plain = scores(participant);
      FollowUpEvent sealed = intakeSealer.seal(plain);
      assertThat(intakeSealer.seal(scores(participant)).getPayload())
          .extracting(p -> ((SealedPayload) p).getKeyId()).as("one key per participant")
          .isEqualTo(((SealedPayload) sealed.getPayload()).getKeyId());

      assertThat(new EventSealer(status).unseal(sealed)).isEqualTo(plain);

      intake.erase(participant);
      try (KafkaDataKeys replay = KafkaDataKeys.reader(kafka, SERDE, MASTER)) {
        EventSealer replaySealer = new EventSealer(replay);
        assertThat(replaySealer.unseal(sealed).getPayload()).isInstanceOf(SealedPayload.class);
        assertThat(replaySealer.ofErased()).isEqualTo(1);
      }
      // an event arriving after the erasure is sealed with a key nobody keeps
      FollowUpEvent late = intakeSealer.seal(scores(participant));
      try (KafkaDataKeys replay = KafkaDataKeys.reader(kafka, SERDE, MASTER)) {
        assertThat(new EventSealer(replay).unseal(late).getPayload()).isInstanceOf(SealedPayload.class);
      }
    }
  }

  /** A consumer given the wrong master key sends the events to dead letters, rather than reading them as erased. */
  @Test
  void aConsumerWithAnotherMasterKeyFailsOnTheSealedPayloadInsteadOfTakingItForErased() {
    String participant = "p-" + UUID.randomUUID();
    try (KafkaDataKeys intake = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC());
        KafkaDataKeys misconfigured = KafkaDataKeys.reader(kafka, SERDE, MasterKey.parse(MasterKey.generate()))) {
      FollowUpEvent sealed = new EventSealer(intake).seal(scores(participant));

      EventSealer wrongKey = new EventSealer(misconfigured);
      assertThatThrownBy(() -> wrongKey.unseal(sealed)).isInstanceOf(UnopenablePayloadException.class)
          .hasMessageContaining("another master key").hasMessageNotContaining(participant);
      assertThat(wrongKey.ofErased()).isZero();
    }
  }

  @Test
  void anIntakeRestartedAfterAnErasureIssuesNoNewKey() {
    String participant = "p-" + UUID.randomUUID();
    try (KafkaDataKeys first = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC())) {
      first.keyFor(participant);
      first.erase(participant);
    }
    try (KafkaDataKeys restarted = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC());
        KafkaDataKeys reader = KafkaDataKeys.reader(kafka, SERDE, MASTER)) {
      DataKeys.IssuedKey key = restarted.keyFor(participant);
      assertThat(key.keyId()).isEqualTo("discarded");
      assertThat(reader.find(participant, key.keyId())).isEmpty();
    }
  }

  @Test
  void anErasureByOneIntakeIsSeenByAnother() {
    String erasedHere = "p-" + UUID.randomUUID();
    String keyedElsewhere = "p-" + UUID.randomUUID();
    String neverSeen = "p-" + UUID.randomUUID();
    try (KafkaDataKeys first = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC());
        KafkaDataKeys second = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC())) {
      first.keyFor(erasedHere);
      second.keyFor(erasedHere);
      second.keyFor(keyedElsewhere);
      assertThat(second.erasedAmong(List.of(erasedHere, keyedElsewhere, neverSeen))).isEmpty();

      first.erase(erasedHere);
      assertThat(first.erasedAmong(List.of(erasedHere, keyedElsewhere))).containsExactly(erasedHere);
      // the second instance still holds a key of the participant: it reads the topic again once what it read is old
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(second.erasedAmong(List.of(erasedHere, keyedElsewhere, neverSeen))).containsExactly(erasedHere));
    }
  }

  /** An erasure that wrote its marker and then failed, asked again, still deletes the keys. */
  @Test
  void anErasureInterruptedAfterItsMarkerDeletesTheKeysWhenAskedAgain() throws Exception {
    String participant = "p-" + UUID.randomUUID().toString().substring(0, 8);
    String keyId;
    try (KafkaDataKeys intake = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC())) {
      keyId = intake.keyFor(participant).keyId();
    }
    // the marker alone, as an erasure leaves it when the intake stops before its tombstones
    try (var producer = new KafkaProducer<String, byte[]>(kafka.clientConfig(Map.of()),
        new StringSerializer(),
        new ByteArraySerializer());
        var serializer = new SpecificAvroSerializer<ParticipantDataKey>()) {
      serializer.configure(SERDE, false);
      ParticipantDataKey marker = ParticipantDataKey.newBuilder().setParticipantId(participant).setKeyId("erased")
          .setWrappedKeyset(null).setErasedAt(Instant.now()).build();
      producer.send(new ProducerRecord<>(Topics.PARTICIPANT_KEYS.name(),
          participant + "|erased", serializer.serialize(Topics.PARTICIPANT_KEYS.name(), marker))).get();
    }

    try (KafkaDataKeys again = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC())) {
      assertThat(again.find(participant, keyId)).as("no key opens anything once the marker is there").isEmpty();
      again.erase(participant);
    }

    assertThat(latestValues(Topics.PARTICIPANT_KEYS.name())).containsEntry(participant + "|" + keyId, Optional.empty());
  }

  /** The latest value of every key on the topic, read from its start; empty for a tombstone. */
  private static Map<String, Optional<byte[]>> latestValues(String topic) {
    Map<String, Optional<byte[]>> latest = new HashMap<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(kafka.clientConfig(Map.of(
        "isolation.level", "read_committed")), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> latest.put(record.key(), Optional.ofNullable(record.value())));
      }
    }
    return latest;
  }

  @Test
  void aKeyWrappedWithAnotherMasterKeyOpensNothing() {
    String participant = "p-" + UUID.randomUUID();
    try (KafkaDataKeys intake = KafkaDataKeys.issuer(kafka, SERDE, MASTER, Clock.systemUTC());
        KafkaDataKeys stranger = KafkaDataKeys.reader(kafka, SERDE, MasterKey.parse(MasterKey.generate()))) {
      String keyId = intake.keyFor(participant).keyId();
      assertThat(stranger.find(participant, keyId)).isEmpty();
    }
  }
}
