package no.followup.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;
import no.followup.common.kafka.KafkaConnection;

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

  private static final Function<String, String> NO_ENVIRONMENT = name -> null;

  private static TestCommand parse(String... args) {
    TestCommand command = new TestCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void optionsAreParsed() {
    TestCommand command = parse("--bootstrap-servers", "kafka:9093", "--schema-registry-url", "http://registry:8085",
        "--partitions", "6", "--replication-factor", "3", "--auto-register-schemas", "false");
    assertThat(command.kafka.connection(NO_ENVIRONMENT).bootstrapServers()).isEqualTo("kafka:9093");
    assertThat(command.kafka.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(command.topics.partitions()).isEqualTo(6);
    assertThat(command.topics.replicationFactor()).isEqualTo((short) 3);
    assertThat(command.schemas.autoRegisterSchemas()).isFalse();
  }

  @Test
  void defaultsComeFromTheEnvironmentElseTheLocalStack() {
    TestCommand command = parse();
    assertThat(command.kafka.connection().bootstrapServers()).isEqualTo(envOr("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    assertThat(command.kafka.schemaRegistryUrl()).isEqualTo(envOr("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081"));
    assertThat(command.topics.partitions()).isEqualTo(Integer.parseInt(envOr("TOPIC_PARTITIONS", "3")));
    assertThat(command.topics.replicationFactor()).isEqualTo(Short.parseShort(envOr("TOPIC_REPLICATION_FACTOR", "1")));
    assertThat(command.schemas.autoRegisterSchemas()).isEqualTo(Boolean.parseBoolean(envOr("AUTO_REGISTER_SCHEMAS", "true")));
  }

  @Test
  void aSecuredConnectionTakesItsSecretsFromTheEnvironmentOnly() {
    KafkaConnection connection = parse("--bootstrap-servers", "kafka-1:9092,kafka-2:9092",
        "--kafka-security-protocol", "sasl_ssl", "--kafka-sasl-username", "followup-status",
        "--kafka-ssl-truststore-location", "/etc/kafka-trust/brokers.pem", "--kafka-ssl-truststore-type", "PEM")
        .kafka.connection(Map.of("KAFKA_SASL_PASSWORD", "pa\"ss\\word-0123456789")::get);

    assertThat(connection.clientConfig())
        .containsEntry("bootstrap.servers", "kafka-1:9092,kafka-2:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"followup-status\" password=\"pa\\\"ss\\\\word-0123456789\";")
        .containsEntry("ssl.truststore.location", "/etc/kafka-trust/brokers.pem")
        .containsEntry("ssl.truststore.type", "PEM")
        .doesNotContainKey("ssl.truststore.password");
    assertThat(connection.toString()).contains("followup-status").doesNotContain("word-0123456789");
  }

  @Test
  void settingsThatWouldConnectWithLessSecurityThanMeantAreRefused() {
    assertThatThrownBy(() -> parse("--kafka-security-protocol", "SASL_SSL", "--kafka-sasl-username", "followup-intake")
        .kafka.connection(NO_ENVIRONMENT))
        .hasMessageContaining("KAFKA_SASL_PASSWORD");
    assertThatThrownBy(() -> parse("--kafka-sasl-username", "followup-intake").kafka.connection(NO_ENVIRONMENT))
        .as("credentials without a protocol that uses them")
        .hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
    assertThatThrownBy(() -> parse().kafka.connection(Map.of("KAFKA_SASL_PASSWORD", "secret-secret-secret")::get))
        .hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
    assertThatThrownBy(() -> parse("--kafka-ssl-truststore-location", "/t.pem").kafka.connection(NO_ENVIRONMENT))
        .hasMessageContaining("TLS");
    assertThatThrownBy(() -> parse("--kafka-security-protocol", "SASL_SSL", "--kafka-sasl-username", "u",
        "--kafka-sasl-mechanism", "GSSAPI").kafka.connection(Map.of("KAFKA_SASL_PASSWORD", "p")::get))
        .hasMessageContaining("SCRAM-SHA-512");
    assertThatThrownBy(() -> parse("--kafka-security-protocol", "TLS").kafka.connection(NO_ENVIRONMENT))
        .hasMessageContaining("unknown Kafka security protocol");
  }

  @Test
  void mutualTlsUsesAKeystore() {
    KafkaConnection connection = parse("--kafka-security-protocol", "SSL",
        "--kafka-ssl-keystore-location", "/var/run/secrets/client.p12", "--kafka-ssl-keystore-type", "PKCS12",
        "--kafka-ssl-truststore-location", "/var/run/secrets/client.truststore.p12")
        .kafka.connection(Map.of("KAFKA_SSL_KEYSTORE_PASSWORD", "store-secret", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-secret")::get);
    assertThat(connection.clientConfig())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.keystore.location", "/var/run/secrets/client.p12")
        .containsEntry("ssl.keystore.password", "store-secret")
        .containsEntry("ssl.truststore.password", "trust-secret")
        .doesNotContainKey("sasl.jaas.config");
    assertThat(connection.toString()).doesNotContain("store-secret").doesNotContain("trust-secret");
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
