package no.followup.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Delivery's own figures: what became of each participant reminder (decided once; a redelivered
 * reminder that only repeats its receipt is not counted again), how late an SMS went out after its
 * reminder fell due, and task updates written.
 */
public final class DeliveryMetrics {

  /** Participant reminders by outcome: sent, failed, opted_out, skipped_no_contact, expired, withdrawn, outcome_unknown. */
  public static final String SMS = "followup.delivery.sms";
  /** Due time of a reminder to delivery sending its SMS (read on the injected clock as the reminder is handled). */
  public static final String SMS_LATENESS = "followup.delivery.sms.lateness";
  public static final String TASK_UPDATES = "followup.delivery.task.updates";
  /** An SMS this long after its reminder fell due is late (the alert in docs/alerts.yml). */
  public static final Duration LATE = Duration.ofMinutes(1);

  private final MeterRegistry registry;
  private final Timer lateness;

  public DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
    // every outcome is on /metrics from the start, so the first failure shows as an increase
    for (DeliveryLedger.State state : DeliveryLedger.State.values()) {
      if (state != DeliveryLedger.State.ATTEMPTING) {
        outcome(state);
      }
    }
    this.lateness = Timer.builder(SMS_LATENESS)
        .description("Reminder due time to delivery sending its SMS")
        .serviceLevelObjectives(LATE)
        .register(registry);
  }

  void decided(DeliveryLedger.State state) {
    outcome(state).increment();
  }

  void sent(Instant due, Instant accepted) {
    lateness.record(Duration.between(due, accepted).isNegative() ? Duration.ZERO : Duration.between(due, accepted));
  }

  void taskUpdated(String state) {
    Counter.builder(TASK_UPDATES).description("Coordinator task updates written, by state").tag("state", state)
        .register(registry).increment();
  }

  private Counter outcome(DeliveryLedger.State state) {
    return Counter.builder(SMS).description("Participant reminders decided, by outcome")
        .tag("outcome", state.name().toLowerCase(Locale.ROOT)).register(registry);
  }
}
