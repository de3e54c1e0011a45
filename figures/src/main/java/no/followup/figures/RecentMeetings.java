package no.followup.figures;

import java.time.LocalDate;

/**
 * "Meetings in the last 30 days": outcomes (attended, missed) recorded on today's local date and the
 * 29 before it, in the reporting zone.
 */
public final class RecentMeetings {

  public static final int WINDOW_DAYS = 30;

  private RecentMeetings() {}

  /** The first day of the window that ends {@code today}. */
  public static LocalDate windowStart(LocalDate today) {
    return today.minusDays(WINDOW_DAYS - 1L);
  }

  /** Whether an outcome on {@code day} is in the window that ends {@code today}. */
  public static boolean inWindow(LocalDate day, LocalDate today) {
    return !day.isBefore(windowStart(today)) && !day.isAfter(today);
  }
}
