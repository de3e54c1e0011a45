package no.followup.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How fast a Streams application works through a pre-loaded topic: the rate at which its consumer
 * group commits offsets, from its first commit to the commit that reaches the end of the topic.
 * Counting from the first commit rather than from the start leaves JVM start, group join and
 * producer initialisation out, for the subject and its ceiling alike. Under exactly-once an offset
 * is committed in the same transaction as the outputs and state changes of the records before it,
 * so "committed through the end" means "everything processed and visible".
 *
 * <p>An application too slow to get through within the time limit is measured over what it
 * committed until then, and the result says so: a harness that runs for hours on a slow build
 * would not be run at all.
 */
final class CatchUp {

  /** Offsets are sampled this often: half the commit interval, so a run of 10 s or more is timed within 1-2%. */
  private static final Duration SAMPLE_INTERVAL = ChildJvm.COMMIT_INTERVAL.dividedBy(2);
  /** No commit for this long ends the measurement as a failure. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

  /**
   * {@code records} committed in {@code elapsed} after the first commit; {@code committed} of the
   * topic's {@code end} when the measurement ended.
   */
  record Rate(long records, Duration elapsed, long committed, long end) {
    double perSecond() {
      return records / Timing.seconds(elapsed.toNanos());
    }

    boolean complete() {
      return committed >= end;
    }

    /** Empty when the whole topic was processed; else how much of it the rate is measured over. */
    String partialNote() {
      return complete() ? "" : String.format(Locale.ROOT, " (time limit: %,d of %,d events in %d s)", committed, end,
          elapsed.toSeconds());
    }
  }

  /**
   * A ceiling run before and after its subject: on a shared machine the load can change in the
   * minutes the subject takes, so the ceiling is the mean of the two, and both are shown.
   */
  record Bracket(Rate before, Rate after) {
    double perSecond() {
      return (before.perSecond() + after.perSecond()) / 2;
    }

    String describe(String kind) {
      return String.format(Locale.ROOT, "%,.0f events/s (%s; mean of %,.0f before and %,.0f after)%s", perSecond(), kind,
          before.perSecond(), after.perSecond(), before.partialNote() + after.partialNote());
    }
  }

  private CatchUp() {}

  /**
   * Waits until {@code app}, consumer group {@code groupId}, has committed through the end of
   * {@code topic}, or {@code limit} has passed since its first commit.
   */
  static Rate await(BenchBroker broker, ChildJvm app, String groupId, String topic, Duration limit) {
    long end = broker.endOffset(topic);
    long firstCommitted = -1;
    long firstAt = 0;
    long lastCommitted = 0;
    long lastProgressAt = System.nanoTime();
    while (true) {
      app.requireAlive();
      long committed = broker.committedOffset(groupId, topic);
      long now = System.nanoTime();
      if (committed > lastCommitted) {
        lastCommitted = committed;
        lastProgressAt = now;
        if (firstCommitted < 0) {
          firstCommitted = committed;
          firstAt = now;
        }
      }
      boolean outOfTime = firstCommitted >= 0 && now - firstAt > limit.toNanos();
      if (committed >= end || outOfTime) {
        if (committed == firstCommitted) {
          throw new IllegalStateException(app.name() + " committed only once (" + committed + " of " + end
              + " events): too few events, or too short a limit, to measure a rate");
        }
        return new Rate(committed - firstCommitted, Duration.ofNanos(now - firstAt), committed, end);
      }
      if (now - lastProgressAt > STALL_TIMEOUT.toNanos()) {
        throw new IllegalStateException(app.name() + " committed nothing for " + STALL_TIMEOUT + " at " + committed + " of "
            + end + "; its log ends:\n" + app.logTail());
      }
      Timing.pause(SAMPLE_INTERVAL);
    }
  }
}
