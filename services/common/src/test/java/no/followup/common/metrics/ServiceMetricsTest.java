package no.followup.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.followup.common.streams.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  @Test
  void aDeadLetteredRecordIsCountedBySourceTopicFromZeroOnTheRegistryStreamsHandsOver() {
    try (ServiceMetrics metrics = ServiceMetrics.create("status")) {
      metrics.countDeadLettersOf(List.of("followup.events.v1"));
      assertThat(metrics.scrape()).contains("followup_dead_letters_total{service=\"status\",source_topic=\"followup.events.v1\"} 0.0");
      DeadLetters.DeserializationHandler handler = new DeadLetters.DeserializationHandler();
      handler.configure(metrics.streamsConfig());
      ConsumerRecord<byte[], byte[]> poison = new ConsumerRecord<>("followup.events.v1", 2, 41L,
          "p-7f3a9c".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9});

      DeserializationExceptionHandler.Response response = handler.handleError(null, poison, new SerializationException("bad magic byte"));

      assertThat(response.deadLetterQueueRecords()).hasSize(1);
      assertThat(metrics.registry().get(ServiceMetrics.DEAD_LETTERS)
          .tags("source_topic", "followup.events.v1").counter().count()).isEqualTo(1.0);
      assertThat(metrics.scrape())
          .contains("followup_dead_letters_total{service=\"status\",source_topic=\"followup.events.v1\"} 1.0")
          .doesNotContain("p-7f3a9c")
          .doesNotContain("bad magic byte");
    }
  }

  @Test
  void storeMetricsOfEveryKindOfStoreAreKeptUnderOneSetOfTags() {
    try (ServiceMetrics metrics = ServiceMetrics.create("reminders")) {
      // the tag keys Micrometer's KafkaStreamsMetrics gives a RocksDB key-value, a RocksDB window
      // and an in-memory store of Kafka Streams
      storeGauge(metrics, "rocksdb.state.id", "reminders-state", 1.0);
      storeGauge(metrics, "rocksdb.window.state.id", "reminders-seen-events", 2.0);
      storeGauge(metrics, "in.memory.state.id", "status-uncounted", 3.0);

      assertThat(metrics.scrape())
          .contains("kafka_stream_state_put_rate{service=\"reminders\",store=\"reminders-state\","
              + "store_type=\"rocksdb-state\",task_id=\"0_1\",thread_id=\"t-1\"} 1.0")
          .contains("kafka_stream_state_put_rate{service=\"reminders\",store=\"reminders-seen-events\","
              + "store_type=\"rocksdb-window-state\",task_id=\"0_1\",thread_id=\"t-1\"} 2.0")
          .contains("kafka_stream_state_put_rate{service=\"reminders\",store=\"status-uncounted\","
              + "store_type=\"in-memory-state\",task_id=\"0_1\",thread_id=\"t-1\"} 3.0");
    }
  }

  private static void storeGauge(ServiceMetrics metrics, String storeTag, String store, double value) {
    Gauge.builder("kafka.stream.state.put.rate", () -> value)
        .tags(storeTag, store, "task.id", "0_1", "thread.id", "t-1")
        .register(metrics.registry());
  }
}
