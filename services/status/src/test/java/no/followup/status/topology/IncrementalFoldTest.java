package no.followup.status.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingScheduled;
import no.followup.events.MeetingKind;
import no.followup.events.ParticipantErased;
import no.followup.events.TargetGroup;
import no.followup.status.ParticipantStatus;
import no.followup.status.StatusFold;
import no.followup.status.Tally;
import no.followup.status.TestEvents;
import no.followup.status.rules.StatusRules;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental engine (fold state, rows, snapshots) against the reference: a fold from scratch
 * of the participant's distinct events with the pure rules ({@link StatusRules#fold}).
 */
class IncrementalFoldTest {

  private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");
  private static final double SPAN_DAYS = Duration.between(TestEvents.BASE, NOW).toDays() - 1;
  private static final int K = FoldStores.SNAPSHOT_EVERY;

  @TempDir Path stateDir;
  private TopologyFixture f;

  @BeforeEach
  void start() {
    f = new TopologyFixture(stateDir, NOW);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void anyArrivalWithLateEventsDuplicatesAndErasuresGivesWhatAFoldFromScratchGives() {
    Random random = new Random(20240302L);
    RandomHistories histories = new RandomHistories(random);
    Map<String, List<FollowUpEvent>> arrivals = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      TestEvents p = new TestEvents("p-i" + i, new String[] {"3421", "3407"}[i % 2], i % 5 == 0 ? null : "optimist");
      // a few long histories: several snapshots each, more meetings than the status lists
      int n = i < 3 ? 300 + random.nextInt(400) : 2 + random.nextInt(80);
      List<FollowUpEvent> arrival = new ArrayList<>(histories.arrival(histories.history(p, n, SPAN_DAYS)));
      if (i % 10 == 9) {
        // erased in the middle; the events after the erasure must not bring the participant back
        arrival.add(arrival.size() / 2, p.at(SPAN_DAYS, new ParticipantErased()));
      }
      arrivals.put(p.participantId(), arrival);
    }

    Map<String, Map<UUID, FollowUpEvent>> arrived = new HashMap<>();
    Set<String> erased = new HashSet<>();
    for (FollowUpEvent event : interleave(arrivals, random)) {
      String id = event.getParticipantId();
      f.pipe(event);
      if (event.getPayload() instanceof ParticipantErased || erased.contains(id)) {
        erased.add(id);
        assertThat(f.statusStore().get(id)).as(id).isNull();
        continue;
      }
      arrived.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent(event.getEventId(), event);
      List<FollowUpEvent> distinct = List.copyOf(arrived.get(id).values());
      assertThat(TestEvents.content(f.statusStore().get(id))).as("%s after %d events", id, distinct.size())
          .isEqualTo(TestEvents.content(StatusRules.fold(id, distinct)));
    }

    Map<String, ParticipantStatus> published = f.statusTopic();
    assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(
        arrivals.keySet().stream().filter(id -> !erased.contains(id)).toList());
    List<ParticipantStatus> reference = new ArrayList<>();
    for (String id : published.keySet()) {
      List<FollowUpEvent> distinct = List.copyOf(arrived.get(id).values());
      ParticipantStatus expected = StatusRules.fold(id, distinct);
      reference.add(expected);
      assertThat(TestEvents.content(published.get(id))).as(id).isEqualTo(TestEvents.content(expected));
      assertSnapshotsAreFoldsOfTheirPrefix(id, distinct);
      assertBounded(id);
    }
    assertThat(reference).anySatisfy(s -> assertThat(s.getMeetingsScheduled()).isGreaterThan(StatusRules.MAX_LISTED_MEETINGS));
    assertThat(f.tallyTopic()).isEqualTo(recount(reference));
    for (String id : erased) {
      assertThat(f.eventRows(id)).isEmpty();
      assertThat(f.rowCount(StatusTopology.SNAPSHOTS_STORE, id, FoldKeys.POSITION_BYTES)).isZero();
      assertThat(f.rowCount(StatusTopology.EVENT_IDS_STORE, id, FoldKeys.EVENT_ID_BYTES)).isZero();
    }
  }

  @Test
  void aLateEventIsFoldedFromTheLatestSnapshotBeforeItsPlaceNotFromTheBeginning() {
    TestEvents p = new TestEvents("p-late", "3421", "optimist");
    List<FollowUpEvent> events = new ArrayList<>(List.of(p.enrolled(0, "s-c1", TargetGroup.OTHER)));
    for (int i = 1; i < 3 * K; i++) {
      events.add(p.at(i / 10.0, new MeetingScheduled("m" + i, TestEvents.day(i), MeetingKind.OFFICE)));
    }
    f.pipe(events);
    // Without the rows before the second snapshot, a fold from the beginning would come out
    // different; the late event (between the second and third snapshots) must not need them.
    Bytes secondSnapshot = snapshotKeys("p-late").get(1);
    KeyValueStore<Bytes, byte[]> rows = f.driver.getKeyValueStore(StatusTopology.EVENTS_STORE);
    List<Bytes> before = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.range(FoldKeys.first("p-late", FoldKeys.POSITION_BYTES), secondSnapshot)) {
      it.forEachRemaining(row -> before.add(row.key));
    }
    before.forEach(rows::delete);

    FollowUpEvent late = p.at((2 * K + 0.5) / 10.0, 30, new MeetingAttended("m3"));
    f.pipe(late);
    events.add(late);

    assertThat(TestEvents.content(f.statusStore().get("p-late")))
        .isEqualTo(TestEvents.content(StatusRules.fold("p-late", events)));
    assertThat(f.statusStore().get("p-late").getMeetingsAttended()).isEqualTo(1);
    assertThat(snapshotKeys("p-late")).hasSize(3);
  }

  @Test
  void anEventInOrderIsAppliedToTheFoldStateWithoutReadingTheRows() {
    TestEvents p = new TestEvents("p-in-order", "3421", "optimist");
    List<FollowUpEvent> events = new ArrayList<>(List.of(p.enrolled(0, "s-c1", TargetGroup.OTHER)));
    for (int i = 1; i < 100; i++) {
      events.add(p.at(i, new MeetingAttended("m" + i)));
    }
    f.pipe(events);
    KeyValueStore<Bytes, byte[]> rows = f.driver.getKeyValueStore(StatusTopology.EVENTS_STORE);
    List<Bytes> all = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.range(FoldKeys.first("p-in-order", FoldKeys.POSITION_BYTES),
        FoldKeys.last("p-in-order", FoldKeys.POSITION_BYTES))) {
      it.forEachRemaining(row -> all.add(row.key));
    }
    all.forEach(rows::delete);

    FollowUpEvent next = p.at(100, new MeetingAttended("m100"));
    f.pipe(next);
    events.add(next);
    assertThat(TestEvents.content(f.statusStore().get("p-in-order")))
        .isEqualTo(TestEvents.content(StatusRules.fold("p-in-order", events)));
    assertThat(f.eventRows("p-in-order")).extracting(FollowUpEvent::getEventId).containsExactly(next.getEventId());
  }

  /** Every snapshot is the fold of the distinct events up to its position, taken every K events. */
  private void assertSnapshotsAreFoldsOfTheirPrefix(String id, List<FollowUpEvent> distinct) {
    List<FollowUpEvent> ordered = new ArrayList<>(distinct);
    ordered.sort(StatusRules.ORDER);
    KeyValueStore<Bytes, StatusFold> snapshots = f.driver.getKeyValueStore(StatusTopology.SNAPSHOTS_STORE);
    List<KeyValue<Bytes, StatusFold>> all = new ArrayList<>();
    try (KeyValueIterator<Bytes, StatusFold> it = snapshots.range(FoldKeys.first(id, FoldKeys.POSITION_BYTES),
        FoldKeys.last(id, FoldKeys.POSITION_BYTES))) {
      it.forEachRemaining(all::add);
    }
    assertThat(all).as("snapshots of %s", id).hasSize(ordered.size() / K);
    for (KeyValue<Bytes, StatusFold> snapshot : all) {
      byte[] key = snapshot.key.get();
      byte[] position = Arrays.copyOfRange(key, key.length - FoldKeys.POSITION_BYTES, key.length);
      List<FollowUpEvent> prefix = ordered.stream().filter(e -> FoldKeys.compare(FoldKeys.position(e), position) <= 0).toList();
      assertThat(snapshot.value.getIndex()).isEqualTo(prefix.size()).matches(index -> index % K == 0);
      assertThat(TestEvents.content(StatusRules.status(id, snapshot.value)))
          .isEqualTo(TestEvents.content(StatusRules.fold(id, prefix)));
    }
  }

  /** The fold state and the status stay small whatever the history. */
  private void assertBounded(String id) {
    try {
      assertThat(f.foldStore().get(id).toByteBuffer().remaining()).as(id).isLessThan(16 * 1024);
      assertThat(f.statusStore().get(id).toByteBuffer().remaining()).as(id).isLessThan(16 * 1024);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<Bytes> snapshotKeys(String id) {
    KeyValueStore<Bytes, StatusFold> snapshots = f.driver.getKeyValueStore(StatusTopology.SNAPSHOTS_STORE);
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, StatusFold> it = snapshots.range(FoldKeys.first(id, FoldKeys.POSITION_BYTES),
        FoldKeys.last(id, FoldKeys.POSITION_BYTES))) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  /** Each participant's arrivals in their order, participants interleaved at random. */
  private static List<FollowUpEvent> interleave(Map<String, List<FollowUpEvent>> arrivals, Random random) {
    List<List<FollowUpEvent>> queues = new ArrayList<>();
    arrivals.values().forEach(a -> queues.add(new ArrayList<>(a)));
    List<FollowUpEvent> out = new ArrayList<>();
    int left = queues.stream().mapToInt(List::size).sum();
    while (left > 0) {
      int pick = random.nextInt(left);
      for (List<FollowUpEvent> queue : queues) {
        if (pick < queue.size()) {
          out.add(queue.remove(0));
          break;
        }
        pick -= queue.size();
      }
      left--;
    }
    return out;
  }

  /** The tallies a recount of the statuses gives. */
  private static Map<String, Tally> recount(List<ParticipantStatus> statuses) {
    LocalDate today = LocalDate.ofInstant(NOW, TopologyFixture.OSLO);
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    for (ParticipantStatus s : statuses) {
      TallyContributions.contributions(s, TopologyFixture.OSLO).forEach((key, counters) ->
          sums.merge(key, TallyArithmetic.add(Map.of(), counters, today), (a, b) -> TallyArithmetic.add(a, b, today)));
    }
    Map<String, Tally> tallies = new TreeMap<>();
    sums.forEach((key, counters) -> tallies.put(key, TallyViews.build(key, counters, null, NOW, TopologyFixture.OSLO)));
    return tallies;
  }
}
