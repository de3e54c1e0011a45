package no.followup.common;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How long an erased participant's values may stay on disk in a compacted topic or a Kafka Streams
 * changelog, defined once: {@link Topics} gives these settings to every compacted topic and
 * {@code StreamsDefaults} to every internal topic (changelogs, repartition topics).
 *
 * <p>Erasure writes a tombstone for every key derived from the participant. Compaction removes the
 * values before a tombstone, but never in the active segment, and on its own schedule. So:
 * <ul>
 *   <li>{@code segment.ms} {@value #SEGMENT_HOURS} hours: a segment rolls (and becomes compactable)
 *       at the first write after it is that old;</li>
 *   <li>{@code max.compaction.lag.ms} {@value #MAX_COMPACTION_LAG_DAYS} days: a closed segment with a
 *       tombstone is compacted within that, however little else changed;</li>
 *   <li>{@code delete.retention.ms} {@value #TOMBSTONE_DAYS} day: then the tombstone itself (key only,
 *       the pseudonymous id) goes too.</li>
 * </ul>
 * The deadline, "an erased value is gone from every compacted topic and changelog within
 * {@value #DEADLINE_DAYS} days" ({@link #DEADLINE}), is segment + lag, rounded up: it holds for every partition
 * that receives any write in that time (a partition idle since the erasure keeps its active segment
 * until its next write; the pipeline writes tallies daily). Topics that existed before these
 * settings keep their old ones until an operator applies them ({@code kafka-configs --alter}, see
 * docs/privacy.md).
 */
public final class ErasureDeadline {

  static final int SEGMENT_HOURS = 6;
  static final int MAX_COMPACTION_LAG_DAYS = 6;
  static final int TOMBSTONE_DAYS = 1;
  static final int DEADLINE_DAYS = 7;

  /** An erased value is gone from every compacted topic and changelog within this. */
  public static final Duration DEADLINE = Duration.ofDays(DEADLINE_DAYS);

  private ErasureDeadline() {}

  /** The settings, by topic-config name, that bound how long an erased value stays on a compacted topic. */
  public static Map<String, String> topicConfigs() {
    return Map.of(
        TopicConfig.SEGMENT_MS_CONFIG, millis(Duration.ofHours(SEGMENT_HOURS)),
        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, millis(Duration.ofDays(MAX_COMPACTION_LAG_DAYS)),
        TopicConfig.DELETE_RETENTION_MS_CONFIG, millis(Duration.ofDays(TOMBSTONE_DAYS)));
  }

  private static String millis(Duration duration) {
    return String.valueOf(duration.toMillis());
  }
}
