package no.followup.status.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.events.FollowUpEvent;
import no.followup.status.ParticipantStatus;

/**
 * Figures as of a reporting date, from the events: each participant's status is folded again from their
 * kept events that occurred by the end of the date (in the service's zone). Events recorded later that
 * occurred after the date change nothing; a back-dated one (occurred by the date, recorded after it)
 * counts, and is counted in {@code recordedAfterTheDate}, so that the answer can say its figures differ
 * from what was known on the date. The cohort report, tallies and office lists as of a date all fold so.
 * An erasure removes the participant from every date too (erasure removes a person everywhere).
 */
public final class AsOf {

  /** The earliest date asked for: nothing the service follows up happened before (the intake's earliest timestamp). */
  public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

  /** One participant as of the date, and how many of the events folded were recorded after it. */
  public record Folded(ParticipantStatus status, long recordedAfterTheDate) {}

  private AsOf() {}

  /** The first instant after the reporting date {@code asOf} in {@code zone}. */
  public static Instant endOf(LocalDate asOf, ZoneId zone) {
    return asOf.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** The last instant of the date: "now" for the figures that count back from it (the last 30 days). */
  public static Instant lastInstantOf(LocalDate asOf, ZoneId zone) {
    return endOf(asOf, zone).minusMillis(1);
  }

  /**
   * {@code date}, given in query parameter {@code parameter}, when from {@link #EARLIEST} to {@code today};
   * otherwise an IllegalArgumentException naming the parameter. The bound keeps the work of an answer to
   * events that exist: a date before any or after today is a typo.
   */
  public static LocalDate checked(String parameter, LocalDate date, LocalDate today) {
    if (date.isBefore(EARLIEST) || date.isAfter(today)) {
      throw new IllegalArgumentException("query parameter '" + parameter + "' must be a date from " + EARLIEST
          + " to today (" + today + ")");
    }
    return date;
  }

  /** The participant as of {@code end} (exclusive); null when none of their events occurred before it. */
  public static Folded fold(String participantId, List<FollowUpEvent> events, Instant end) {
    List<FollowUpEvent> before = events.stream().filter(e -> e.getOccurredAt().isBefore(end)).toList();
    if (before.isEmpty()) {
      return null;
    }
    long recordedAfter = before.stream().filter(e -> !e.getRecordedAt().isBefore(end)).count();
    return new Folded(StatusRules.fold(participantId, before), recordedAfter);
  }

  /** A tally key's counters over the participants as of a date: the sum of each one's contribution to the key. */
  public static Map<String, Long> counters(String key, Collection<ParticipantStatus> statuses, LocalDate asOf,
      ZoneId zone) {
    Map<String, Long> sum = new TreeMap<>();
    for (ParticipantStatus status : statuses) {
      Map<String, Long> contribution = TallyContributions.contributions(status, zone).get(key);
      if (contribution != null) {
        sum = TallyArithmetic.add(sum, contribution, asOf);
      }
    }
    return sum;
  }

  /** Whether the participant counts in the tally of {@code key}. */
  public static boolean countsIn(String key, ParticipantStatus status, ZoneId zone) {
    return TallyContributions.contributions(status, zone).containsKey(key);
  }
}
