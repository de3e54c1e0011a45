package no.followup.intake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import no.followup.common.Topics;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.SignInOptions;
import no.followup.events.FollowUpEvent;
import no.followup.intake.event.EventJsonWriter;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends the events on an events topic through an intake again, in batches, with a progress bar:
 * to rebuild another environment (a test stack, a new cluster) from this one's history, every
 * event validated and authorised again by the receiving intake. EventIds are kept, so the readers
 * behind that intake skip an event they have seen: replaying twice adds nothing to any status,
 * tally or reminder.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Send the events of the events topic (--bootstrap-servers) through an intake (--intake-url) again,"
        + " oldest first per participant, with a progress bar on standard error.",
        "EventIds are kept: readers skip events they have seen, so a second replay adds nothing."})
final class ReplayCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READ_LIMIT = Duration.ofSeconds(30);

  @Mixin KafkaOptions kafka;

  @Option(names = "--intake-url", defaultValue = "${env:FOLLOWUP_INTAKE_URL:-http://127.0.0.1:8080}",
      description = "The intake that receives the events (default: env FOLLOWUP_INTAKE_URL or ${DEFAULT-VALUE})")
  String intakeUrl;

  @Option(names = "--token", defaultValue = "${env:" + SignInOptions.TOKEN_VARIABLE + ":-}", showDefaultValue = Visibility.NEVER,
      description = "Access token for the receiving intake (default: env " + SignInOptions.TOKEN_VARIABLE + ")")
  String token;

  @Option(names = "--since", description = "Only events written to the topic at or after this instant, e.g. 2026-11-01T00:00:00Z")
  Instant since;

  @Option(names = "--batch-size", defaultValue = "200", description = "Events per request (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--retries", defaultValue = "5", description = "Retries while the intake is unavailable (default: ${DEFAULT-VALUE})")
  int retries;

  @Option(names = "--no-progress", description = "No progress bar")
  boolean noProgress;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** One event read from the topic, and where it was. */
  private record Read(ConsumerRecord<byte[], byte[]> record, ObjectNode json) {}

  private PrintWriter out;
  private PrintWriter err;
  private IntakeHttp intake;
  private long accepted;
  private long rejected;
  private long unreadable;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    if (batchSize < 1) {
      err.println("--batch-size must be at least 1");
      return FollowupCli.FAILED;
    }
    intake = new IntakeHttp(intakeUrl, token, Duration.ofSeconds(60), retries, err);
    SpecificAvroDeserializer<FollowUpEvent> events = new SpecificAvroDeserializer<>(
        SchemaRegistryClients.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl())), FollowUpEvent.class);
    events.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, kafka.schemaRegistryUrl()), false);
    EventJsonWriter writer = new EventJsonWriter();
    String topic = Topics.EVENTS.name();
    Map<String, Object> config = kafka.connection().clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "followup-cli-replay");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_LIMIT);
      if (partitions == null || partitions.isEmpty()) {
        err.println("Topic " + topic + " does not exist");
        return FollowupCli.FAILED;
      }
      List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(assigned);
      Map<TopicPartition, Long> start = startOffsets(consumer, assigned);
      start.forEach(consumer::seek);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, READ_LIMIT);
      long total = assigned.stream().mapToLong(tp -> Math.max(0, end.get(tp) - start.get(tp))).sum();
      try (ProgressBar bar = noProgress ? null : Progress.records("replay", total, System.err)) {
        List<Read> batch = new ArrayList<>();
        while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
              continue; // written after the start: not part of this replay
            }
            try {
              batch.add(new Read(record, writer.write(events.deserialize(topic, record.headers(), record.value()))));
            } catch (RuntimeException e) {
              unreadable++;
              err.println(where(record) + ": skipped, unreadable (" + e.getClass().getSimpleName() + ")");
            }
            if (batch.size() >= batchSize && !send(batch, bar)) {
              return FollowupCli.FAILED;
            }
          }
        }
        if (!batch.isEmpty() && !send(batch, bar)) {
          return FollowupCli.FAILED;
        }
      }
    } finally {
      out.println(accepted + " replayed, " + rejected + " rejected, " + unreadable + " unreadable");
      out.flush();
      err.flush();
    }
    return rejected + unreadable > 0 ? FollowupCli.REJECTED : FollowupCli.OK;
  }

  private Map<TopicPartition, Long> startOffsets(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, READ_LIMIT);
    if (since == null) {
      return beginning;
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(tp -> times.put(tp, since.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, READ_LIMIT);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_LIMIT);
    Map<TopicPartition, Long> start = new HashMap<>();
    partitions.forEach(tp -> start.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
    return start;
  }

  /**
   * Sends a batch; the intake takes a batch whole or not at all, so a refused one is sent again
   * event by event, and each refusal is reported with where the event is on the topic (never its content).
   * False when the intake cannot be reached or refuses the token: then nothing more can be sent.
   */
  private boolean send(List<Read> batch, ProgressBar bar) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode array = body.putArray("events");
    batch.forEach(read -> array.add(read.json()));
    IntakeHttp.Answer answer = intake.post("/api/v1/events/batch", body.toString());
    boolean ok = true;
    if (answer.status() == 202) {
      accepted += batch.size();
    } else if (answer.status() == 400 || answer.status() == 403 || answer.status() == 409 || answer.status() == 413) {
      for (Read read : batch) {
        IntakeHttp.Answer one = intake.post("/api/v1/events", read.json().toString());
        if (one.status() == 202) {
          accepted++;
        } else if (one.status() == 0 || one.status() == 401 || one.status() >= 500) {
          err.println(one.problem());
          ok = false;
          break;
        } else {
          rejected++;
          err.println(where(read.record()) + ": rejected: " + one.problem());
        }
      }
    } else {
      err.println(answer.problem());
      ok = false;
    }
    if (bar != null) {
      bar.stepBy(batch.size());
    }
    batch.clear();
    return ok;
  }

  private static String where(ConsumerRecord<?, ?> record) {
    return "partition " + record.partition() + " offset " + record.offset();
  }
}
