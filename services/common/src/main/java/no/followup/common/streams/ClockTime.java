package no.followup.common.streams;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's {@link Time} read from a {@link Clock}, so that a Kafka Streams application
 * ({@code new KafkaStreams(topology, props, time)}) sees the wall clock a caller chose: its
 * wall-clock punctuations and {@code currentSystemTimeMs()} follow the clock. With
 * {@link Clock#systemUTC()} it behaves like Kafka's own {@code SystemTime}.
 *
 * <p>The clock must move forward: Streams also times its commits and polls with
 * {@link #milliseconds()}, so a {@link Clock#fixed fixed} clock would stop them. An
 * {@link Clock#offset offset} clock (e.g. "the system time, moved to 22:00") is what it is for.
 */
public final class ClockTime implements Time {

  private final Clock clock;

  public ClockTime(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public long milliseconds() {
    return clock.millis();
  }

  /**
   * {@link System#nanoTime()}, not shifted by the clock's offset. Its origin is arbitrary and Kafka
   * only ever subtracts two readings of it (latencies, elapsed time), never compares it with
   * {@link #milliseconds()}; those intervals must be real elapsed time whatever the wall clock says.
   */
  @Override
  public long nanoseconds() {
    return System.nanoTime();
  }

  /** Sleeps for real time, waking early (interrupt flag kept) when interrupted, as {@code SystemTime} does. */
  @Override
  public void sleep(long ms) {
    Utils.sleep(ms);
  }

  /**
   * As {@code SystemTime}: waits on {@code obj} until {@code condition} holds. {@code deadlineMs} is
   * read against {@link #milliseconds()}, because callers computed it from this clock.
   *
   * @throws TimeoutException when the deadline passes first
   */
  @Override
  public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) throws InterruptedException {
    synchronized (obj) {
      while (true) {
        if (condition.get()) {
          return;
        }
        long currentTimeMs = milliseconds();
        if (currentTimeMs >= deadlineMs) {
          throw new TimeoutException("Condition not satisfied before deadline");
        }
        obj.wait(deadlineMs - currentTimeMs);
      }
    }
  }
}
