package no.followup.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {

  @TempDir Path dataDir;

  @Test
  void startsARealBrokerThatKeepsItsDataAcrossARestart() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dataDir))) {
      Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(common)) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "k", "v")).get();
      }

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();

      // auto-creation is off: a producer's metadata request for an unknown topic (which asks the
      // broker to auto-create it) times out instead of creating it
      Map<String, Object> impatient = Map.of("bootstrap.servers", broker.bootstrapServers(), "max.block.ms", 2000);
      try (var producer = new KafkaProducer<>(impatient, new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.partitionsFor("never-created")).isInstanceOf(TimeoutException.class);
      }
      try (Admin admin = Admin.create(common)) {
        assertThat(admin.listTopics().names().get()).contains("kept").doesNotContain("never-created");
      }
      try (var consumer = new KafkaConsumer<>(
          Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(), "group.id", "t", "auto.offset.reset", "earliest"),
          new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(Set.of("kept"));
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        for (int i = 0; i < 50 && records.isEmpty(); i++) {
          records = consumer.poll(Duration.ofMillis(200));
        }
        assertThat(records.count()).isEqualTo(1);
        assertThat(records.iterator().next().value()).isEqualTo("v");
      }
    }
  }
}
