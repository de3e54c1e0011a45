package no.followup.reminders;

import static no.followup.reminders.TopologyHarness.oslo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

  final QuietHours quiet = ReminderRules.defaults().quietHours();

  @Test
  void defaultQuietHoursAreNinePmToEightAmOsloTime() {
    assertThat(quiet.contains(oslo("2025-03-05T20:59:59"))).isFalse();
    assertThat(quiet.contains(oslo("2025-03-05T21:00"))).isTrue();
    assertThat(quiet.contains(oslo("2025-03-06T03:00"))).isTrue();
    assertThat(quiet.contains(oslo("2025-03-06T07:59:59"))).isTrue();
    assertThat(quiet.contains(oslo("2025-03-06T08:00"))).isFalse();
  }

  @Test
  void endAndStartOfThePeriodAcrossMidnight() {
    assertThat(quiet.endOfPeriod(oslo("2025-03-05T22:30"))).isEqualTo(oslo("2025-03-06T08:00"));
    assertThat(quiet.endOfPeriod(oslo("2025-03-06T05:00"))).isEqualTo(oslo("2025-03-06T08:00"));
    assertThat(quiet.startOfPeriod(oslo("2025-03-05T22:30"))).isEqualTo(oslo("2025-03-05T21:00"));
    assertThat(quiet.startOfPeriod(oslo("2025-03-06T05:00"))).isEqualTo(oslo("2025-03-05T21:00"));
  }

  @Test
  void theNightSummerTimeStartsIsAnHourShorter() {
    Instant end = quiet.endOfPeriod(oslo("2025-03-29T23:00"));
    assertThat(end).isEqualTo(Instant.parse("2025-03-30T06:00:00Z")); // 08:00 CEST
    assertThat(Duration.between(quiet.startOfPeriod(oslo("2025-03-29T23:00")), end)).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void adjustSaysWhichWayItMoved() {
    assertThat(quiet.adjust(oslo("2025-03-05T12:00"), oslo("2025-03-06T12:00")))
        .isEqualTo(new QuietHours.Adjusted(oslo("2025-03-05T12:00"), QuietHours.Adjustment.NONE));
    assertThat(quiet.adjust(oslo("2025-03-05T06:00"), oslo("2025-03-05T09:00")))
        .isEqualTo(new QuietHours.Adjusted(oslo("2025-03-05T08:00"), QuietHours.Adjustment.END_OF_QUIET_HOURS));
    assertThat(quiet.adjust(oslo("2025-03-05T06:00"), oslo("2025-03-05T08:00")))
        .as("the end of quiet hours must be strictly before the meeting")
        .isEqualTo(new QuietHours.Adjusted(oslo("2025-03-04T21:00"), QuietHours.Adjustment.START_OF_QUIET_HOURS));
  }

  @Test
  void equalStartAndEndMeansNoQuietHours() {
    QuietHours none = QuietHours.none(ReminderRules.OSLO);
    assertThat(none.enabled()).isFalse();
    assertThat(none.contains(oslo("2025-03-05T03:00"))).isFalse();
  }

  @Test
  void aPeriodWithinOneDayWorksToo() {
    QuietHours lunch = new QuietHours(LocalTime.of(11, 30), LocalTime.of(12, 30), ReminderRules.OSLO);
    assertThat(lunch.contains(oslo("2025-03-05T11:45"))).isTrue();
    assertThat(lunch.contains(oslo("2025-03-05T12:30"))).isFalse();
    assertThat(lunch.endOfPeriod(oslo("2025-03-05T11:45"))).isEqualTo(oslo("2025-03-05T12:30"));
  }

  @Test
  void plannerSkipsTheSameMorningReminderWhenTheFirstIsOnTheSameDay() {
    ReminderPlanner planner = new ReminderPlanner(ReminderRules.defaults().withSameMorningReminder(true)
        .withLeadTime(Duration.ofHours(2)));
    List<ReminderPlanner.Planned> planned = planner.beforeMeeting(oslo("2025-03-06T11:00"), oslo("2025-03-03T10:00"));
    assertThat(planned).extracting(ReminderPlanner.Planned::kind).containsExactly(ReminderKind.MEETING_REMINDER);
  }

  @Test
  void monthlyReviewIsTheConfiguredDayOfTheNextMonthWhenThisMonthsHasPassed() {
    ReminderPlanner planner = new ReminderPlanner(ReminderRules.defaults());
    assertThat(planner.nextMonthlyReview(oslo("2025-03-01T08:59"))).isEqualTo(oslo("2025-03-01T09:00"));
    assertThat(planner.nextMonthlyReview(oslo("2025-03-01T09:00"))).isEqualTo(oslo("2025-04-01T09:00"));
    assertThat(planner.nextMonthlyReview(oslo("2025-12-15T12:00"))).isEqualTo(oslo("2026-01-01T09:00"));
  }
}
