package no.followup.status.rules;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import no.followup.figures.RecentMeetings;

/** Sums and differences of named counters; a counter that comes out zero is removed. */
public final class TallyArithmetic {

  private TallyArithmetic() {}

  /** {@code a - b}, in no particular order (a delta, summed into sorted counters later). */
  public static Map<String, Long> subtract(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new HashMap<>(a);
    b.forEach((name, value) -> merge(out, name, -value));
    return out;
  }

  /**
   * {@code base + delta}, leaving out day counters older than {@code windowStart}: such a day is
   * outside every window from now on, and its bucket is (or will be) pruned from state.
   */
  public static Map<String, Long> add(Map<String, Long> base, Map<String, Long> delta, LocalDate windowStart) {
    Map<String, Long> out = new TreeMap<>(base);
    delta.forEach((name, value) -> {
      if (!isExpired(name, windowStart)) {
        merge(out, name, value);
      }
    });
    return out;
  }

  /**
   * Adds {@code delta} to {@code sum} in place, for summing many participants' deltas to one key
   * before they are sent on: a counter that comes out zero is removed, as in every other sum here.
   */
  public static void addTo(Map<String, Long> sum, Map<String, Long> delta) {
    delta.forEach((name, value) -> merge(sum, name, value));
  }

  /** {@code counters} without day counters older than {@code windowStart}. */
  public static Map<String, Long> prune(Map<String, Long> counters, LocalDate windowStart) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((name, value) -> {
      if (!isExpired(name, windowStart)) {
        out.put(name, value);
      }
    });
    return out;
  }

  public static boolean isExpired(String counterName, LocalDate windowStart) {
    LocalDate day = dayOf(counterName);
    return day != null && day.isBefore(windowStart);
  }

  /** The date of a per-day counter, null for other counters. */
  public static LocalDate dayOf(String counterName) {
    String date;
    if (counterName.startsWith(TallyContributions.DAY_ATTENDED)) {
      date = counterName.substring(TallyContributions.DAY_ATTENDED.length());
    } else if (counterName.startsWith(TallyContributions.DAY_MISSED)) {
      date = counterName.substring(TallyContributions.DAY_MISSED.length());
    } else {
      return null;
    }
    try {
      return LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static LocalDate windowStart(LocalDate today) {
    return RecentMeetings.windowStart(today);
  }

  private static void merge(Map<String, Long> out, String name, long value) {
    long sum = out.getOrDefault(name, 0L) + value;
    if (sum == 0) {
      out.remove(name);
    } else {
      out.put(name, sum);
    }
  }
}
