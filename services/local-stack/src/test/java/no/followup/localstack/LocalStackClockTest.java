package no.followup.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalStackClockTest {

  @Test
  void clockAtReadsTheLatestGivenOsloTimeWhateverTheMachineHour() {
    // 03:00 in Oslo on 1 December (UTC+1): the latest midday was the day before; never ahead, as
    // the broker refuses records stamped more than an hour ahead of its clock
    Clock night = Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC);
    assertThat(LocalStack.clockAt(LocalTime.NOON, night).instant()).isEqualTo(Instant.parse("2026-11-30T11:00:00Z"));
  }

  @Test
  void clockAtFollowsSummerTime() {
    // 23:30 in Oslo on 1 July (UTC+2) is still 1 July there: midday was earlier the same day
    Clock lateEvening = Clock.fixed(Instant.parse("2026-07-01T21:30:00Z"), ZoneOffset.UTC);
    assertThat(LocalStack.clockAt(LocalTime.NOON, lateEvening).instant()).isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
  }

  @Test
  void clockAtTicksOnWithTheClockItShifts() {
    MovableClock machine = new MovableClock(Instant.parse("2026-12-01T02:00:00Z"));
    Clock midday = LocalStack.clockAt(LocalTime.NOON, machine);
    machine.now = machine.now.plus(Duration.ofMinutes(5));
    assertThat(midday.instant()).isEqualTo(Instant.parse("2026-11-30T11:05:00Z"));
  }

  /** The machine's clock, moved by hand. */
  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
