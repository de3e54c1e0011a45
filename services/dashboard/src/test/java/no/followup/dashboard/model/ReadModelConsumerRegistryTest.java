package no.followup.dashboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import no.followup.common.Topics;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.testing.LogCapture;
import no.followup.dashboard.Fixtures;
import no.followup.registry.InMemorySchemaRegistryClient;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryException;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A schema registry outage is waited out, never dead-lettered: the record that needs it is read again
 * once the registry is back, and the partitions that do not need it read on meanwhile.
 */
class ReadModelConsumerRegistryTest {

  private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");
  private static final TopicPartition STATUS = new TopicPartition(Topics.PARTICIPANT_STATUS.name(), 0);
  private static final TopicPartition TASKS = new TopicPartition(Topics.TASKS.name(), 0);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AtomicBoolean registryDown = new AtomicBoolean();
  private final AtomicInteger refusedLookups = new AtomicInteger();
  @RegisterExtension
  final LogCapture logged = LogCapture.of(ReadModelConsumer.class);

  /**
   * The registry as the consumer sees it: schemas by id are cached as the REST client caches them; while
   * "down", every other call fails as an unreachable REST registry's does.
   */
  private SchemaRegistryClient flakyRegistry() {
    Map<Object, Object> schemasById = new ConcurrentHashMap<>();
    return (SchemaRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SchemaRegistryClient.class},
        (proxy, method, args) -> {
          boolean byId = method.getName().equals("getSchemaById");
          if (byId && schemasById.containsKey(args[0])) {
            return schemasById.get(args[0]);
          }
          if (registryDown.get()) {
            refusedLookups.incrementAndGet();
            throw SchemaRegistryException.unreachable("GET /schemas/ids at registry:8081", new ConnectException("Connection refused"));
          }
          try {
            Object answer = method.invoke(registry, args);
            if (byId) {
              schemasById.put(args[0], answer);
            }
            return answer;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aRecordThatNeedsAnUnreachableRegistryIsReadAgainLaterAndNeverSkippedWhileOtherPartitionsReadOn() throws Exception {
    ReplayingConsumer kafka = new ReplayingConsumer();
    MockProducer<byte[], byte[]> deadLetters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    SpecificAvroSerializer<ParticipantStatus> statuses = new SpecificAvroSerializer<>(registry);
    SpecificAvroSerializer<CoordinatorTask> tasks = new SpecificAvroSerializer<>(registry);
    UUID taskId = UUID.randomUUID();
    try (ReadModel model = new ReadModel();
        ServiceMetrics metrics = ServiceMetrics.create("dashboard");
        ReadModelConsumer consumer = new ReadModelConsumer(kafka, deadLetters, flakyRegistry(), model, Clock.systemUTC(), metrics,
            Duration.ofMillis(50))) {
      consumer.start();
      await().atMost(Duration.ofSeconds(10)).until(consumer::caughtUp);

      // a status read while the registry is up: the status decoder holds its schema from then on
      kafka.append(STATUS, 0, "p-warm", statuses.serialize(STATUS.topic(), status("p-warm")));
      await().atMost(Duration.ofSeconds(10)).until(() -> model.status("p-warm") != null);

      registryDown.set(true);
      kafka.append(TASKS, 0, taskId.toString(), tasks.serialize(TASKS.topic(), Fixtures.task(taskId, TaskKind.ATTENDANCE_NOT_RECORDED,
          "p-warm", "0403", "s-12", "m-1", NOW, NOW.plus(Duration.ofHours(2)), TaskState.OPEN)));
      kafka.append(STATUS, 1, "p-during", statuses.serialize(STATUS.topic(), status("p-during")));

      // the status partition needs no registry now and reads on; the task waits and is tried again
      await().atMost(Duration.ofSeconds(10)).until(() -> model.status("p-during") != null);
      await().atMost(Duration.ofSeconds(10)).until(() -> refusedLookups.get() >= 4);
      assertThat(consumer.registryUnavailable()).isTrue();
      assertThat(model.task(taskId.toString())).isNull();
      assertThat(consumer.skippedRecords()).isZero();
      assertThat(model.positions(List.of(TASKS))).as("the task's offset is not stored past it").doesNotContainKey(TASKS);
      assertThat(deadLetters.history()).as("no dead letter for a record that is fine").isEmpty();

      registryDown.set(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> model.task(taskId.toString()) != null);
      await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.registryUnavailable());
      assertThat(consumer.skippedRecords()).isZero();
      assertThat(deadLetters.history()).isEmpty();
      assertThat(consumer.recordsRead()).as("each record counted once, however often it was tried").isEqualTo(3);
    }
    // the outage is logged when it starts and when it ends, not once per try
    List<ILoggingEvent> warnings = logged.events().stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage()).contains("registry").contains("nothing is skipped");
    assertThat(logged.events()).filteredOn(e -> e.getFormattedMessage().contains("available again")).hasSize(1);
  }

  private static ParticipantStatus status(String participantId) {
    return Fixtures.status(participantId, "0403", "s-12", NOW).build();
  }

  /**
   * A mock consumer with the topics the read model reads (one partition each, empty at the start) that
   * keeps every record it was given, so that a seek back fetches records again as a broker would.
   */
  private static final class ReplayingConsumer extends MockConsumer<String, byte[]> {
    private final List<ConsumerRecord<String, byte[]>> log = new CopyOnWriteArrayList<>();

    ReplayingConsumer() {
      super("earliest");
      Map<TopicPartition, Long> zero = new HashMap<>();
      for (String topic : ReadModelConsumer.TOPICS) {
        updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
        zero.put(new TopicPartition(topic, 0), 0L);
      }
      updateBeginningOffsets(zero);
      updateEndOffsets(zero);
    }

    void append(TopicPartition partition, long offset, String key, byte[] value) {
      ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
      log.add(record);
      addRecord(record);
    }

    @Override
    public synchronized void seek(TopicPartition partition, long offset) {
      super.seek(partition, offset);
      for (ConsumerRecord<String, byte[]> record : log) {
        if (record.topic().equals(partition.topic()) && record.partition() == partition.partition() && record.offset() >= offset) {
          addRecord(record);
        }
      }
    }

    @Override
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
      ConsumerRecords<String, byte[]> records = super.poll(timeout);
      if (records.isEmpty()) {
        try {
          Thread.sleep(5); // the mock answers at once; a real poll waits for records
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }
  }
}
