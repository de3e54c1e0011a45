package no.followup.intake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import no.followup.common.Topics;
import no.followup.common.cli.KafkaOptions;
import no.followup.events.FollowUpEvent;
import no.followup.intake.deadletters.SourceRecord;
import no.followup.intake.event.EventJsonWriter;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.GenericAvroDeserializer;
import no.followup.registry.serde.SpecificAvroDeserializer;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints the records of a topic as JSON lines, decoded with the registry's schemas: follow-up
 * events in the intake's JSON shape (type + payload), other topics' records as plain objects.
 * Reads committed records only, without a consumer group (nothing is committed).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Print the records of a topic (default: events) as JSON lines, from the beginning.")
final class TailCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofMillis(500);
  /** Without --follow, how long to wait for the records that were there at the start. */
  private static final Duration DEFAULT_CATCH_UP_LIMIT = Duration.ofSeconds(60);

  @Option(names = "--topic", defaultValue = "events",
      description = "Topic: a short name (${COMPLETION-CANDIDATES}) or a full topic name (default: ${DEFAULT-VALUE})",
      completionCandidates = TopicNames.class)
  String topic;

  @Mixin KafkaOptions kafka;

  @Option(names = "--follow", description = "Keep printing new records until --max, --timeout or Ctrl-C")
  boolean follow;

  @Option(names = "--max", defaultValue = "-1", description = "Stop after this many records")
  long max;

  @Option(names = "--timeout", defaultValue = "0",
      description = "Stop after this many seconds (0: no limit with --follow; otherwise "
          + "when the records present at the start are printed)")
  long timeoutSeconds;

  @Option(names = "--metadata", description = "Wrap each record with topic, partition, offset, key and timestamp")
  boolean metadata;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Short names of the pipeline's topics: the full name without "followup." and the version suffix. */
  static final class TopicNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Topics.ALL.stream().map(t -> SourceRecord.shortName(t.name())).iterator();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String topicName = SourceRecord.fullTopicName(topic);
    Map<String, Object> consumerConfig = kafka.connection().clientConfig();
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-cli-tail");

    SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl()));
    Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl());
    Deserializer<? extends IndexedRecord> values = topicName.equals(Topics.EVENTS.name())
        ? new SpecificAvroDeserializer<>(registry, FollowUpEvent.class)
        : new GenericAvroDeserializer(registry);
    values.configure(serdeConfig, false);
    EventJsonWriter writer = new EventJsonWriter();

    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
      CountDownLatch finished = new CountDownLatch(1);
      Thread wakeUp = new Thread(() -> {
        // Ctrl-C / SIGTERM: end the poll loop, and let it print what it has before the JVM halts
        consumer.wakeup();
        try {
          finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // shutting down anyway
        }
      }, "tail-shutdown");
      Runtime.getRuntime().addShutdownHook(wakeUp);
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(topicName, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
          err.println("Topic " + topicName + " does not exist");
          return FollowupCli.FAILED;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topicName, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        // read_committed: the end is the last stable offset, so open transactions are not waited for
        Map<TopicPartition, Long> end = follow ? Map.of() : consumer.endOffsets(assigned, Duration.ofSeconds(30));
        Duration limit = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : follow ? null : DEFAULT_CATCH_UP_LIMIT;
        Instant deadline = limit == null ? null : Instant.now().plus(limit);
        long printed = 0;
        while (max < 0 || printed < max) {
          if (!follow && caughtUp(consumer, end)) {
            break;
          }
          if (deadline != null && Instant.now().isAfter(deadline)) {
            if (!follow) {
              err.println("Stopped after " + limit.toSeconds() + " s before reaching the end of " + topicName);
              return FollowupCli.FAILED;
            }
            break;
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            if (max >= 0 && printed >= max) {
              break;
            }
            JsonNode line = decode(record, topicName, values, writer, err);
            if (line != null) {
              out.println(line);
              out.flush();
              printed++;
            }
          }
        }
        return FollowupCli.OK;
      } catch (WakeupException stopping) {
        return FollowupCli.OK;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(wakeUp);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running; it only wakes the consumer up
        }
        out.flush();
        err.flush();
        finished.countDown();
      }
    }
  }

  private JsonNode decode(ConsumerRecord<String, byte[]> record, String topicName,
      Deserializer<? extends IndexedRecord> values, EventJsonWriter writer, PrintWriter err) {
    JsonNode value;
    if (record.value() == null) {
      if (!metadata) {
        return null; // a tombstone has no content to show without its key
      }
      value = NullNode.getInstance();
    } else {
      try {
        value = writer.write(values.deserialize(topicName, record.value()));
      } catch (RuntimeException e) {
        err.println("partition " + record.partition() + " offset " + record.offset() + ": could not decode ("
            + e.getClass().getSimpleName() + ")");
        return null;
      }
    }
    if (!metadata) {
      return value;
    }
    ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
    wrapped.put("topic", record.topic());
    wrapped.put("partition", record.partition());
    wrapped.put("offset", record.offset());
    wrapped.put("key", record.key());
    wrapped.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    wrapped.set("value", value);
    return wrapped;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
