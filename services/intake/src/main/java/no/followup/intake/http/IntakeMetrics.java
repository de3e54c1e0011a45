package no.followup.intake.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The intake's own figures: events accepted by type, and events rejected by reason. A rejected
 * batch counts each of its events (nothing of it is written); a body that could not be read as
 * events at all counts as one.
 */
public final class IntakeMetrics {

  public static final String ACCEPTED = "followup.intake.events.accepted";
  public static final String REJECTED = "followup.intake.events.rejected";

  /** Why the intake refused events; the tag value is the lower-case name. */
  public enum Reason {
    /** 400: an event failed validation. */
    INVALID,
    /** 400: the body was not JSON, or not of the expected shape. */
    MALFORMED,
    /** 403: valid, but the caller may not record it. */
    NOT_ALLOWED,
    /** 409: its eventId was just used for different content. */
    CONFLICT,
    /** 409: its participant was erased. */
    ERASED,
    /** 413: the body or an event was too large. */
    TOO_LARGE,
    /** 415: not JSON. */
    UNSUPPORTED_MEDIA_TYPE,
    /** 503: the broker did not acknowledge in time; the caller should resend. */
    UNAVAILABLE
  }

  private final MeterRegistry registry;

  public IntakeMetrics(MeterRegistry registry) {
    this.registry = registry;
    // every reason is on /metrics from the start, so an alert on a rate sees a zero rather than no series
    for (Reason reason : Reason.values()) {
      rejectedCounter(reason);
    }
  }

  void accepted(String type) {
    Counter.builder(ACCEPTED).description("Events accepted (answered 202), by type").tag("type", type)
        .register(registry).increment();
  }

  void rejected(Reason reason, int events) {
    rejectedCounter(reason).increment(Math.max(1, events));
  }

  private Counter rejectedCounter(Reason reason) {
    return Counter.builder(REJECTED).description("Events refused, by reason")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry);
  }
}
