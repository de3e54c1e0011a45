package no.followup.reminders;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When reminders are due: pure time arithmetic on the rules, no state. */
final class ReminderPlanner {

  /** A participant reminder to schedule. */
  record Planned(ReminderKind kind, Instant dueAt, QuietHours.Adjustment adjustment) {}

  private final ReminderRules rules;

  ReminderPlanner(ReminderRules rules) {
    this.rules = rules;
  }

  /**
   * The participant reminders before a meeting starting at {@code meetingStart}, seen at {@code now}.
   * None when the meeting has started. When the lead-time moment has already passed (a meeting
   * booked at short notice) the reminder goes out now, unless now is in quiet hours and their end
   * comes too late: then there is no reminder (an SMS in the night helps nobody).
   */
  List<Planned> beforeMeeting(Instant meetingStart, Instant now) {
    List<Planned> planned = new ArrayList<>();
    if (!meetingStart.isAfter(now)) {
      return planned;
    }
    Optional<Planned> main = sendable(ReminderKind.MEETING_REMINDER, leadTimeBefore(meetingStart), meetingStart, now, true);
    main.ifPresent(planned::add);
    if (rules.sameMorningReminder()) {
      ZonedDateTime localStart = meetingStart.atZone(rules.zone());
      if (localStart.toLocalTime().isBefore(rules.earlyMeetingBefore())) {
        Instant morning = ZonedDateTime.of(localStart.toLocalDate(), rules.sameMorningAt(), rules.zone()).toInstant();
        // only a second reminder: when the first one went out on an earlier day
        boolean firstOnEarlierDay = main.isPresent()
            && main.get().dueAt().atZone(rules.zone()).toLocalDate().isBefore(localStart.toLocalDate());
        if (firstOnEarlierDay) {
          sendable(ReminderKind.MEETING_REMINDER_SAME_MORNING, morning, meetingStart, now, false).ifPresent(planned::add);
        }
      }
    }
    return planned;
  }

  /**
   * The moment the lead time before a meeting. Whole days of the lead time count as calendar days in
   * the rules' zone, the rest as real time: a participant told "tomorrow at 10:00" expects the
   * reminder at 10:00 the day before, so the default 24 h is the meeting's local time the day
   * before, which across a daylight-saving change is 23 or 25 real hours ahead. A local time the
   * spring night skips moves on by the skipped hour.
   */
  Instant leadTimeBefore(Instant meetingStart) {
    long days = rules.leadTime().toDays();
    Duration rest = rules.leadTime().minusDays(days);
    return meetingStart.atZone(rules.zone()).minusDays(days).toInstant().minus(rest);
  }

  private Optional<Planned> sendable(ReminderKind kind, Instant due, Instant meetingStart, Instant now, boolean sendNowIfLate) {
    QuietHours quiet = rules.quietHours();
    QuietHours.Adjusted adjusted = quiet.adjust(due, meetingStart);
    Instant at = adjusted.at();
    QuietHours.Adjustment how = adjusted.adjustment();
    if (at.isBefore(now)) {
      if (!sendNowIfLate) {
        return Optional.empty();
      }
      QuietHours.Adjusted fromNow = quiet.adjust(now, meetingStart);
      if (fromNow.adjustment() == QuietHours.Adjustment.START_OF_QUIET_HOURS) {
        return Optional.empty(); // the start of this quiet period has passed
      }
      at = fromNow.at();
      how = fromNow.adjustment();
    }
    if (!at.isBefore(meetingStart)) {
      return Optional.empty();
    }
    return Optional.of(new Planned(kind, at, how));
  }

  /** When the coordinator is told no attendance was recorded. */
  Instant attendanceCheck(Instant meetingStart) {
    return meetingStart.plus(rules.gracePeriod());
  }

  /** True when something that was due at {@code due} is too old to act on at {@code now}. */
  boolean stale(Instant due, Instant now) {
    return due.isBefore(now.minus(rules.historyCutoff()));
  }

  Instant inactivityDue(Instant lastContact) {
    return lastContact.plus(rules.inactivityAfter());
  }

  /** The next monthly review moment strictly after {@code now}. */
  Instant nextMonthlyReview(Instant now) {
    ZonedDateTime local = now.atZone(rules.zone());
    YearMonth month = YearMonth.from(local);
    for (int i = 0; i < 3; i++) {
      LocalDate day = month.plusMonths(i).atDay(rules.monthlyReviewDay());
      Instant candidate = ZonedDateTime.of(day, rules.monthlyReviewAt(), rules.zone()).toInstant();
      if (candidate.isAfter(now)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no monthly review moment found"); // unreachable: some month ahead always qualifies
  }
}
