package no.followup.status.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import no.followup.status.TallyCounters;
import no.followup.status.rules.TallyContributions;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions tally keys so that a cohort's tally, its cohort-group tallies and its definition share
 * a partition: {@code cohort:<id>} and {@code cohort-group:<id>|<group>} by the cohort id, every
 * other key by itself. The tally processor then finds the cohort's goal in its own store. Hashing
 * is the producer's default (murmur2 of the UTF-8 bytes), so the other keys land where they would
 * without it.
 */
public final class CohortPartitioner implements StreamPartitioner<String, TallyCounters> {

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, TallyCounters value, int numPartitions) {
    if (key == null) {
      return Optional.empty();
    }
    byte[] bytes = partitionKey(key).getBytes(StandardCharsets.UTF_8);
    return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
  }

  /** What a tally key is partitioned by: its cohort's key for cohort and cohort-group keys. */
  static String partitionKey(String key) {
    String cohort = TallyContributions.cohortOf(key);
    return cohort == null ? key : TallyContributions.COHORT + cohort;
  }
}
