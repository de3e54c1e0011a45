package no.followup.intake.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.streams.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What is on the dead-letter topic: the pointers the services wrote ({@code DeadLetters.pointer}),
 * and the marks re-drives left ({@link Redrive}). Read in full, committed records only, without a
 * consumer group; the topic keeps 30 days, so this is bounded.
 */
public final class DeadLetterLog {

  /** Header that tells a re-drive mark from a pointer. */
  static final String REDRIVE_HEADER = "followup.dead-letters.redrive";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);

  private final List<DeadLetter> deadLetters;
  private final Map<SourceRecord, Redrive> redrives;

  private DeadLetterLog(List<DeadLetter> deadLetters, Map<SourceRecord, Redrive> redrives) {
    this.deadLetters = deadLetters;
    this.redrives = redrives;
  }

  /** Reads the whole dead-letter topic; fails with the reason when its end is not reached within {@code limit}. */
  public static DeadLetterLog read(KafkaConnection kafka, String topic, Duration limit) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-cli-dead-letters");
    List<DeadLetter> pointers = new ArrayList<>();
    Map<SourceRecord, Redrive> marks = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, limit);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, limit);
      Instant deadline = Instant.now().plus(limit);
      while (!caughtUp(consumer, end)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("did not reach the end of " + topic + " within " + limit.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.headers().lastHeader(REDRIVE_HEADER) != null) {
            Redrive mark = parseMark(record.value());
            if (mark != null) {
              marks.putIfAbsent(mark.source(), mark);
            }
          } else {
            DeadLetter pointer = parsePointer(record);
            if (pointer != null) {
              pointers.add(pointer);
            }
          }
        }
      }
    }
    pointers.sort(Comparator.comparing(DeadLetter::at).thenComparing(DeadLetter::source));
    return new DeadLetterLog(pointers, marks);
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** A pointer in the shape {@code DeadLetters.pointer} writes, else null (not ours: skipped, never printed). */
  static DeadLetter parsePointer(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      JsonNode value = JSON.readTree(record.value());
      if (!value.path("sourceTopic").isTextual() || !value.path("partition").canConvertToInt()
          || !value.path("offset").canConvertToLong()) {
        return null;
      }
      return new DeadLetter(new SourceRecord(value.path("sourceTopic").asText(), value.path("partition").asInt(),
          value.path("offset").asLong()), value.path("errorClass").asText(""), value.path("errorMessage").asText(""),
          Instant.ofEpochMilli(record.timestamp()), record.partition(), record.offset());
    } catch (IOException | RuntimeException notAPointer) {
      return null;
    }
  }

  static Redrive parseMark(byte[] value) {
    try {
      JsonNode mark = JSON.readTree(value);
      return new Redrive(new SourceRecord(mark.path("sourceTopic").asText(), mark.path("partition").asInt(),
          mark.path("offset").asLong()), mark.path("copyPartition").asInt(), mark.path("copyOffset").asLong(),
          Instant.parse(mark.path("at").asText()));
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * The mark of a re-drive, for the dead-letter topic; keyed like the pointers, by the source record's
   * key when that is an id ({@link DeadLetters#keptKey}): a record re-driven may be keyed by anything.
   */
  static ProducerRecord<byte[], byte[]> mark(String deadLetterTopic, byte[] sourceKey, Redrive redrive) {
    ObjectNode value = JSON.createObjectNode()
        .put("sourceTopic", redrive.source().topic())
        .put("partition", redrive.source().partition())
        .put("offset", redrive.source().offset())
        .put("copyPartition", redrive.copyPartition())
        .put("copyOffset", redrive.copyOffset())
        .put("at", redrive.at().toString());
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null, DeadLetters.keptKey(sourceKey),
        value.toString().getBytes(StandardCharsets.UTF_8));
    record.headers().add(REDRIVE_HEADER, "1".getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /** Every pointer, oldest first (a record that failed in two services has two). */
  public List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** The pointers to {@code source}. */
  public List<DeadLetter> pointersTo(SourceRecord source) {
    return deadLetters.stream().filter(d -> d.source().equals(source)).toList();
  }

  /** The re-drive of {@code source}, or null if it was never re-driven. */
  public Redrive redriveOf(SourceRecord source) {
    return redrives.get(source);
  }

  /** The default dead-letter topic. */
  public static String defaultTopic() {
    return Topics.DEAD_LETTER.name();
  }
}
