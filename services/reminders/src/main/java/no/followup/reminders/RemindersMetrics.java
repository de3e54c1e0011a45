package no.followup.reminders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measurements of the reminders application. The one that matters: timer lag, from a reminder's
 * due time to the moment the punctuator emits it (what "fires within one second" is about).
 */
public final class RemindersMetrics {

  public static final String TIMER_LAG = "followup.reminders.timer.lag";
  public static final String EMITTED = "followup.reminders.emitted";
  public static final String DUPLICATE_EVENTS = "followup.reminders.duplicate.events";
  /** Timers dropped unsent because they fired longer than the history cutoff after falling due (an outage). */
  public static final String STALE_TIMERS_DROPPED = "followup.reminders.stale.timers.dropped";
  /** Events ignored because their participant was erased. */
  public static final String EVENTS_FOR_ERASED = "followup.reminders.events.for.erased";

  /** A reminder emitted this long after its due time is late (the alert in docs/alerts.yml). */
  public static final Duration LATE = Duration.ofMinutes(1);

  private final MeterRegistry registry;
  private final Timer timerLag;
  private final Counter duplicateEvents;

  public RemindersMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.timerLag = Timer.builder(TIMER_LAG)
        .description("Reminder lateness: due time to emission by the wall-clock punctuator")
        .publishPercentiles(0.5, 0.99)
        // a histogram bucket at the alert's threshold: "reminders more than a minute late" is a rate of buckets
        .serviceLevelObjectives(LATE)
        .distributionStatisticExpiry(Duration.ofHours(1))
        .register(registry);
    this.duplicateEvents = Counter.builder(DUPLICATE_EVENTS)
        .description("Events skipped because their eventId was seen before")
        .register(registry);
  }

  public static RemindersMetrics inMemory() {
    return new RemindersMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void timerFired(long lagMillis) {
    timerLag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
  }

  void emitted(Reminder reminder) {
    registry.counter(EMITTED, "kind", reminder.getKind().name(), "status", reminder.getStatus().name()).increment();
  }

  void duplicateEvent() {
    duplicateEvents.increment();
  }

  void eventForErasedParticipant() {
    registry.counter(EVENTS_FOR_ERASED).increment();
  }

  void staleTimerDropped(ReminderKind kind) {
    registry.counter(STALE_TIMERS_DROPPED, "kind", kind.name()).increment();
  }

  /** Count, p50, p99 and max of the timer lag in milliseconds, for the health server and the benchmark. */
  public Map<String, Object> timerLagSummary() {
    HistogramSnapshot snapshot = timerLag.takeSnapshot();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", snapshot.count());
    for (ValueAtPercentile p : snapshot.percentileValues()) {
      summary.put("p" + Math.round(p.percentile() * 100) + "Ms", Math.round(p.value(TimeUnit.MILLISECONDS)));
    }
    summary.put("maxMs", Math.round(snapshot.max(TimeUnit.MILLISECONDS)));
    return summary;
  }
}
