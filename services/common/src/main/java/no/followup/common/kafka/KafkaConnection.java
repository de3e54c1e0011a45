package no.followup.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where a service's Kafka is and how to connect to it securely. Every client a service builds
 * starts from {@link #clientConfig()}, so none can be given the brokers' address without also
 * getting the credentials and trust settings that go with it.
 */
public record KafkaConnection(String bootstrapServers, KafkaSecurity security) {

  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are required");
    }
    Objects.requireNonNull(security, "security");
  }

  /** A broker without authentication, e.g. the local stack's or a test's. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, KafkaSecurity.NONE);
  }

  /**
   * A new, modifiable client configuration with the bootstrap servers and the security settings;
   * the caller adds its own settings (which must not be security ones).
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> c = new HashMap<>(security.clientConfigs());
    c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return c;
  }

  /** {@link #clientConfig()} plus {@code settings}. */
  public Map<String, Object> clientConfig(Map<String, ?> settings) {
    Map<String, Object> c = clientConfig();
    c.putAll(settings);
    return c;
  }
}
