package no.followup.intake.deadletters;

import java.util.Objects;
import no.followup.common.Topics;

/**
 * Where a dead-lettered record lives: its topic, partition and offset. Written on the command line
 * as {@code <topic>/<partition>/<offset>}, the topic by its short name ({@code events/2/41}) or in full.
 */
public record SourceRecord(String topic, int partition, long offset) implements Comparable<SourceRecord> {

  public SourceRecord {
    Objects.requireNonNull(topic, "topic");
  }

  /** Parses {@code events/2/41} or {@code followup.events.v1/2/41}; a clear error names what is wrong. */
  public static SourceRecord parse(String text) {
    String[] parts = text.split("/");
    if (parts.length != 3 || parts[0].isBlank()) {
      throw new IllegalArgumentException("'" + text + "' is not <topic>/<partition>/<offset>, e.g. events/2/41");
    }
    try {
      int partition = Integer.parseInt(parts[1]);
      long offset = Long.parseLong(parts[2]);
      if (partition < 0 || offset < 0) {
        throw new NumberFormatException("negative");
      }
      return new SourceRecord(fullTopicName(parts[0]), partition, offset);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': partition and offset must be whole numbers of 0 or more");
    }
  }

  /** The pipeline topic whose short name or full name is {@code name}, else {@code name} (another topic). */
  public static String fullTopicName(String name) {
    return Topics.ALL.stream().map(Topics.TopicSpec::name)
        .filter(full -> full.equals(name) || shortName(full).equals(name))
        .findFirst().orElse(name);
  }

  /** A pipeline topic's short name: its full name without {@code followup.} and the version suffix. */
  public static String shortName(String topicName) {
    return topicName.replaceFirst("^followup\\.", "").replaceFirst("\\.v\\d+$", "");
  }

  @Override
  public String toString() {
    return shortName(topic) + "/" + partition + "/" + offset;
  }

  @Override
  public int compareTo(SourceRecord other) {
    int byTopic = topic.compareTo(other.topic);
    if (byTopic != 0) {
      return byTopic;
    }
    return partition != other.partition ? Integer.compare(partition, other.partition) : Long.compare(offset, other.offset);
  }
}
