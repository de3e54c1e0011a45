package no.followup.status.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.common.streams.StreamsDefaults;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.ParticipantFold;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The status topology in a TopologyTestDriver, with a clock the test moves. */
final class TopologyFixture implements AutoCloseable {

  static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  /** A clock tests set and move; read by the topology's tally processor. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MovableClock clock;
  final TopologyTestDriver driver;
  final TestInputTopic<String, FollowUpEvent> events;
  final TestInputTopic<String, byte[]> rawEvents;
  final TestOutputTopic<String, ParticipantStatus> statuses;
  final TestOutputTopic<String, Tally> tallies;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  private final SpecificAvroSerde<FollowUpEvent> eventSerde;
  private final SpecificAvroSerde<ParticipantStatus> statusSerde;
  private final SpecificAvroSerde<ParticipantFold> foldSerde;
  private final Map<String, ParticipantStatus> latestStatus = new LinkedHashMap<>();
  private final Map<String, Tally> latestTally = new LinkedHashMap<>();

  TopologyFixture(Path stateDir, Instant now) {
    this.clock = new MovableClock(now);
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://status-test");
    var topology = StatusTopology.build(
        new StatusTopology.Options(OSLO, Duration.ofMinutes(10), clock), serdeConfig);
    Properties props = StreamsDefaults.builder("status-test", "127.0.0.1:9")
        .stateDir(stateDir)
        .schemaRegistryUrl("mock://status-test")
        // The test driver discards records sent outside a processed record's transaction (a
        // dead-letter record for an undecodable input) under EOS; the topology is the same under
        // both guarantees, and StatusIT runs it with exactly_once_v2 against a broker.
        .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
        .with(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, InMemoryRocksDb.class)
        .build();
    driver = new TopologyTestDriver(topology, props, now);
    eventSerde = serde(FollowUpEvent.class, serdeConfig);
    events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), eventSerde.serializer());
    rawEvents = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
    statusSerde = serde(ParticipantStatus.class, serdeConfig);
    foldSerde = serde(ParticipantFold.class, serdeConfig);
    statuses = driver.createOutputTopic(Topics.PARTICIPANT_STATUS.name(), new StringDeserializer(),
        statusSerde.deserializer());
    tallies = driver.createOutputTopic(Topics.TALLIES.name(), new StringDeserializer(),
        serde(Tally.class, serdeConfig).deserializer());
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, Map<String, ?> config) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(config, false);
    return serde;
  }

  void pipe(FollowUpEvent event) {
    events.pipeInput(event.getParticipantId(), event, event.getRecordedAt());
  }

  void pipe(List<FollowUpEvent> all) {
    all.forEach(this::pipe);
  }

  /** Latest status per participant from the status topic (tombstones remove). */
  Map<String, ParticipantStatus> statusTopic() {
    for (KeyValue<String, ParticipantStatus> kv : statuses.readKeyValuesToList()) {
      if (kv.value == null) {
        latestStatus.remove(kv.key);
      } else {
        latestStatus.put(kv.key, kv.value);
      }
    }
    return latestStatus;
  }

  /**
   * Moves the wall clock until the changed participants are counted and the pending tallies
   * published: the two punctuations may run in either order, so the clock moves twice.
   */
  void countAndPublishTallies() {
    driver.advanceWallClockTime(StatusFoldProcessor.COUNT_INTERVAL);
    driver.advanceWallClockTime(TallyProcessor.PUBLISH_INTERVAL);
  }

  /** Latest tally per key from the tallies topic (tombstones remove), once they are counted and published. */
  Map<String, Tally> tallyTopic() {
    countAndPublishTallies();
    for (TestRecord<String, Tally> r : tallies.readRecordsToList()) {
      if (r.value() == null) {
        latestTally.remove(r.key());
      } else {
        latestTally.put(r.key(), r.value());
      }
    }
    return latestTally;
  }

  /** Reads one part of what the topology keeps per participant. */
  interface Kept<T> {
    T get(String participantId);
  }

  /** The kept folds (or erasure markers), decoded. */
  Kept<ParticipantFold> foldStore() {
    return kept(head -> foldSerde.deserializer()
        .deserialize("status-test-" + StatusTopology.FOLD_STORE + "-changelog", head.fold()));
  }

  /** The statuses kept for queries, next to the folds, decoded as queries decode them (the status topic's encoding). */
  Kept<ParticipantStatus> statusStore() {
    return kept(head -> head.status() == null ? null
        : statusSerde.deserializer().deserialize(Topics.PARTICIPANT_STATUS.name(), head.status()));
  }

  private <T> Kept<T> kept(Function<FoldHead, T> part) {
    KeyValueStore<String, FoldHead> heads = driver.getKeyValueStore(StatusTopology.FOLD_STORE);
    return participantId -> {
      FoldHead head = heads.get(participantId);
      return head == null ? null : part.apply(head);
    };
  }

  /** The participant's kept events, in the order of their rows (fold order). */
  List<FollowUpEvent> eventRows(String participantId) {
    KeyValueStore<Bytes, byte[]> rows = driver.getKeyValueStore(StatusTopology.EVENTS_STORE);
    List<FollowUpEvent> events = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.range(FoldKeys.first(participantId, FoldKeys.POSITION_BYTES),
        FoldKeys.last(participantId, FoldKeys.POSITION_BYTES))) {
      it.forEachRemaining(row -> events.add(eventSerde.deserializer().deserialize(Topics.EVENTS.name(), row.value)));
    }
    return events;
  }

  /** How many rows of {@code store} belong to the participant ({@code suffixBytes}: the store's key suffix). */
  long rowCount(String store, String participantId, int suffixBytes) {
    KeyValueStore<Bytes, Object> rows = driver.getKeyValueStore(store);
    try (KeyValueIterator<Bytes, Object> it = rows.range(FoldKeys.first(participantId, suffixBytes),
        FoldKeys.last(participantId, suffixBytes))) {
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return n;
    }
  }

  KeyValueStore<String, TallyCounters> tallyStore() {
    return driver.getKeyValueStore(StatusTopology.TALLY_STORE);
  }

  @Override
  public void close() {
    driver.close();
  }
}
