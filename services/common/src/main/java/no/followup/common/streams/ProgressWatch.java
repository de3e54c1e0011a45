package no.followup.common.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides, from samples a running Kafka Streams instance gives, whether it is really making
 * progress. Kafka Streams can be RUNNING while it gets nowhere: a record that fails the stream
 * thread every time makes the thread be replaced, re-read the same record and fail again, for ever,
 * and every other record of that partition waits behind it. Two signs give that away:
 * <ul>
 *   <li>a partition it owns has records waiting (the consumer's lag is above zero) while its
 *       committed offset has not moved for {@code stallAfter};</li>
 *   <li>stream threads were replaced {@code maxReplacements} times within {@code replacementWindow}.</li>
 * </ul>
 * Pure: the caller supplies the time and the samples (see {@link StreamsRunner}), so the rules are
 * unit-tested without a broker.
 */
public final class ProgressWatch {

  /** What was last seen of one partition: its committed offset and since when it has not moved with records waiting. */
  private record PartitionProgress(long committed, Instant stuckSince) {}

  private final Duration stallAfter;
  private final int maxReplacements;
  private final Duration replacementWindow;
  private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
  private final Deque<Instant> replacements = new ArrayDeque<>();
  private String stalled;

  public ProgressWatch(Duration stallAfter, int maxReplacements, Duration replacementWindow) {
    this.stallAfter = stallAfter;
    this.maxReplacements = maxReplacements;
    this.replacementWindow = replacementWindow;
  }

  /**
   * One sample of the partitions this instance owns now.
   *
   * @param committed the group's committed offset per partition (absent: nothing committed yet)
   * @param lag the consumer's lag per partition (absent: not known yet, e.g. not fetched)
   */
  public synchronized void observe(Instant now, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> lag) {
    partitions.keySet().retainAll(lag.keySet());
    stalled = null;
    for (Map.Entry<TopicPartition, Long> entry : lag.entrySet()) {
      TopicPartition partition = entry.getKey();
      long waiting = entry.getValue();
      long offset = committed.getOrDefault(partition, -1L);
      PartitionProgress before = partitions.get(partition);
      if (waiting <= 0) {
        partitions.remove(partition);
        continue;
      }
      PartitionProgress latest = before == null || before.committed() != offset ? new PartitionProgress(offset, now) : before;
      partitions.put(partition, latest);
      Duration stuckFor = Duration.between(latest.stuckSince(), now);
      if (stalled == null && stuckFor.compareTo(stallAfter) >= 0) {
        stalled = "partition " + partition + " has " + waiting + " records waiting and its committed offset has not moved for "
            + stuckFor.toSeconds() + " s";
      }
    }
  }

  /** A stream thread died and was replaced. */
  public synchronized void threadReplaced(Instant now) {
    replacements.addLast(now);
  }

  /** Why the instance is not making progress, or empty when it is. */
  public synchronized Optional<String> problem(Instant now) {
    while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(replacementWindow))) {
      replacements.removeFirst();
    }
    if (replacements.size() >= maxReplacements) {
      return Optional.of("stream threads were replaced " + replacements.size() + " times in the last "
          + replacementWindow.toSeconds() + " s");
    }
    return Optional.ofNullable(stalled);
  }
}
