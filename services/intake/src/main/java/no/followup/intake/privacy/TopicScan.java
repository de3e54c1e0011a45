package no.followup.intake.privacy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import no.followup.common.ErasureDeadline;
import no.followup.common.Topics;
import no.followup.common.crypto.EventSealer;
import no.followup.common.crypto.SensitivePayloads;
import no.followup.common.crypto.UnopenablePayloadException;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.streams.FoldHead;
import no.followup.events.FollowUpEvent;
import no.followup.events.SealedPayload;
import no.followup.registry.serde.GenericAvroDeserializer;
import no.followup.registry.serde.SpecificAvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Scans every topic of the pipeline and every Kafka Streams changelog for one participant, as
 * compaction will leave them: the latest value per key. A live (non-null) latest value that names the
 * participant is a finding, except the erasure markers kept on purpose; superseded values are noted
 * with the erasure deadline. On the events topic, which keeps every event, the finding is a health
 * payload of the participant that can still be read: written plain, or sealed with a key that still
 * opens it (checked when the scan has the master key).
 */
final class TopicScan {

  private static final Duration READ_LIMIT = Duration.ofSeconds(60);
  /** Topics whose records stay until their retention, not until compaction: ids and times only. */
  private static final Set<String> RETENTION_TOPICS = Set.of(Topics.REMINDERS.name(), Topics.DEAD_LETTER.name());

  private final KafkaConnection kafka;
  private final Map<String, Object> serdeConfig;
  private final Optional<EventSealer> sealer;

  TopicScan(KafkaConnection kafka, Map<String, Object> serdeConfig, Optional<EventSealer> sealer) {
    this.kafka = kafka;
    this.serdeConfig = serdeConfig;
    this.sealer = sealer;
  }

  void scan(String participantId, Findings out) {
    byte[] id = participantId.getBytes(StandardCharsets.UTF_8);
    for (String topic : topics()) {
      Map<KeyBytes, byte[]> latest = new HashMap<>();
      int[] superseded = {0};
      int[] retained = {0};
      read(topic, record -> {
        boolean mentions = Findings.mentions(record.key(), id) || Findings.mentions(record.value(), id);
        KeyBytes key = new KeyBytes(record.key());
        byte[] before = latest.put(key, record.value());
        boolean compacted = !topic.equals(Topics.EVENTS.name()) && !RETENTION_TOPICS.contains(topic);
        if (compacted && before != null && (Findings.mentions(before, id) || Findings.mentions(record.key(), id))) {
          superseded[0]++;
        }
        if (topic.equals(Topics.EVENTS.name())) {
          checkEvent(participantId, record, out);
        } else if (mentions && RETENTION_TOPICS.contains(topic)) {
          retained[0]++;
        }
      });
      if (!topic.equals(Topics.EVENTS.name()) && !RETENTION_TOPICS.contains(topic)) {
        latest.forEach((key, value) -> {
          if (value != null && (Findings.mentions(key.bytes(), id) || Findings.mentions(value, id))) {
            if (marker(topic, key.bytes(), value)) {
              out.note(topic, "erasure marker (the id only)");
            } else {
              out.found(topic, "a live record of the participant (key " + new String(key.bytes(), StandardCharsets.UTF_8)
                  .replaceAll("[^ -~]", "?") + ")");
            }
          }
        });
      }
      if (superseded[0] > 0) {
        out.note(topic, superseded[0] + " superseded record(s) of the participant, gone at compaction (within "
            + ErasureDeadline.DEADLINE.toDays() + " days)");
      }
      if (retained[0] > 0) {
        out.note(topic, retained[0] + " record(s) naming the participant (ids and times only) until the topic's retention");
      }
    }
  }

  private void checkEvent(String participantId, ConsumerRecord<byte[], byte[]> record, Findings out) {
    if (record.key() == null || !Arrays.equals(record.key(), participantId.getBytes(StandardCharsets.UTF_8))
        || record.value() == null) {
      return;
    }
    FollowUpEvent event;
    try (SpecificAvroDeserializer<FollowUpEvent> events = new SpecificAvroDeserializer<>(FollowUpEvent.class)) {
      events.configure(serdeConfig, false);
      event = events.deserialize(record.topic(), record.value());
    } catch (RuntimeException unreadable) {
      return;
    }
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    if (SensitivePayloads.sensitive(event.getPayload())) {
      out.found(where, "a health payload written plain (" + event.getPayload().getClass().getSimpleName() + ")");
    } else if (event.getPayload() instanceof SealedPayload sealed) {
      if (sealer.isEmpty()) {
        out.note(where, "sealed " + sealed.getPayloadType() + " not checked (no master key given)");
      } else {
        try {
          if (!(sealer.get().unseal(event).getPayload() instanceof SealedPayload)) {
            out.found(where, "a sealed " + sealed.getPayloadType() + " that still opens: its data key was not deleted");
          }
        } catch (UnopenablePayloadException noErasureRecorded) {
          out.note(where, "a sealed " + sealed.getPayloadType() + " that does not open, though no erasure is recorded"
              + " (is this the intake's master key?)");
        }
      }
    }
  }

  /** The ids kept on purpose so an erased participant is not brought back. */
  private boolean marker(String topic, byte[] key, byte[] value) {
    if (topic.equals(Topics.PARTICIPANT_KEYS.name())) {
      return new String(key, StandardCharsets.UTF_8).endsWith("|erased");
    }
    if (topic.endsWith("-reminders-erased-changelog")) {
      return true;
    }
    if (topic.endsWith("-status-fold-changelog")) {
      // a marker: no status, and a fold that says when the participant was erased
      try (GenericAvroDeserializer folds = new GenericAvroDeserializer()) {
        folds.configure(serdeConfig, false);
        FoldHead head = FoldHead.SERDE.deserializer().deserialize(topic, value);
        GenericRecord fold = folds.deserialize(topic, head.fold());
        return head.status() == null && fold.getSchema().getField("erasedAt") != null && fold.get("erasedAt") != null;
      } catch (RuntimeException unreadable) {
        return false;
      }
    }
    return false;
  }

  private List<String> topics() {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      List<String> names = new ArrayList<>();
      for (String name : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
        boolean pipeline = Topics.ALL.stream().anyMatch(t -> t.name().equals(name));
        boolean changelog = name.startsWith("followup-") && name.endsWith("-changelog");
        if (pipeline || changelog) {
          names.add(name);
        }
      }
      names.sort(null);
      return names;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not list the topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void read(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + READ_LIMIT);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  /** Key bytes with value equality, for the latest-per-key view. */
  private record KeyBytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
