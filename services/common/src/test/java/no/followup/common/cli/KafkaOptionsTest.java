package no.followup.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {

  @Command(name = "test")
  static final class TestCommand {
    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topics;
    @Mixin SchemaRegistrationOptions schemas;
  }

  private static TestCommand parse(String... args) {
    TestCommand command = new TestCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void optionsAreParsed() {
    TestCommand command = parse("--bootstrap-servers", "kafka:9093", "--schema-registry-url", "http://registry:8085",
        "--partitions", "6", "--replication-factor", "3", "--auto-register-schemas", "false");
    assertThat(command.kafka.bootstrapServers()).isEqualTo("kafka:9093");
    assertThat(command.kafka.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(command.topics.partitions()).isEqualTo(6);
    assertThat(command.topics.replicationFactor()).isEqualTo((short) 3);
    assertThat(command.schemas.autoRegisterSchemas()).isFalse();
  }

  @Test
  void defaultsComeFromTheEnvironmentElseTheLocalStack() {
    TestCommand command = parse();
    assertThat(command.kafka.bootstrapServers()).isEqualTo(envOr("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    assertThat(command.kafka.schemaRegistryUrl()).isEqualTo(envOr("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081"));
    assertThat(command.topics.partitions()).isEqualTo(Integer.parseInt(envOr("TOPIC_PARTITIONS", "3")));
    assertThat(command.topics.replicationFactor()).isEqualTo(Short.parseShort(envOr("TOPIC_REPLICATION_FACTOR", "1")));
    assertThat(command.schemas.autoRegisterSchemas()).isEqualTo(Boolean.parseBoolean(envOr("AUTO_REGISTER_SCHEMAS", "true")));
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
