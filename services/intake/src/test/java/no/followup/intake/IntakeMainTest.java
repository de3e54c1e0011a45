package no.followup.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IntakeMainTest {

  @Test
  void sharedKafkaAndTopicOptionsReachTheConfig() {
    IntakeMain main = new IntakeMain();
    new CommandLine(main).parseArgs("--bootstrap-servers", "kafka-1:9093", "--schema-registry-url", "http://registry:8085",
        "--auto-register-schemas", "false", "--partitions", "6", "--replication-factor", "3", "--port", "0");
    IntakeConfig config = main.config();
    assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9093");
    assertThat(config.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.topicPartitions()).isEqualTo(6);
    assertThat(config.replicationFactor()).isEqualTo((short) 3);
    assertThat(config.port()).isZero();
  }
}
