package no.followup.reminders;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The reminder rules and their settings. Every field has a default in {@link #defaults()}; the
 * README lists them.
 *
 * @param leadTime how long before a meeting the participant is reminded; whole days count as calendar
 *     days in the zone (default 24 h: the meeting's local time the day before, also across a
 *     daylight-saving change)
 * @param sameMorningReminder whether early meetings get a second reminder the same morning
 * @param sameMorningAt local time of the same-morning reminder (default 08:00)
 * @param earlyMeetingBefore a meeting starting before this local time counts as early (default 12:00)
 * @param quietHours when participants get no SMS (default 21:00-08:00 Europe/Oslo)
 * @param gracePeriod how long after a meeting's start attendance may go unrecorded before the
 *     coordinator gets a task (default 2 h)
 * @param missesBeforeHomeVisit consecutive missed meetings that trigger a home-visit task (default 2)
 * @param inactivityAfter no contact of any kind for this long gives an inactivity task (default 14 days)
 * @param monthlyReview whether the team lead gets a monthly review task per active participant
 * @param monthlyReviewDay day of month of the review task (1-28, default 1)
 * @param monthlyReviewAt local time of the review task (default 09:00)
 * @param historyCutoff a meeting whose grace period ended longer ago than this when its events are
 *     processed gets no task, and a timer that fires longer than this after it fell due (after an
 *     outage) is dropped unsent: replaying history or catching up must not flood coordinators
 *     (default 7 days)
 * @param meetingRetention finished meetings older than this are dropped from state (default 120 days)
 */
public record ReminderRules(
    Duration leadTime,
    boolean sameMorningReminder,
    LocalTime sameMorningAt,
    LocalTime earlyMeetingBefore,
    QuietHours quietHours,
    Duration gracePeriod,
    int missesBeforeHomeVisit,
    Duration inactivityAfter,
    boolean monthlyReview,
    int monthlyReviewDay,
    LocalTime monthlyReviewAt,
    Duration historyCutoff,
    Duration meetingRetention) {

  public static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  public ReminderRules {
    Objects.requireNonNull(leadTime, "leadTime");
    Objects.requireNonNull(sameMorningAt, "sameMorningAt");
    Objects.requireNonNull(earlyMeetingBefore, "earlyMeetingBefore");
    Objects.requireNonNull(quietHours, "quietHours");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(inactivityAfter, "inactivityAfter");
    Objects.requireNonNull(monthlyReviewAt, "monthlyReviewAt");
    Objects.requireNonNull(historyCutoff, "historyCutoff");
    Objects.requireNonNull(meetingRetention, "meetingRetention");
    if (leadTime.isNegative() || gracePeriod.isNegative() || historyCutoff.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (inactivityAfter.isZero() || inactivityAfter.isNegative()) {
      throw new IllegalArgumentException("inactivityAfter must be positive");
    }
    if (missesBeforeHomeVisit < 1) {
      throw new IllegalArgumentException("missesBeforeHomeVisit must be at least 1");
    }
    if (monthlyReviewDay < 1 || monthlyReviewDay > 28) {
      // 28 so that every month has the day
      throw new IllegalArgumentException("monthlyReviewDay must be 1-28");
    }
  }

  public static ReminderRules defaults() {
    return new ReminderRules(
        Duration.ofHours(24),
        false,
        LocalTime.of(8, 0),
        LocalTime.of(12, 0),
        new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), OSLO),
        Duration.ofHours(2),
        2,
        Duration.ofDays(14),
        false,
        1,
        LocalTime.of(9, 0),
        Duration.ofDays(7),
        Duration.ofDays(120));
  }

  public ZoneId zone() {
    return quietHours.zone();
  }

  public ReminderRules withLeadTime(Duration value) {
    return new ReminderRules(value, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        missesBeforeHomeVisit, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withSameMorningReminder(boolean enabled) {
    return new ReminderRules(leadTime, enabled, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        missesBeforeHomeVisit, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withQuietHours(QuietHours value) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, value, gracePeriod,
        missesBeforeHomeVisit, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withGracePeriod(Duration value) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, value,
        missesBeforeHomeVisit, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withMissesBeforeHomeVisit(int value) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        value, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff, meetingRetention);
  }

  public ReminderRules withInactivityAfter(Duration value) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        missesBeforeHomeVisit, value, monthlyReview, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withMonthlyReview(boolean enabled) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        missesBeforeHomeVisit, inactivityAfter, enabled, monthlyReviewDay, monthlyReviewAt, historyCutoff,
        meetingRetention);
  }

  public ReminderRules withHistoryCutoff(Duration value) {
    return new ReminderRules(leadTime, sameMorningReminder, sameMorningAt, earlyMeetingBefore, quietHours, gracePeriod,
        missesBeforeHomeVisit, inactivityAfter, monthlyReview, monthlyReviewDay, monthlyReviewAt, value,
        meetingRetention);
  }
}
