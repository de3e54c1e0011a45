package no.followup.bench;

import java.time.Duration;
import java.util.Arrays;

/** Small helpers shared by the measurements. */
final class Timing {

  private Timing() {}

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The p-quantile (0-1) of {@code values} by the nearest-rank method; the array is sorted in place. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    Arrays.sort(values);
    int rank = (int) Math.ceil(p * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
