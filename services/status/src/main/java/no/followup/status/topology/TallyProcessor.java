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
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.CohortDefinitions;
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
 * the key's counters in store {@value StatusTopology#TALLY_STORE} and publishes the tally; a key
 * whose counters all come out zero is deleted and tombstoned. Counters are never recounted.
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

  private final ZoneId zone;
  private final Clock clock;
  private final Duration refreshInterval;
  private ProcessorContext<String, Tally> context;
  private KeyValueStore<String, TallyCounters> store;
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
    this.lastRefreshDay = LocalDate.now(clock.withZone(zone));
    context.schedule(refreshInterval, PunctuationType.WALL_CLOCK_TIME, t -> refreshIfNewDay());
  }

  @Override
  public void process(Record<String, TallyCounters> delta) {
    if (delta.key() == null || delta.value() == null) {
      return;
    }
    Instant now = clock.instant();
    TallyCounters current = store.get(delta.key());
    Map<String, Long> base = current == null ? Map.of() : current.getCounters();
    CohortDefinition kept = current == null ? null : CohortDefinitions.shown(current.getCohort());
    if (delta.value().getCohort() != null) {
      CohortDefinition latest = CohortDefinitions.latest(kept, CohortDefinitions.shown(delta.value().getCohort()));
      if (latest != kept) {
        publish(delta.key(), base, latest, now, delta.timestamp());
        republishGroupsOf(latest.getCohortId(), now, delta.timestamp());
      }
      return;
    }
    Map<String, Long> sum = TallyArithmetic.add(base, delta.value().getCounters(), windowStart(now));
    publish(delta.key(), sum, kept, now, delta.timestamp());
  }

  private void republishGroupsOf(String cohortId, Instant now, long timestamp) {
    List<KeyValue<String, TallyCounters>> groups = new ArrayList<>();
    String prefix = TallyContributions.cohortGroupKey(cohortId, "");
    try (KeyValueIterator<String, TallyCounters> it = store.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining(groups::add);
    }
    for (KeyValue<String, TallyCounters> group : groups) {
      publish(group.key, group.value.getCounters(), null, now, timestamp);
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
      publish(kv.key, TallyArithmetic.prune(kv.value.getCounters(), windowStart), CohortDefinitions.shown(kv.value.getCohort()), now,
          now.toEpochMilli());
    }
  }

  /**
   * Stores and publishes {@code key}'s tally; {@code definition} is kept only for a cohort's own key.
   * Empty counters without a definition delete the key.
   */
  private void publish(String key, Map<String, Long> counters, CohortDefinition definition, Instant now, long timestamp) {
    if (counters.isEmpty() && definition == null) {
      store.delete(key);
      context.forward(new Record<>(key, (Tally) null, timestamp));
      return;
    }
    store.put(key, new TallyCounters(counters, CohortDefinitions.kept(definition)));
    context.forward(new Record<>(key, TallyViews.build(key, counters, cohortOf(key, definition), now, zone), timestamp));
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
