package no.followup.status.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyViews;
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
 * <p>The "last 30 days" meeting figures are per-day counters. A wall-clock punctuator checks
 * every {@code refreshInterval} whether the date (in {@code zone}) has changed; when it has, it
 * drops the days that left the window from every tally and republishes them, so the published
 * 30-day figures stay current even when no status moves.
 */
final class TallyProcessor implements Processor<String, TallyCounters, String, Tally> {

  /** How often pending tallies are published: below the default commit interval, so a commit seldom waits for one. */
  static final Duration PUBLISH_INTERVAL = Duration.ofMillis(100);

  private static final byte[] PENDING = new byte[0];

  private final Map<String, Double> cohortGoals;
  private final ZoneId zone;
  private final Clock clock;
  private final Duration refreshInterval;
  private ProcessorContext<String, Tally> context;
  private KeyValueStore<String, TallyCounters> store;
  private KeyValueStore<String, byte[]> pending;
  private LocalDate lastRefreshDay;

  TallyProcessor(Map<String, Double> cohortGoals, ZoneId zone, Clock clock, Duration refreshInterval) {
    this.cohortGoals = cohortGoals;
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
    Instant now = clock.instant();
    TallyCounters current = store.get(delta.key());
    Map<String, Long> base = current == null ? Map.of() : current.getCounters();
    Map<String, Long> sum = TallyArithmetic.add(base, delta.value().getCounters(), windowStart(now));
    if (sum.isEmpty()) {
      store.delete(delta.key());
    } else {
      store.put(delta.key(), new TallyCounters(sum));
    }
    pending.put(delta.key(), PENDING);
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
      TallyCounters counters = store.get(key);
      publish(key, counters == null ? Map.of() : counters.getCounters(), now);
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
      Map<String, Long> pruned = TallyArithmetic.prune(kv.value.getCounters(), windowStart);
      if (pruned.isEmpty()) {
        store.delete(kv.key);
      } else {
        store.put(kv.key, new TallyCounters(pruned));
      }
      publish(kv.key, pruned, now);
      pending.delete(kv.key);
    }
  }

  /** Sends the key's tally, or a tombstone when its counters are all zero. */
  private void publish(String key, Map<String, Long> counters, Instant now) {
    Tally tally = counters.isEmpty() ? null : TallyViews.build(key, counters, cohortGoals, now, zone);
    context.forward(new Record<>(key, tally, now.toEpochMilli()));
  }

  private LocalDate windowStart(Instant now) {
    return TallyArithmetic.windowStart(LocalDate.ofInstant(now, zone));
  }
}
