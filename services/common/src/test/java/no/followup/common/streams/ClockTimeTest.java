package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ClockTimeTest {

  static final Clock DAY_BEHIND = Clock.offset(Clock.systemUTC(), Duration.ofDays(-1));

  @Test
  void millisecondsAreTheClocks() {
    Instant at = Instant.parse("2026-03-29T00:59:59.123Z");
    assertThat(new ClockTime(Clock.fixed(at, ZoneOffset.UTC)).milliseconds()).isEqualTo(at.toEpochMilli());

    ClockTime behind = new ClockTime(DAY_BEHIND);
    long before = System.currentTimeMillis();
    long shifted = behind.milliseconds();
    long after = System.currentTimeMillis();
    assertThat(shifted).isBetween(before - Duration.ofDays(1).toMillis(), after - Duration.ofDays(1).toMillis());
  }

  @Test
  void nanosecondsMeasureRealElapsedTimeEvenWhenTheClockStandsStill() {
    ClockTime standingStill = new ClockTime(Clock.fixed(Instant.parse("2026-10-25T01:30:00Z"), ZoneOffset.UTC));
    long start = standingStill.nanoseconds();
    standingStill.sleep(20);
    assertThat(standingStill.nanoseconds() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    assertThat(standingStill.milliseconds()).isEqualTo(Instant.parse("2026-10-25T01:30:00Z").toEpochMilli());
  }

  @Test
  void anInterruptedSleepReturnsAtOnceAndKeepsTheInterruptFlag() {
    ClockTime time = new ClockTime(Clock.systemUTC());
    Thread.currentThread().interrupt();
    long start = System.nanoTime();
    time.sleep(Duration.ofMinutes(1).toMillis());
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(Thread.interrupted()).as("interrupt flag kept (and cleared here)").isTrue();
  }

  @Test
  void waitObjectReturnsWhenTheConditionAlreadyHolds() throws InterruptedException {
    new ClockTime(DAY_BEHIND).waitObject(new Object(), () -> true, 0);
  }

  @Test
  void waitObjectTimesOutOnceTheDeadlineOnTheClockHasPassed() {
    ClockTime time = new ClockTime(DAY_BEHIND);
    long deadline = time.milliseconds() + 50;
    long start = System.nanoTime();
    assertThatThrownBy(() -> time.waitObject(new Object(), () -> false, deadline))
        .isInstanceOf(TimeoutException.class);
    // it waited for the deadline rather than failing at once (a deadline read against the system
    // time would be a day past); not the full 50 ms of System.nanoTime(): the clock counts whole
    // milliseconds, so the deadline may lie up to 1 ms nearer, and the wall clock and nanoTime are
    // different clocks (one measured run waited 49.87 ms)
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
  }

  @Test
  void waitObjectReadsTheDeadlineOnTheClockAndWakesWhenNotified() throws InterruptedException {
    // a deadline a few seconds ahead on a clock a day behind: read against the system time it
    // would have passed a day ago and the wait would fail at once
    ClockTime time = new ClockTime(DAY_BEHIND);
    Object lock = new Object();
    AtomicBoolean ready = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long deadline = time.milliseconds() + Duration.ofSeconds(30).toMillis();
    Thread waiter = new Thread(() -> {
      try {
        time.waitObject(lock, ready::get, deadline);
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "clock-time-waiter");
    waiter.start();
    while (waiter.isAlive() && waiter.getState() != Thread.State.TIMED_WAITING) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    synchronized (lock) {
      ready.set(true);
      lock.notifyAll();
    }
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(waiter.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
  }
}
