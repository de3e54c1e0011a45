package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.kafka.KafkaSecurity;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.junit.jupiter.api.Test;

class StreamsDefaultsTest {

  @Test
  void baseConfigurationIsExactlyOnceBoundedAndDeadLettering() {
    Map<String, Object> c = StreamsDefaults.builder("app-1", "127.0.0.1:9092")
        .stateDir(Path.of("/tmp/state-x"))
        .replicationFactor(1)
        .build().entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));

    StreamsConfig config = new StreamsConfig(c);
    assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("app-1");
    assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/tmp/state-x");
    assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(200L);
    assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
    assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
    assertThat(config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(1024L * 1024);
    assertThat(config.getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbConfigSetter.class);
    assertThat(config.getString(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo(Topics.DEAD_LETTER.name());
    assertThat(config.getProducerConfigs("c")).containsEntry("batch.size", StreamsDefaults.PRODUCER_BATCH_BYTES);

    DeserializationExceptionHandler deser = config.deserializationExceptionHandler();
    ProcessingExceptionHandler processing = config.processingExceptionHandler();
    ProductionExceptionHandler production = config.productionExceptionHandler();
    assertThat(deser).isInstanceOf(DeadLetters.DeserializationHandler.class);
    assertThat(processing).isInstanceOf(DeadLetters.ProcessingHandler.class);
    assertThat(production).isInstanceOf(DeadLetters.ProductionHandler.class);
    // the consumer inherits read_committed
    assertThat(config.getMainConsumerConfigs("g", "c", 0)).containsEntry("isolation.level", "read_committed");
  }

  @Test
  void overridesWinOverDefaults() {
    Map<String, Object> c = StreamsDefaults.builder("app-2", "b:1")
        .commitInterval(Duration.ofSeconds(1))
        .deadLetterTopic("my-dlq")
        .schemaRegistryUrl("mock://x")
        .with(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
        .with(PromptCommits.STREAMS_CONFIG)
        .toMap();
    assertThat(c).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L)
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
        .containsEntry("producer.retry.backoff.ms", 10)
        .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "my-dlq")
        .containsEntry("schema.registry.url", "mock://x")
        .doesNotContainKey(StreamsConfig.STATE_DIR_CONFIG);
  }

  @Test
  void everyClientOfTheApplicationGetsTheSecuritySettings() {
    KafkaConnection kafka = new KafkaConnection("kafka-1:9092",
        KafkaSecurity.sasl(SecurityProtocol.SASL_SSL, "SCRAM-SHA-512", "followup-status", "a-long-secret-password")
            .withTruststore(new KafkaSecurity.Store("/etc/kafka-trust/brokers.pem", "PEM", null)));
    StreamsConfig config = new StreamsConfig(StreamsDefaults.builder("app-3", kafka).toMap());

    for (Map<String, Object> client : java.util.List.of(config.getMainConsumerConfigs("g", "c", 0),
        config.getRestoreConsumerConfigs("c"), config.getProducerConfigs("c"), config.getAdminConfigs("c"))) {
      assertThat(client).containsEntry("bootstrap.servers", "kafka-1:9092")
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("ssl.truststore.type", "PEM")
          .containsKey("sasl.jaas.config");
    }
  }
}
