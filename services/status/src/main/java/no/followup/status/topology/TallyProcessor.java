package no.followup.status.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.status.CohortDefinition;
import no.followup.status.KeptCapacity;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.SpecialistCapacities;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each delta (a participant's new contribution minus their old one, for one tally key) to
 * the key's counters in store {@value StatusTopology#TALLY_STORE}; a key whose counters all come
 * out zero is deleted (and tombstoned when published). Counters are never recounted.
 *
 * <p><b>Published once per key per interval, not once per delta.</b> An office's tally moves with
 * every event of every participant in it, and building and encoding the tally's view is the most
 * expensive step after the fold itself. Under exactly-once nothing is visible before the commit
 * anyway, so a reader of the compacted tallies topic loses nothing when only the key's latest
 * tally of each {@link #PUBLISH_INTERVAL} is sent. The keys waiting to be published are rows of
 * store {@value StatusTopology#TALLY_PENDING_STORE}, written in the same transaction as the
 * counters: a crash between a commit and the next publication cannot leave a stale tally behind,
 * because the restarted task finds the key still pending.
 *
 * <p>A cohort's definition arrives as a record for {@code cohort:<id>} without counters; the later
 * version is kept with that key's counters, and the cohort's tally and every cohort-group tally of it
 * are published again with its goal. {@link CohortPartitioner} puts them all on this partition, so
 * the goal of a cohort-group tally is read from this store. A defined cohort's tally stays even with
 * no participant.
 *
 * <p>The "last 30 days" meeting figures are per-day counters. A wall-clock punctuator checks
 * every {@code refreshInterval} whether the date (in {@code zone}) has changed; when it has, it
 * drops the days that left the window from every tally and republishes them, so the published
 * 30-day figures stay current even when no status moves.
 */
final class TallyProcessor implements Processor<String, TallyCounters, String, Tally> {

  /** How often pending tallies are published: below the default commit interval, so a commit seldom waits for one. */
  static final Duration PUBLISH_INTERVAL = Duration.ofMillis(100);

  private static final byte[] PENDING = new byte[0];

  private final ZoneId zone;
  private final Clock clock;
  private final Duration refreshInterval;
  private ProcessorContext<String, Tally> context;
  private KeyValueStore<String, TallyCounters> store;
  private KeyValueStore<String, byte[]> pending;
  private LocalDate lastRefreshDay;

  TallyProcessor(ZoneId zone, Clock clock, Duration refreshInterval) {
    this.zone = zone;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
  }

  @Override
  public void init(ProcessorContext<String, Tally> context) {
    this.context = context;
    this.store = context.getStateStore(StatusTopology.TALLY_STORE);
    this.pending = context.getStateStore(StatusTopology.TALLY_PENDING_STORE);
    this.lastRefreshDay = LocalDate.now(clock.withZone(zone));
    context.schedule(PUBLISH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> publishPending());
    context.schedule(refreshInterval, PunctuationType.WALL_CLOCK_TIME, t -> refreshIfNewDay());
  }

  @Override
  public void process(Record<String, TallyCounters> delta) {
    if (delta.key() == null || delta.value() == null) {
      return;
    }
    TallyCounters current = store.get(delta.key());
    Map<String, Long> base = current == null ? Map.of() : current.getCounters();
    CohortDefinition kept = current == null ? null : CohortDefinitions.shown(current.getCohort());
    KeptCapacity capacity = current == null ? null : current.getCapacity();
    if (delta.value().getCohort() != null) {
      CohortDefinition latest = CohortDefinitions.latest(kept, CohortDefinitions.shown(delta.value().getCohort()));
      if (latest != kept) {
        keep(delta.key(), base, latest, capacity);
        markGroupsOf(latest.getCohortId());
      }
      return;
    }
    if (delta.value().getCapacity() != null) {
      KeptCapacity latest = SpecialistCapacities.latest(capacity, delta.value().getCapacity());
      if (latest != capacity) {
        keep(delta.key(), base, kept, latest);
      }
      return;
    }
    keep(delta.key(), TallyArithmetic.add(base, delta.value().getCounters(), LocalDate.ofInstant(clock.instant(), zone)), kept,
        capacity);
  }

  /** Stores the key's counters (and a cohort's definition or a specialist's capacity) and marks it for publication. */
  private void keep(String key, Map<String, Long> counters, CohortDefinition definition, KeptCapacity capacity) {
    if (counters.isEmpty() && definition == null && capacity == null) {
      store.delete(key);
    } else {
      store.put(key, new TallyCounters(counters, CohortDefinitions.kept(definition), capacity));
    }
    pending.put(key, PENDING);
  }

  /** A cohort's groups show its goal: they are published again when its definition changes. */
  private void markGroupsOf(String cohortId) {
    String prefix = TallyContributions.cohortGroupKey(cohortId, "");
    List<String> groups = new ArrayList<>();
    try (KeyValueIterator<String, TallyCounters> it = store.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining(group -> groups.add(group.key));
    }
    groups.forEach(group -> pending.put(group, PENDING));
  }

  private void publishPending() {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = pending.all()) {
      it.forEachRemaining(row -> keys.add(row.key));
    }
    if (keys.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (String key : keys) {
      publish(key, store.get(key), now);
      pending.delete(key);
    }
  }

  private void refreshIfNewDay() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    if (today.equals(lastRefreshDay)) {
      return;
    }
    lastRefreshDay = today;
    LocalDate windowStart = TallyArithmetic.windowStart(today);
    List<KeyValue<String, TallyCounters>> all = new ArrayList<>();
    try (KeyValueIterator<String, TallyCounters> it = store.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, TallyCounters> kv : all) {
      keep(kv.key, TallyArithmetic.prune(kv.value.getCounters(), windowStart), CohortDefinitions.shown(kv.value.getCohort()),
          kv.value.getCapacity());
    }
    publishPending();
  }

  /** Sends the key's tally, or a tombstone when the key is gone. */
  private void publish(String key, TallyCounters counters, Instant now) {
    Tally tally = counters == null ? null : TallyViews.build(key, counters.getCounters(),
        cohortOf(key, CohortDefinitions.shown(counters.getCohort())), SpecialistCapacities.share(counters.getCapacity()),
        now, zone);
    context.forward(new Record<>(key, tally, now.toEpochMilli()));
  }

  /** The cohort definition a tally of {@code key} shows: its own, or its cohort's for a cohort-group key. */
  private CohortDefinition cohortOf(String key, CohortDefinition own) {
    if (own != null) {
      return own;
    }
    String cohortId = TallyContributions.cohortOf(key);
    if (cohortId == null || key.startsWith(TallyContributions.COHORT)) {
      return null;
    }
    TallyCounters cohort = store.get(TallyContributions.COHORT + cohortId);
    return cohort == null ? null : CohortDefinitions.shown(cohort.getCohort());
  }

  private LocalDate windowStart(Instant now) {
    return TallyArithmetic.windowStart(LocalDate.ofInstant(now, zone));
  }
}
