package no.followup.status.topology;

import static no.followup.status.TestEvents.score;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import no.followup.common.Topics;
import no.followup.common.crypto.EventSealer;
import no.followup.common.crypto.InMemoryDataKeys;
import no.followup.common.crypto.SealedEvents;
import no.followup.common.streams.StreamsDefaults;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.SealedPayload;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.TestEvents;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status reads sealed health payloads with their key, and replays them after erasure as absent: no error, no dead letter. */
class SealedEventsTopologyTest {

  @TempDir Path firstRun;
  @TempDir Path replay;

  final InMemoryDataKeys keys = new InMemoryDataKeys();
  final EventSealer sealer = new EventSealer(keys);
  final TestEvents p = new TestEvents("p-sealed", "3421", "optimist");

  /** The events as the intake writes them: enrolment and scores sealed, the meeting plain. */
  List<FollowUpEvent> history() {
    return List.of(
        sealer.seal(p.enrolled(0, "s-c1", TargetGroup.DIFFUSE_HEALTH_COMPLAINTS)),
        sealer.seal(p.at(1, score(28))),
        sealer.seal(p.at(60, score(14))),
        p.at(61, MeetingScheduled.newBuilder().setMeetingId("m-1").setStartsAt(TestEvents.day(70)).setKind(MeetingKind.OFFICE).build()));
  }

  @Test
  void sealedPayloadsAreReadWithTheKeyAndReplayedAsAbsentOnceItIsGone() {
    List<FollowUpEvent> history = history();
    assertThat(history.get(1).getPayload()).isInstanceOf(SealedPayload.class);

    try (Run run = new Run(firstRun)) {
      run.pipe(history);
      ParticipantStatus status = run.latest().get("p-sealed");
      assertThat(status.getEnrolled()).isTrue();
      assertThat(status.getTargetGroups()).containsExactly("DIFFUSE_HEALTH_COMPLAINTS");
      assertThat(status.getScoreCount()).isEqualTo(2);
      assertThat(run.deadLetters.readRecordsToList()).isEmpty();
    }

    keys.erase("p-sealed");
    try (Run run = new Run(replay)) {
      run.pipe(history); // a replay from scratch, the participant's keys gone (erasure itself not yet replayed)
      ParticipantStatus status = run.latest().get("p-sealed");
      assertThat(status.getPhase()).isEqualTo(Phase.AWAITING_ENROLMENT);
      assertThat(status.getScoreCount()).isZero();
      assertThat(status.getFirstScore()).isNull();
      assertThat(run.deadLetters.readRecordsToList()).as("unreadable is absent, not an error").isEmpty();
    }
  }

  @Test
  void rowsStaySealedAtRestAndAreUnsealedWhenALateEventFoldsThemAgain() {
    try (Run run = new Run(firstRun)) {
      run.pipe(history());
      KeyValueStore<Bytes, byte[]> rows = run.driver.getKeyValueStore(StatusTopology.EVENTS_STORE);
      List<FollowUpEvent> kept = EventRows.of(rows, "p-sealed", run.plain.deserializer());
      assertThat(kept).as("the rows as kept, read without the key").hasSize(4)
          .filteredOn(event -> event.getPayload() instanceof SealedPayload).hasSize(3);

      // occurred before the scores, recorded after them: the participant is folded again through the sealed rows
      run.pipe(List.of(p.at(30, MeetingScheduled.newBuilder().setMeetingId("m-0").setStartsAt(TestEvents.day(31))
          .setKind(MeetingKind.OFFICE).build())));
      ParticipantStatus status = run.latest().get("p-sealed");
      assertThat(status.getEventCount()).isEqualTo(5);
      assertThat(status.getEnrolled()).isTrue();
      assertThat(status.getScoreCount()).isEqualTo(2);
      assertThat(run.deadLetters.readRecordsToList()).isEmpty();
    }
  }

  /** One application instance over its own state directory. */
  final class Run implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, FollowUpEvent> events;
    final TestOutputTopic<String, ParticipantStatus> statuses;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final Map<String, ParticipantStatus> latest = new HashMap<>();
    final SpecificAvroSerde<FollowUpEvent> plain = new SpecificAvroSerde<>(FollowUpEvent.class);

    Run(Path stateDir) {
      Map<String, Object> serdeConfig = new HashMap<>(Map.of("schema.registry.url", "mock://status-sealed-test"));
      serdeConfig.put(SealedEvents.SEALER_CONFIG, sealer);
      var topology = StatusTopology.build(new StatusTopology.Options(ZoneId.of("Europe/Oslo"), Duration.ofMinutes(10),
          java.time.Clock.fixed(TestEvents.day(62), ZoneId.of("UTC"))), serdeConfig);
      Properties props = StreamsDefaults.builder("status-sealed-test", "127.0.0.1:9")
          .stateDir(stateDir)
          .schemaRegistryUrl("mock://status-sealed-test")
          .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
          .with(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, InMemoryRocksDb.class)
          .build();
      driver = new TopologyTestDriver(topology, props, TestEvents.day(62));
      plain.configure(Map.of("schema.registry.url", "mock://status-sealed-test"), false);
      events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), plain.serializer());
      SpecificAvroSerde<ParticipantStatus> statusSerde = new SpecificAvroSerde<>(ParticipantStatus.class);
      statusSerde.configure(Map.of("schema.registry.url", "mock://status-sealed-test"), false);
      statuses = driver.createOutputTopic(Topics.PARTICIPANT_STATUS.name(), new StringDeserializer(), statusSerde.deserializer());
      deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    void pipe(List<FollowUpEvent> all) {
      all.forEach(e -> events.pipeInput(e.getParticipantId(), e, e.getRecordedAt()));
    }

    Map<String, ParticipantStatus> latest() {
      for (KeyValue<String, ParticipantStatus> kv : statuses.readKeyValuesToList()) {
        latest.put(kv.key, kv.value);
      }
      return latest;
    }

    @Override
    public void close() {
      driver.close();
    }
  }
}
