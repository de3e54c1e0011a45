package no.followup.common.cli;

import java.util.Locale;
import java.util.function.Function;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.kafka.KafkaSecurity;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import picocli.CommandLine.Option;

/**
 * Where a service finds Kafka and the schema registry, and how it authenticates to Kafka; use with
 * {@code @Mixin}. Defaults come from the environment ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}, {@code KAFKA_SECURITY_PROTOCOL}, ...), else the local stack's
 * unauthenticated broker and registry.
 *
 * <p>Secrets come from the environment only ({@code KAFKA_SASL_PASSWORD},
 * {@code KAFKA_SSL_TRUSTSTORE_PASSWORD}, {@code KAFKA_SSL_KEYSTORE_PASSWORD}): a command line is
 * visible to every user of the machine. Registry credentials ride in the registry url's user-info.
 */
public final class KafkaOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  private String bootstrapServers;

  // The default is not shown in --help: it may carry the registry password as user-info.
  @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
      description = "Schema registry url; credentials as user-info (default: from SCHEMA_REGISTRY_URL, else the local registry).",
      showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
  private String schemaRegistryUrl;

  @Option(names = "--kafka-security-protocol", defaultValue = "${env:KAFKA_SECURITY_PROTOCOL:-PLAINTEXT}",
      description = "PLAINTEXT, SASL_SSL, SSL or SASL_PLAINTEXT (default: ${DEFAULT-VALUE}).")
  private String securityProtocol;

  @Option(names = "--kafka-sasl-mechanism", defaultValue = "${env:KAFKA_SASL_MECHANISM:-SCRAM-SHA-512}",
      description = "SASL mechanism: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (default: ${DEFAULT-VALUE}).")
  private String saslMechanism;

  @Option(names = "--kafka-sasl-username", defaultValue = "${env:KAFKA_SASL_USERNAME:-}",
      description = "Kafka user (SASL); its password from KAFKA_SASL_PASSWORD.")
  private String saslUsername;

  @Option(names = "--kafka-ssl-truststore-location", defaultValue = "${env:KAFKA_SSL_TRUSTSTORE_LOCATION:-}",
      description = "Certificates to check the brokers against (TLS); password, if any, from KAFKA_SSL_TRUSTSTORE_PASSWORD.")
  private String truststoreLocation;

  @Option(names = "--kafka-ssl-truststore-type", defaultValue = "${env:KAFKA_SSL_TRUSTSTORE_TYPE:-}",
      description = "PEM, PKCS12 or JKS (default: Kafka's).")
  private String truststoreType;

  @Option(names = "--kafka-ssl-keystore-location", defaultValue = "${env:KAFKA_SSL_KEYSTORE_LOCATION:-}",
      description = "This service's certificate and key, for mutual TLS; password from KAFKA_SSL_KEYSTORE_PASSWORD.")
  private String keystoreLocation;

  @Option(names = "--kafka-ssl-keystore-type", defaultValue = "${env:KAFKA_SSL_KEYSTORE_TYPE:-}",
      description = "PKCS12, JKS or PEM (default: Kafka's).")
  private String keystoreType;

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /**
   * The brokers and this service's security settings, secrets read from the environment.
   *
   * @throws IllegalArgumentException when the settings do not fit together (see {@link KafkaSecurity})
   */
  public KafkaConnection connection() {
    return connection(System::getenv);
  }

  /** As {@link #connection()}, reading secrets from {@code environment} (variable name to value). */
  public KafkaConnection connection(Function<String, String> environment) {
    SecurityProtocol protocol = protocol(securityProtocol);
    boolean sasl = protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SASL_PLAINTEXT;
    KafkaSecurity security = new KafkaSecurity(protocol,
        sasl ? saslMechanism.trim() : null,
        blankToNull(saslUsername),
        blankToNull(environment.apply("KAFKA_SASL_PASSWORD")),
        store(truststoreLocation, truststoreType, environment.apply("KAFKA_SSL_TRUSTSTORE_PASSWORD")),
        store(keystoreLocation, keystoreType, environment.apply("KAFKA_SSL_KEYSTORE_PASSWORD")));
    return new KafkaConnection(bootstrapServers, security);
  }

  private static SecurityProtocol protocol(String name) {
    try {
      return SecurityProtocol.forName(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown Kafka security protocol '" + name + "': one of "
          + SecurityProtocol.names(), e);
    }
  }

  private static KafkaSecurity.Store store(String location, String type, String password) {
    if (blankToNull(location) == null) {
      if (blankToNull(password) != null) {
        throw new IllegalArgumentException("a Kafka trust or key store password is set without the store's location");
      }
      return null;
    }
    return new KafkaSecurity.Store(location.trim(), blankToNull(type), blankToNull(password));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
