package no.followup.status.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.crypto.SealedEvents;
import no.followup.common.streams.FoldHead;
import no.followup.common.streams.PromptCommits;
import no.followup.events.CohortDefined;
import no.followup.events.SpecialistCapacitySet;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.KeptCapacity;
import no.followup.status.ParticipantFold;
import no.followup.status.ParticipantStatus;
import no.followup.status.StatusFold;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.SpecialistCapacities;
import no.followup.status.rules.TallyContributions;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The status application's topology, in one place:
 * <pre>
 * followup.events.v1
 *   ├→ (CohortDefined) cohort-definitions: the cohort's definition, keyed cohort:&lt;id&gt; ─────┐
 *   ├→ (SpecialistCapacitySet) specialist-capacities: keyed specialist:&lt;id&gt; ─────────────────┤
 *   └→ status-fold (stores status-fold, status-events, status-event-ids, status-fold-snapshots,   │
 *       status-uncounted): fold the event into the participant's status                            │
 *       (see StatusFoldProcessor)                                                                  │
 *       ├→ status-latest: at once → followup.participant-status.v1 (tombstone on erasure)        │
 *       └→ tally-deltas: every 100 ms, per tally key, the sum of contribution(new) −               │
 *          contribution(counted) over the participants changed since (UncountedChanges) ←─ merged ┘
 *            → repartition by tally key, a cohort's keys by the cohort (CohortPartitioner;
 *              internal topic &lt;app&gt;-tally-deltas-repartition)
 *            → tally-aggregate (stores tally-counters, tally-pending): add; every 100 ms publish
 *              the keys changed since → followup.tallies.v1
 * </pre>
 * Every processor, store and internal topic is named. Keys are Strings (byte keys for the row
 * stores, see {@link FoldKeys}), values Avro.
 *
 * <p><b>Latency and caching.</b> Under exactly-once an output is visible at the commit that
 * follows it, and a tally crosses two commits (the repartition topic, then the tallies topic):
 * commits, not caching, set the latency, and the processors forward at once whatever the stores
 * cache. While events are live the fold asks for a commit soon after each, at most one every
 * {@link #PROMPT_COMMIT_GAP} ({@link PromptCommits}); a backlog is committed at the interval.
 * The record cache is off for the participant stores (status-fold and the rows): in live traffic
 * a participant's next event comes long after the cache has written their row out, so it would
 * only add its own bookkeeping to every event. It is
 * on for the stores whose keys are rewritten within a commit: status-uncounted (a row is mostly
 * removed again before the commit, and then never written, see {@link UncountedChanges}) and the
 * tally stores (an office's counters change many times between two commits).
 *
 * <p><b>One encoding per value.</b> An event's row is the record as it came ({@link ReceivedEvent}),
 * and a status is encoded once, for the status topic, and kept in that encoding next to the fold
 * ({@link FoldHead}): nothing is encoded twice on the way through.
 */
public final class StatusTopology {

  /** Each participant's fold and current status ({@link FoldHead}): what queries read. */
  public static final String FOLD_STORE = "status-fold";
  public static final String EVENTS_STORE = "status-events";
  public static final String EVENT_IDS_STORE = "status-event-ids";
  public static final String SNAPSHOTS_STORE = "status-fold-snapshots";
  /** The status the tallies counted, of each participant changed since (see {@link UncountedChanges}). */
  public static final String UNCOUNTED_STORE = "status-uncounted";
  public static final String TALLY_STORE = "tally-counters";
  public static final String TALLY_PENDING_STORE = "tally-pending";
  public static final String DELTAS_REPARTITION = "tally-deltas";

  /**
   * The record cache the topology needs (Streams' {@code statestore.cache.max.bytes}): room for the
   * rows of status-uncounted between two counts, so they are dropped rather than written (a row is
   * an encoded status, up to a few KiB, and at 20,000 events/s up to 2,000 participants change per
   * count), and for the tally stores.
   */
  public static final long RECORD_CACHE_BYTES = 16L * 1024 * 1024;

  /**
   * Shortest time between two early commits while events are live ({@link PromptCommits}): a
   * status is readable within about this long plus one commit after its event. Measured with the
   * latency benchmark at 1,000 events/s (p50 / p99): without early commits 139 / 271 ms; a gap of
   * 20 ms, per task, 234 / 385 ms (statuses visible later than at the interval, though each commit
   * was answered within milliseconds); 50 ms for the instance 54 / 193 ms; 100 ms 72 / 193 ms;
   * 50 ms with the producer's retry backoff of {@link PromptCommits#STREAMS_CONFIG} 43 / 97 ms.
   */
  static final Duration PROMPT_COMMIT_GAP = Duration.ofMillis(50);

  /** What the topology needs besides the serde configuration. */
  public record Options(ZoneId zone, Duration tallyRefreshInterval, Clock clock) {}

  /** Partitions the tally deltas and finds a tally key's instance for queries. */
  public static final CohortPartitioner TALLY_PARTITIONER = new CohortPartitioner();

  private StatusTopology() {}

  /**
   * @param serdeConfig configuration of the Avro serdes (at least {@code schema.registry.url})
   */
  public static Topology build(Options options, Map<String, ?> serdeConfig) {
    StreamsBuilder builder = new StreamsBuilder();
    var eventSerde = SealedEvents.serde(serdeConfig);
    var keptRows = SealedEvents.keptRows(serdeConfig);
    var statusSerde = serde(ParticipantStatus.class, serdeConfig);
    var tallySerde = serde(Tally.class, serdeConfig);
    // Schemas of stores and internal topics belong to this application, not to the registered
    // contract: they register themselves even where topic schemas must be registered up front.
    Map<String, Object> internalSerdeConfig = new HashMap<>(serdeConfig);
    internalSerdeConfig.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
    var countersSerde = serde(TallyCounters.class, internalSerdeConfig);
    var foldSerde = serde(ParticipantFold.class, internalSerdeConfig);

    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FOLD_STORE),
        Serdes.String(), FoldHead.SERDE));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENTS_STORE),
        Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENT_IDS_STORE),
        Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SNAPSHOTS_STORE),
        Serdes.Bytes(), serde(StatusFold.class, internalSerdeConfig)));
    // the participants changed within one count interval: in memory, restored from its changelog
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(UNCOUNTED_STORE),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TALLY_STORE),
        Serdes.String(), countersSerde).withCachingEnabled());
    // a handful of keys (those changed since the last publication): in memory, restored from its changelog
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TALLY_PENDING_STORE),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled());

    Map<String, KStream<String, ReceivedEvent>> events = builder
        .stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), ReceivedEvent.serde(eventSerde))
            .withName("events-source"))
        .split(Named.as("events-"))
        .branch((key, received) -> received != null && received.event().getPayload() instanceof CohortDefined,
            Branched.as("cohorts"))
        .branch((key, received) -> received != null && received.event().getPayload() instanceof SpecialistCapacitySet,
            Branched.as("capacities"))
        .defaultBranch(Branched.as("participants"));
    KStream<String, TallyCounters> cohortDefinitions = events.get("events-cohorts")
        .map((key, received) -> KeyValue.pair(TallyContributions.COHORT + received.event().getCohortId(),
            new TallyCounters(Map.of(), CohortDefinitions.kept(CohortDefinitions.of(received.event())), null)),
            Named.as("cohort-definitions"));
    KStream<String, TallyCounters> capacities = events.get("events-capacities")
        .map((key, received) -> {
          KeptCapacity capacity = SpecialistCapacities.of(received.event());
          return KeyValue.pair(received.event().getParticipantId(), new TallyCounters(Map.of(), null, capacity));
        }, Named.as("specialist-capacities"));
    ZoneId zone = options.zone();
    PromptCommits promptCommits = new PromptCommits(PROMPT_COMMIT_GAP);
    Map<String, KStream<String, FoldOutput>> folded = events.get("events-participants")
        .process(() -> new StatusFoldProcessor(keptRows, statusSerde, foldSerde, zone, promptCommits),
            Named.as("status-fold"), FOLD_STORE, EVENTS_STORE, EVENT_IDS_STORE, SNAPSHOTS_STORE, UNCOUNTED_STORE)
        .split(Named.as("fold-"))
        .branch((key, output) -> output instanceof FoldOutput.Status, Branched.as("statuses"))
        .defaultBranch(Branched.as("tally-deltas"));

    folded.get("fold-statuses")
        .mapValues(output -> ((FoldOutput.Status) output).encoded(), Named.as("status-latest"))
        .to(Topics.PARTICIPANT_STATUS.name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("status-sink"));

    folded.get("fold-tally-deltas")
        .mapValues(output -> new TallyCounters(((FoldOutput.TallyDelta) output).counters(), null, null),
            Named.as("tally-deltas"))
        .merge(cohortDefinitions, Named.as("tally-deltas-and-cohorts"))
        .merge(capacities, Named.as("tally-deltas-and-capacities"))
        .repartition(Repartitioned.<String, TallyCounters>as(DELTAS_REPARTITION)
            .withKeySerde(Serdes.String()).withValueSerde(countersSerde).withStreamPartitioner(TALLY_PARTITIONER))
        .process(() -> new TallyProcessor(zone, options.clock(), options.tallyRefreshInterval()),
            Named.as("tally-aggregate"), TALLY_STORE, TALLY_PENDING_STORE)
        .to(Topics.TALLIES.name(), Produced.with(Serdes.String(), tallySerde).withName("tallies-sink"));

    return builder.build();
  }

  static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, Map<String, ?> serdeConfig) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(serdeConfig, false);
    return serde;
  }
}
