package no.followup.status.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.ParticipantFold;
import no.followup.status.ParticipantStatus;
import no.followup.status.StatusFold;
import no.followup.status.TestEvents;
import no.followup.status.rules.StatusRules;
import no.followup.status.rules.TallyContributions;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The count of changed participants, on the stores of a task: each change counted once, as the
 * difference from the status counted before, including changes a task left uncounted before it
 * stopped (rows restored into the store before this task's first count).
 */
class UncountedChangesTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final String OFFICE = "office:3421";
  private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://uncounted-test");

  private final SpecificAvroSerde<ParticipantStatus> statusSerde = serde(ParticipantStatus.class);
  private final SpecificAvroSerde<ParticipantFold> foldSerde = serde(ParticipantFold.class);
  private final TestEvents events = new TestEvents("p-1", "3421", "optimist");
  private final StatusFold fold = StatusRules.newFold();
  /** The participant's status after each event so far. */
  private final List<ParticipantStatus> statuses = new ArrayList<>();
  private MockProcessorContext<String, FoldOutput> context;
  private FoldStores folds;
  private KeyValueStore<String, byte[]> countedRows;

  @BeforeEach
  void stores() {
    context = new MockProcessorContext<>();
    add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatusTopology.FOLD_STORE), Serdes.String(), FoldHead.SERDE));
    add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatusTopology.EVENTS_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatusTopology.EVENT_IDS_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatusTopology.SNAPSHOTS_STORE), Serdes.Bytes(), serde(StatusFold.class)));
    countedRows = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatusTopology.UNCOUNTED_STORE),
        Serdes.String(), Serdes.ByteArray()));
    folds = new FoldStores(context, foldSerde);
    apply(events.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30));
    apply(events.at(1, new HomeVisitCompleted(null)));
    apply(events.at(2, TestEvents.score(20)));
    // each step changes the counters, so a count from the wrong status before would show
    assertThat(TallyContributions.deltas(statuses.get(0), statuses.get(2), OSLO))
        .isNotEqualTo(TallyContributions.deltas(statuses.get(1), statuses.get(2), OSLO));
  }

  @Test
  void aParticipantChangedTwiceBetweenCountsIsCountedOnceFromWhatWasCountedBefore() {
    UncountedChanges uncounted = new UncountedChanges(context, folds, statusSerde.deserializer(), OSLO);
    uncounted.changed("p-1", null, statuses.get(0));
    assertThat(uncounted.count().get(OFFICE)).containsEntry("participants", 1L).containsEntry("active", 1L);

    uncounted.changed("p-1", encoded(statuses.get(0)), statuses.get(1));
    uncounted.changed("p-1", encoded(statuses.get(1)), statuses.get(2));
    assertThat(uncounted.count()).isEqualTo(TallyContributions.deltas(statuses.get(0), statuses.get(2), OSLO))
        .containsKey(OFFICE);
    assertThat(uncounted.count()).isEmpty();
    assertThat(rows()).isEmpty();
  }

  @Test
  void aChangeLeftUncountedBeforeTheTaskStartedIsCountedAgainstTheCurrentStatus() {
    countedRows.put("p-1", encoded(statuses.get(0)));
    folds.putHead("p-1", new byte[] {1}, fold, encoded(statuses.get(2)));

    UncountedChanges uncounted = new UncountedChanges(context, folds, statusSerde.deserializer(), OSLO);
    Map<String, Map<String, Long>> counted = uncounted.count();

    assertThat(counted).isEqualTo(TallyContributions.deltas(statuses.get(0), statuses.get(2), OSLO));
    assertThat(counted.get(OFFICE)).containsEntry("homeVisits", 1L).containsEntry("coop.measured", 1L)
        .doesNotContainKey("participants");
    assertThat(rows()).isEmpty();
    assertThat(uncounted.count()).isEmpty();
  }

  @Test
  void aChangeBeforeTheFirstCountKeepsWhatWasCountedBeforeTheTaskStarted() {
    countedRows.put("p-1", encoded(statuses.get(0)));

    UncountedChanges uncounted = new UncountedChanges(context, folds, statusSerde.deserializer(), OSLO);
    uncounted.changed("p-1", encoded(statuses.get(1)), statuses.get(2));

    assertThat(rows()).containsExactly("p-1");
    assertThat(countedRows.get("p-1")).isEqualTo(encoded(statuses.get(0)));
    assertThat(uncounted.count()).isEqualTo(TallyContributions.deltas(statuses.get(0), statuses.get(2), OSLO));
  }

  @Test
  void anErasureRetractsWhatWasCounted() {
    UncountedChanges uncounted = new UncountedChanges(context, folds, statusSerde.deserializer(), OSLO);
    uncounted.changed("p-1", null, statuses.get(2));
    uncounted.count();

    uncounted.changed("p-1", encoded(statuses.get(2)), null);

    assertThat(uncounted.count().get(OFFICE)).containsEntry("participants", -1L).containsEntry("homeVisits", -1L);
  }

  private void apply(FollowUpEvent event) {
    StatusRules.apply(fold, event);
    statuses.add(ParticipantStatus.newBuilder(StatusRules.status("p-1", fold)).build());
  }

  private byte[] encoded(ParticipantStatus status) {
    return statusSerde.serializer().serialize(Topics.PARTICIPANT_STATUS.name(), status);
  }

  private List<String> rows() {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = countedRows.all()) {
      all.forEachRemaining(row -> keys.add(row.key));
    }
    return keys;
  }

  private <S extends StateStore> S add(StoreBuilder<S> builder) {
    S store = builder.withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  private static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(SERDE_CONFIG, false);
    return serde;
  }
}
