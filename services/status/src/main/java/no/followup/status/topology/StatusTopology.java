package no.followup.status.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.EventHistory;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.TallyContributions;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
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
 *   → status-fold (stores status-event-history, status-current): re-fold the participant's events
 *       ├→ status-latest → followup.participant-status.v1 (tombstone on erasure)
 *       └→ tally-deltas: per tally key, contribution(new) − contribution(old)
 *            → repartition by tally key (internal topic &lt;app&gt;-tally-deltas-repartition)
 *            → tally-aggregate (store tally-counters): add, publish → followup.tallies.v1
 * </pre>
 * Every processor, store and internal topic is named. Keys are Strings, values Avro.
 */
public final class StatusTopology {

  public static final String HISTORY_STORE = "status-event-history";
  public static final String STATUS_STORE = "status-current";
  public static final String TALLY_STORE = "tally-counters";
  public static final String DELTAS_REPARTITION = "tally-deltas";

  /** What the topology needs besides the serde configuration. */
  public record Options(ZoneId zone, Map<String, Double> cohortGoals, Duration tallyRefreshInterval, Clock clock) {}

  private StatusTopology() {}

  /**
   * @param serdeConfig configuration of the Avro serdes (at least {@code schema.registry.url})
   */
  public static Topology build(Options options, Map<String, ?> serdeConfig) {
    StreamsBuilder builder = new StreamsBuilder();
    var eventSerde = serde(FollowUpEvent.class, serdeConfig);
    var statusSerde = serde(ParticipantStatus.class, serdeConfig);
    var tallySerde = serde(Tally.class, serdeConfig);
    var countersSerde = serde(TallyCounters.class, serdeConfig);

    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(HISTORY_STORE), Serdes.String(), serde(EventHistory.class, serdeConfig)));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(STATUS_STORE), Serdes.String(), serde(ParticipantStatus.class, serdeConfig)));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(TALLY_STORE), Serdes.String(), serde(TallyCounters.class, serdeConfig)));

    // the fold keeps its own serde: it writes events into the history in registry wire format
    var historyEventSerde = serde(FollowUpEvent.class, serdeConfig);
    KStream<String, StatusChange> changes = builder
        .stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), eventSerde).withName("events-source"))
        .process(() -> new StatusFoldProcessor(historyEventSerde), Named.as("status-fold"), HISTORY_STORE, STATUS_STORE);

    changes
        .mapValues(StatusChange::current, Named.as("status-latest"))
        .to(Topics.PARTICIPANT_STATUS.name(), Produced.with(Serdes.String(), statusSerde).withName("status-sink"));

    ZoneId zone = options.zone();
    changes
        .flatMap((participantId, change) -> {
          List<KeyValue<String, TallyCounters>> out = new ArrayList<>();
          TallyContributions.deltas(change.previous(), change.current(), zone)
              .forEach((key, delta) -> out.add(KeyValue.pair(key, new TallyCounters(delta))));
          return out;
        }, Named.as("tally-deltas"))
        .repartition(Repartitioned.<String, TallyCounters>as(DELTAS_REPARTITION)
            .withKeySerde(Serdes.String()).withValueSerde(countersSerde))
        .process(() -> new TallyProcessor(options.cohortGoals(), zone, options.clock(), options.tallyRefreshInterval()),
            Named.as("tally-aggregate"), TALLY_STORE)
        .to(Topics.TALLIES.name(), Produced.with(Serdes.String(), tallySerde).withName("tallies-sink"));

    return builder.build();
  }

  static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, Map<String, ?> serdeConfig) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(serdeConfig, false);
    return serde;
  }
}
