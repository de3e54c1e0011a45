package no.followup.figures;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Time in project (Midt-Buskerud kept "Statistikk over brukere som aktivt er en del av prosjektet,
 * inkludert hvor lenge de har vært i prosjektet", project reports survey 2022): whole days from
 * the enrolment date to the exit date, or to the reporting date for someone still in the project,
 * as local dates in the reporting zone. A participant enrolled after the reporting date has no time
 * in project at that date.
 */
public final class TimeInProject {

  private TimeInProject() {}

  /** Days in project at {@code asOf}; null when not enrolled by then. */
  public static Long days(Instant enrolledAt, Instant exitedAt, Instant asOf, ZoneId zone) {
    if (enrolledAt == null || enrolledAt.isAfter(asOf)) {
      return null;
    }
    Instant end = exitedAt != null && !exitedAt.isAfter(asOf) ? exitedAt : asOf;
    return ChronoUnit.DAYS.between(LocalDate.ofInstant(enrolledAt, zone), LocalDate.ofInstant(end, zone));
  }

  /** Median and quartiles of a set of durations in days. */
  public record Distribution(int count, Double lowerQuartile, Double median, Double upperQuartile) {}

  /**
   * Quartiles by linear interpolation between closest ranks (the usual spreadsheet QUARTILE.INC /
   * R type 7 definition, so a project lead's spreadsheet gives the same figures); nulls when empty.
   */
  public static Distribution distribution(List<Long> days) {
    List<Long> sorted = new ArrayList<>(days);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      return new Distribution(0, null, null, null);
    }
    return new Distribution(sorted.size(), quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75));
  }

  private static double quantile(List<Long> sorted, double p) {
    double rank = p * (sorted.size() - 1);
    int below = (int) Math.floor(rank);
    int above = (int) Math.ceil(rank);
    return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
  }
}
