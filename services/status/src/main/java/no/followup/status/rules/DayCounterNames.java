package no.followup.status.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The day counters a meeting outcome counts in ({@link TallyContributions#DAY_ATTENDED},
 * {@link TallyContributions#DAY_MISSED} + its local date), made once per date and zone.
 *
 * <p>Why kept: the count works out the counters of every changed participant twice (before and
 * after), each with up to {@link StatusRules#MAX_LISTED_MEETINGS} meetings, and a profile at 100
 * events per participant had building these names (local date, its text, the concatenation) among
 * the stream thread's heaviest work. The names of a date never change, and a count meets few
 * distinct dates. The map is cleared when it reaches {@link #MAX_DATES}, so it stays bounded
 * whatever dates arrive; no cache library is on the path for so small a job.
 */
record DayCounterNames(String attended, String missed) {

  static final int MAX_DATES = 4096;

  private record DateInZone(ZoneId zone, long epochDay) {}

  private static final Map<DateInZone, DayCounterNames> NAMES = new ConcurrentHashMap<>();

  /** The names for the local date of {@code at} in {@code zone}. */
  static DayCounterNames of(Instant at, ZoneId zone) {
    long offsetSeconds = zone.getRules().getOffset(at).getTotalSeconds();
    long epochDay = Math.floorDiv(at.getEpochSecond() + offsetSeconds, 86_400L);
    DateInZone key = new DateInZone(zone, epochDay);
    DayCounterNames names = NAMES.get(key);
    if (names == null) {
      if (NAMES.size() >= MAX_DATES) {
        NAMES.clear();
      }
      String date = LocalDate.ofEpochDay(epochDay).toString();
      names = new DayCounterNames(TallyContributions.DAY_ATTENDED + date, TallyContributions.DAY_MISSED + date);
      NAMES.put(key, names);
    }
    return names;
  }
}
