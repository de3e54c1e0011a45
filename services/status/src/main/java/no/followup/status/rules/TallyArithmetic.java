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
   * {@code base + delta} as of {@code today}, leaving out day counters outside the window: a day
   * before it is outside every window from now on, and its bucket is (or will be) pruned from state; a
   * day after tomorrow is no meeting outcome anyone recorded (nothing is recorded before it happens),
   * and no window would ever prune it, so such counters would grow a tally without bound. A day
   * counter never goes below zero: the add it would undo was left out.
   */
  public static Map<String, Long> add(Map<String, Long> base, Map<String, Long> delta, LocalDate today) {
    LocalDate windowStart = windowStart(today);
    LocalDate latestDay = today.plusDays(1);
    Map<String, Long> out = new TreeMap<>(base);
    delta.forEach((name, value) -> {
      LocalDate day = dayOf(name);
      if (day == null) {
        merge(out, name, value);
      } else if (!day.isBefore(windowStart) && !day.isAfter(latestDay)) {
        long sum = out.getOrDefault(name, 0L) + value;
        if (sum > 0) {
          out.put(name, sum);
        } else {
          out.remove(name);
        }
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
