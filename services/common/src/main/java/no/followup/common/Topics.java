package no.followup.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline, defined once: name and settings. Services and the local stack
 * create them explicitly through {@link TopicProvisioner}; the broker never auto-creates topics.
 *
 * <p>Names carry a version suffix: an incompatible change gets a new topic, not a broken one.
 */
public final class Topics {

  private Topics() {}

  /**
   * A topic with its settings. Partitions, replication factor and {@code min.insync.replicas} come
   * from the deployment (see {@link TopicProvisioner}): what is durable on three brokers cannot be
   * created on the one of a laptop.
   */
  public record TopicSpec(String name, Map<String, String> configs) {}

  private static final String KEEP_FOREVER = "-1";
  private static final String THIRTY_DAYS = String.valueOf(Duration.ofDays(30).toMillis());

  /**
   * Follow-up events, keyed by participantId so one participant's events stay in order. The source
   * of truth: kept without time limit.
   */
  public static final TopicSpec EVENTS = new TopicSpec("followup.events.v1", Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.RETENTION_MS_CONFIG, KEEP_FOREVER));

  /**
   * The participants' data keys for sealed payloads (crypto-shredding), keyed by
   * {@code <participantId>|<keyId>}, each wrapped by the master key; compacted, a tombstone on
   * erasure (and a marker under {@code <participantId>|erased}). Written by the intake only.
   */
  public static final TopicSpec PARTICIPANT_KEYS = compacted("followup.participant-keys.v1");

  /** Current status of each participant, keyed by participantId; compacted, a tombstone on erasure. */
  public static final TopicSpec PARTICIPANT_STATUS = compacted("followup.participant-status.v1");

  /** Running tallies per office, coordinator, specialist, cohort and cohort x target group; compacted. */
  public static final TopicSpec TALLIES = compacted("followup.tallies.v1");

  /** Reminders and follow-up tasks due, keyed by participantId, deduplicated downstream by reminderId. */
  public static final TopicSpec REMINDERS = new TopicSpec("followup.reminders.v1", Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS));

  /** Coordinator tasks and their state (open, done), keyed by taskId; compacted. */
  public static final TopicSpec TASKS = compacted("followup.tasks.v1");

  /**
   * Delivery receipts for reminders (sent, failed, opted out, withdrawn), keyed by reminderId. Kept
   * 30 days, and compacted as well, so that the tombstones delivery writes on erasure remove a
   * participant's receipts within the erasure deadline instead of at the end of the 30 days.
   */
  public static final TopicSpec DELIVERY_RECEIPTS = new TopicSpec("followup.delivery-receipts.v1", withErasureDeadline(Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
      TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS)));

  /**
   * Delivery's ledger: what delivery did with each reminder ({@code DeliveryLedgerEntry}), keyed by
   * reminderId and written to the partition number of the reminder it records, so the delivery
   * instance that owns reminders partition <i>p</i> reads ledger partition <i>p</i> before it
   * handles any of them. Compacted: the latest entry per reminder stays until its tombstone, which
   * delivery writes on erasure and for entries past the ledger retention. Same partition count as
   * {@link #REMINDERS} (delivery refuses to start otherwise).
   */
  public static final TopicSpec DELIVERY_LEDGER = compacted("followup.delivery-ledger.v1");

  /**
   * Records that could not be processed: a pointer to the source record (topic, partition, offset)
   * and the error, in headers. The payload is not copied, so health data never lands here.
   */
  public static final TopicSpec DEAD_LETTER = new TopicSpec("followup.dead-letter.v1", Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS));

  /**
   * The schema registry's store (Confluent's default name, which the local registry uses too). The
   * registry creates it itself, compacted with one partition, and is the only one that reads or writes it.
   */
  public static final String SCHEMA_STORE = "_schemas";

  /** Every topic of the pipeline, for provisioning. */
  public static final List<TopicSpec> ALL =
      List.of(EVENTS, PARTICIPANT_KEYS, PARTICIPANT_STATUS, TALLIES, REMINDERS, TASKS, DELIVERY_RECEIPTS, DELIVERY_LEDGER, DEAD_LETTER);

  /** Compacted, with the settings that bound how long an erased value stays ({@link ErasureDeadline}). */
  private static TopicSpec compacted(String name) {
    return new TopicSpec(name, withErasureDeadline(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0")));
  }

  private static Map<String, String> withErasureDeadline(Map<String, String> configs) {
    Map<String, String> all = new java.util.HashMap<>(configs);
    all.putAll(ErasureDeadline.topicConfigs());
    return Map.copyOf(all);
  }
}
