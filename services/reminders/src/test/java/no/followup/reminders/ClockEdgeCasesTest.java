package no.followup.reminders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import no.followup.reminders.QuietHours.Adjustment;
import no.followup.reminders.ReminderPlanner.Planned;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reminder times at the edges of the clock in Europe/Oslo: the quiet-hours boundaries, the two
 * daylight-saving nights of 2026 (29 March 02:00 → 03:00, a 23-hour day; 25 October 03:00 →
 * 02:00, a 25-hour day), the 24 h lead time and the monthly review across them, and the
 * same-morning reminder on a transition day. Times are written with their UTC offset, so every
 * expected value is one exact instant.
 */
class ClockEdgeCasesTest {

  static final ReminderPlanner PLANNER = new ReminderPlanner(ReminderRules.defaults());
  /** Long before every meeting below, so no reminder is late. */
  static final Instant BOOKED_EARLY = at("2026-01-05T12:00+01:00");

  static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  static Planned reminder(String dueAt, Adjustment adjustment) {
    return new Planned(ReminderKind.MEETING_REMINDER, at(dueAt), adjustment);
  }

  @Nested
  class QuietHoursBoundaries {

    @ParameterizedTest(name = "meeting {0}: reminder {1} ({2})")
    @CsvSource({
        // due 20:59: the last minute before quiet hours
        "2026-02-11T20:59+01:00, 2026-02-10T20:59+01:00, NONE",
        // due 21:00: quiet, so 08:00 the next morning, still before the meeting
        "2026-02-11T21:00+01:00, 2026-02-11T08:00+01:00, END_OF_QUIET_HOURS",
        // due 07:59: quiet, so 08:00 the same morning
        "2026-02-11T07:59+01:00, 2026-02-10T08:00+01:00, END_OF_QUIET_HOURS",
        // due 08:00: quiet hours are over
        "2026-02-11T08:00+01:00, 2026-02-10T08:00+01:00, NONE",
    })
    void theReminderBeforeAMeetingAtEachBoundary(String meeting, String expected, Adjustment adjustment) {
      assertThat(PLANNER.beforeMeeting(at(meeting), BOOKED_EARLY)).containsExactly(reminder(expected, adjustment));
    }

    @ParameterizedTest(name = "booked {0}: reminder {1} ({2})")
    @CsvSource({
        "2026-02-10T20:59+01:00, 2026-02-10T20:59+01:00, NONE",
        "2026-02-10T21:00+01:00, 2026-02-11T08:00+01:00, END_OF_QUIET_HOURS",
        "2026-02-11T07:59+01:00, 2026-02-11T08:00+01:00, END_OF_QUIET_HOURS",
        "2026-02-11T08:00+01:00, 2026-02-11T08:00+01:00, NONE",
    })
    void aMeetingBookedAtShortNoticeAtEachBoundary(String bookedAt, String expected, Adjustment adjustment) {
      assertThat(PLANNER.beforeMeeting(at("2026-02-11T10:00+01:00"), at(bookedAt))).containsExactly(reminder(expected, adjustment));
    }

    @Test
    void whenTheEndOfQuietHoursIsNotBeforeTheMeetingTheReminderGoesOutAtTheirStart() {
      ReminderPlanner twoHoursAhead = new ReminderPlanner(ReminderRules.defaults().withLeadTime(Duration.ofHours(2)));
      assertThat(twoHoursAhead.beforeMeeting(at("2026-02-11T08:00+01:00"), BOOKED_EARLY))
          .containsExactly(reminder("2026-02-10T21:00+01:00", Adjustment.START_OF_QUIET_HOURS));
      assertThat(twoHoursAhead.beforeMeeting(at("2026-02-11T08:01+01:00"), BOOKED_EARLY))
          .containsExactly(reminder("2026-02-11T08:00+01:00", Adjustment.END_OF_QUIET_HOURS));
    }
  }

  @Nested
  class DaylightSavingNights {

    final QuietHours quiet = ReminderRules.defaults().quietHours();

    @Test
    void theSpringNightIsTenHoursLongAndEndsAtEightSummerTime() {
      Instant inTheNight = at("2026-03-29T01:30+01:00");
      assertThat(quiet.startOfPeriod(inTheNight)).isEqualTo(at("2026-03-28T21:00+01:00"));
      assertThat(quiet.endOfPeriod(inTheNight)).isEqualTo(at("2026-03-29T08:00+02:00"));
      assertThat(Duration.between(quiet.startOfPeriod(inTheNight), quiet.endOfPeriod(inTheNight))).isEqualTo(Duration.ofHours(10));
      assertThat(quiet.contains(at("2026-03-29T03:00+02:00"))).isTrue();
      assertThat(quiet.contains(at("2026-03-29T07:59+02:00"))).isTrue();
      assertThat(quiet.contains(at("2026-03-29T08:00+02:00"))).isFalse();
    }

    @Test
    void theAutumnNightIsTwelveHoursLongAndItsRepeatedHourIsQuietBothTimes() {
      Instant firstHalfPastTwo = at("2026-10-25T02:30+02:00");
      Instant secondHalfPastTwo = at("2026-10-25T02:30+01:00");
      for (Instant t : new Instant[] {firstHalfPastTwo, secondHalfPastTwo}) {
        assertThat(quiet.contains(t)).isTrue();
        assertThat(quiet.startOfPeriod(t)).isEqualTo(at("2026-10-24T21:00+02:00"));
        assertThat(quiet.endOfPeriod(t)).isEqualTo(at("2026-10-25T08:00+01:00"));
      }
      assertThat(Duration.between(at("2026-10-24T21:00+02:00"), at("2026-10-25T08:00+01:00"))).isEqualTo(Duration.ofHours(12));
      assertThat(quiet.contains(at("2026-10-25T07:59+01:00"))).isTrue();
      assertThat(quiet.contains(at("2026-10-25T08:00+01:00"))).isFalse();
    }

    @Test
    void bookedInTheSpringNightTheReminderGoesOutAtEightSummerTime() {
      assertThat(PLANNER.beforeMeeting(at("2026-03-29T11:00+02:00"), at("2026-03-28T22:00+01:00")))
          .containsExactly(reminder("2026-03-29T08:00+02:00", Adjustment.END_OF_QUIET_HOURS));
    }

    @Test
    void bookedInTheRepeatedAutumnHourTheReminderGoesOutAtEightWinterTime() {
      assertThat(PLANNER.beforeMeeting(at("2026-10-25T11:00+01:00"), at("2026-10-25T02:30+01:00")))
          .containsExactly(reminder("2026-10-25T08:00+01:00", Adjustment.END_OF_QUIET_HOURS));
    }
  }

  /**
   * The lead time's whole days are calendar days: a 24 h reminder is at the meeting's local time the
   * day before, which is 23 real hours before a meeting on the spring transition day and 25 before
   * one on the autumn transition day. What remains of a lead time is real time.
   */
  @Nested
  class LeadTimeAcrossADaylightSavingChange {

    @Test
    void springADayAheadIsTheSameLocalTimeTwentyThreeHoursBefore() {
      Instant meeting = at("2026-03-29T10:00+02:00");
      assertThat(PLANNER.beforeMeeting(meeting, BOOKED_EARLY)).containsExactly(reminder("2026-03-28T10:00+01:00", Adjustment.NONE));
      assertThat(Duration.between(PLANNER.leadTimeBefore(meeting), meeting)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void autumnADayAheadIsTheSameLocalTimeTwentyFiveHoursBefore() {
      Instant meeting = at("2026-10-25T10:00+01:00");
      assertThat(PLANNER.beforeMeeting(meeting, BOOKED_EARLY)).containsExactly(reminder("2026-10-24T10:00+02:00", Adjustment.NONE));
      assertThat(Duration.between(PLANNER.leadTimeBefore(meeting), meeting)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void aLocalTimeTheSpringNightSkipsMovesOnByTheSkippedHour() {
      assertThat(PLANNER.leadTimeBefore(at("2026-03-30T02:30+02:00"))).isEqualTo(at("2026-03-29T03:30+02:00"));
    }

    @Test
    void aLocalTimeTheAutumnNightRepeatsKeepsTheMeetingsOffset() {
      assertThat(PLANNER.leadTimeBefore(at("2026-10-26T02:30+01:00"))).isEqualTo(at("2026-10-25T02:30+01:00"));
    }

    @Test
    void hoursOfALeadTimeAreRealHours() {
      ReminderPlanner twoHoursAhead = new ReminderPlanner(ReminderRules.defaults().withLeadTime(Duration.ofHours(2)));
      assertThat(twoHoursAhead.leadTimeBefore(at("2026-03-29T04:00+02:00"))).isEqualTo(at("2026-03-29T01:00+01:00"));
      assertThat(twoHoursAhead.leadTimeBefore(at("2026-10-25T03:00+01:00"))).isEqualTo(at("2026-10-25T02:00+02:00"));
      ReminderPlanner dayAndAHalfAhead = new ReminderPlanner(ReminderRules.defaults().withLeadTime(Duration.ofHours(36)));
      assertThat(dayAndAHalfAhead.leadTimeBefore(at("2026-03-30T10:00+02:00"))).isEqualTo(at("2026-03-28T21:00+01:00"));
    }
  }

  @Nested
  class MonthlyReviewAcrossADaylightSavingChange {

    static ReminderPlanner reviewOn(int day, LocalTime at) {
      ReminderRules d = ReminderRules.defaults();
      return new ReminderPlanner(new ReminderRules(d.leadTime(), d.sameMorningReminder(), d.sameMorningAt(), d.earlyMeetingBefore(),
          d.quietHours(), d.gracePeriod(), d.missesBeforeHomeVisit(), d.inactivityAfter(), true, day, at, d.historyCutoff(),
          d.meetingRetention()));
    }

    @Test
    void theReviewKeepsItsLocalTimeAcrossBothChanges() {
      assertThat(PLANNER.nextMonthlyReview(at("2026-03-15T12:00+01:00"))).isEqualTo(at("2026-04-01T09:00+02:00"));
      assertThat(PLANNER.nextMonthlyReview(at("2026-10-15T12:00+02:00"))).isEqualTo(at("2026-11-01T09:00+01:00"));
    }

    @Test
    void aReviewInTheRepeatedAutumnHourComesOnceAtItsFirstOccurrence() {
      ReminderPlanner planner = reviewOn(25, LocalTime.of(2, 30));
      Instant first = planner.nextMonthlyReview(at("2026-10-01T12:00+02:00"));
      assertThat(first).isEqualTo(at("2026-10-25T02:30+02:00"));
      assertThat(planner.nextMonthlyReview(first)).isEqualTo(at("2026-11-25T02:30+01:00"));
    }

    @Test
    void aReviewInTheSkippedSpringHourComesAnHourLater() {
      // 28 March 2027 is the spring transition day
      assertThat(reviewOn(28, LocalTime.of(2, 30)).nextMonthlyReview(at("2027-03-01T12:00+01:00")))
          .isEqualTo(at("2027-03-28T03:30+02:00"));
    }
  }

  @Nested
  class SameMorningOnATransitionDay {

    final ReminderPlanner planner = new ReminderPlanner(ReminderRules.defaults().withSameMorningReminder(true));

    @Test
    void springTheSecondReminderIsAtEightSummerTime() {
      assertThat(planner.beforeMeeting(at("2026-03-29T09:00+02:00"), BOOKED_EARLY)).containsExactly(
          reminder("2026-03-28T09:00+01:00", Adjustment.NONE),
          new Planned(ReminderKind.MEETING_REMINDER_SAME_MORNING, at("2026-03-29T08:00+02:00"), Adjustment.NONE));
    }

    @Test
    void autumnTheSecondReminderIsAtEightWinterTime() {
      assertThat(planner.beforeMeeting(at("2026-10-25T09:00+01:00"), BOOKED_EARLY)).containsExactly(
          reminder("2026-10-24T09:00+02:00", Adjustment.NONE),
          new Planned(ReminderKind.MEETING_REMINDER_SAME_MORNING, at("2026-10-25T08:00+01:00"), Adjustment.NONE));
    }

    @Test
    void bookedInTheNightForTheSameMorningThereIsOneReminderWhenQuietHoursEnd() {
      assertThat(planner.beforeMeeting(at("2026-03-29T11:00+02:00"), at("2026-03-29T03:30+02:00")))
          .containsExactly(reminder("2026-03-29T08:00+02:00", Adjustment.END_OF_QUIET_HOURS));
    }
  }

  /**
   * The same rules end to end, with timers firing from the topology's wall clock. Each harness is
   * closed by the test that made it: TopologyTestDriver locks its state to the creating thread.
   */
  @Nested
  class ThroughTheTopology {

    @TempDir Path stateDir;

    @Test
    void aDayAheadOfAMeetingOnTheSpringTransitionDayFiresAtTenWinterTime() {
      try (TopologyHarness h = new TopologyHarness(ReminderRules.defaults(), at("2026-03-27T12:00+01:00"), stateDir)) {
        h.schedule("p-001", "m1", at("2026-03-29T10:00+02:00"));
        h.advanceTo(at("2026-03-28T09:59:59+01:00"));
        assertThat(h.drain()).isEmpty();
        h.advanceTo(at("2026-03-28T10:00:01+01:00"));
        assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getDueAt)
            .containsExactly(tuple(ReminderKind.MEETING_REMINDER, at("2026-03-28T10:00+01:00")));
      }
    }

    @Test
    void aDayAheadOfAMeetingOnTheAutumnTransitionDayFiresAtTenSummerTime() {
      try (TopologyHarness h = new TopologyHarness(ReminderRules.defaults(), at("2026-10-23T12:00+02:00"), stateDir)) {
        h.schedule("p-001", "m1", at("2026-10-25T10:00+01:00"));
        h.advanceTo(at("2026-10-24T09:59:59+02:00"));
        assertThat(h.drain()).isEmpty();
        h.advanceTo(at("2026-10-24T10:00:01+02:00"));
        assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getDueAt)
            .containsExactly(tuple(ReminderKind.MEETING_REMINDER, at("2026-10-24T10:00+02:00")));
      }
    }

    @Test
    void theMonthlyReviewAfterTheSpringChangeFiresAtNineSummerTime() {
      try (TopologyHarness h = new TopologyHarness(ReminderRules.defaults().withMonthlyReview(true).withInactivityAfter(Duration.ofDays(400)),
          at("2026-03-28T12:00+01:00"), stateDir)) {
        h.enrol("p-001");
        h.advanceTo(at("2026-04-01T08:59:59+02:00"));
        assertThat(h.drain()).isEmpty();
        h.advanceTo(at("2026-04-01T09:00:01+02:00"));
        assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getDueAt)
            .containsExactly(tuple(ReminderKind.MONTHLY_REVIEW, at("2026-04-01T09:00+02:00")));
      }
    }
  }
}
