package no.followup.reminders;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Hours of the day when participants get no SMS, in a time zone (default 21:00-08:00 Europe/Oslo).
 * The period may wrap midnight; {@code start == end} means no quiet hours.
 *
 * <p>A reminder due inside quiet hours moves to the end of that quiet period when that is still
 * before the meeting (the participant reads it in the morning), otherwise to its start (the last
 * moment before quiet hours that still comes before the meeting).
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

  public QuietHours {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(zone, "zone");
  }

  public static QuietHours none(ZoneId zone) {
    return new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, zone);
  }

  public boolean enabled() {
    return !start.equals(end);
  }

  private boolean wrapsMidnight() {
    return start.isAfter(end);
  }

  public boolean contains(Instant t) {
    if (!enabled()) {
      return false;
    }
    LocalTime local = t.atZone(zone).toLocalTime();
    boolean afterStart = !local.isBefore(start);
    boolean beforeEnd = local.isBefore(end);
    return wrapsMidnight() ? afterStart || beforeEnd : afterStart && beforeEnd;
  }

  /** End of the quiet period containing {@code t}; only meaningful when {@link #contains(Instant)}. */
  public Instant endOfPeriod(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalDate day = local.toLocalDate();
    if (wrapsMidnight() && !local.toLocalTime().isBefore(start)) {
      day = day.plusDays(1);
    }
    return ZonedDateTime.of(day, end, zone).toInstant();
  }

  /** Start of the quiet period containing {@code t}; only meaningful when {@link #contains(Instant)}. */
  public Instant startOfPeriod(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalDate day = local.toLocalDate();
    if (wrapsMidnight() && local.toLocalTime().isBefore(end)) {
      day = day.minusDays(1);
    }
    return ZonedDateTime.of(day, start, zone).toInstant();
  }

  /** Which way a reminder due in quiet hours was moved. */
  public enum Adjustment { NONE, END_OF_QUIET_HOURS, START_OF_QUIET_HOURS }

  /** The time a reminder due at {@code due} for a meeting at {@code meetingStart} goes out, and why. */
  public record Adjusted(Instant at, Adjustment adjustment) {}

  public Adjusted adjust(Instant due, Instant meetingStart) {
    if (!contains(due)) {
      return new Adjusted(due, Adjustment.NONE);
    }
    Instant periodEnd = endOfPeriod(due);
    if (periodEnd.isBefore(meetingStart)) {
      return new Adjusted(periodEnd, Adjustment.END_OF_QUIET_HOURS);
    }
    return new Adjusted(startOfPeriod(due), Adjustment.START_OF_QUIET_HOURS);
  }
}
