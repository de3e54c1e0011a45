package no.followup.common.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How a client proves to Kafka who it is, and how it checks that it talks to the real brokers:
 * the security settings every producer, consumer, admin client and Streams application of a
 * service gets (through {@link KafkaConnection}), defined once.
 *
 * <p>Refuses combinations that would quietly connect with less security than meant: credentials
 * or key stores on a protocol that does not use them (a forgotten {@code KAFKA_SECURITY_PROTOCOL}
 * would otherwise connect unauthenticated), or SASL without a user and password. {@link #toString()}
 * never shows a password, and neither do the Kafka clients, which log these settings as "[hidden]".
 *
 * @param protocol {@code PLAINTEXT} (a local broker), {@code SASL_SSL} (production), {@code SSL}
 *     (mutual TLS, with a keystore), or {@code SASL_PLAINTEXT} (tests)
 * @param saslMechanism {@code SCRAM-SHA-512}, {@code SCRAM-SHA-256} or {@code PLAIN}; null without SASL
 * @param username the service's Kafka user (SASL only)
 * @param password its password (SASL only)
 * @param truststore the certificates the brokers are checked against; null for the JVM's own
 * @param keystore the client's certificate and key, for mutual TLS; null without
 */
public record KafkaSecurity(SecurityProtocol protocol, String saslMechanism, String username, String password,
    Store truststore, Store keystore) {

  /** No authentication and no encryption: for a broker on this machine only. */
  public static final KafkaSecurity NONE = new KafkaSecurity(SecurityProtocol.PLAINTEXT, null, null, null, null, null);

  private static final Set<String> SASL_MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

  /**
   * A key or trust store file.
   *
   * @param type {@code PKCS12}, {@code JKS} or {@code PEM}; null for Kafka's default
   * @param password null for a store without one (a PEM truststore)
   */
  public record Store(String location, String type, String password) {
    public Store {
      if (location == null || location.isBlank()) {
        throw new IllegalArgumentException("a key or trust store needs a location");
      }
    }

    @Override
    public String toString() {
      return "Store[location=" + location + ", type=" + type + (password == null ? "" : ", password=(hidden)") + "]";
    }
  }

  public KafkaSecurity {
    Objects.requireNonNull(protocol, "protocol");
    boolean sasl = protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SASL_PLAINTEXT;
    boolean tls = protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SSL;
    if (sasl) {
      if (saslMechanism == null || !SASL_MECHANISMS.contains(saslMechanism)) {
        throw new IllegalArgumentException("Kafka security protocol " + protocol + " needs a SASL mechanism, one of "
            + SASL_MECHANISMS + "; got " + saslMechanism);
      }
      if (username == null || username.isBlank() || password == null || password.isEmpty()) {
        throw new IllegalArgumentException("Kafka security protocol " + protocol
            + " needs a user and a password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD)");
      }
    } else if (saslMechanism != null || username != null || password != null) {
      throw new IllegalArgumentException("a Kafka SASL mechanism, user or password is set, but the security protocol is "
          + protocol + ", which would not use them: set KAFKA_SECURITY_PROTOCOL (SASL_SSL in production)");
    }
    if (!tls && (truststore != null || keystore != null)) {
      throw new IllegalArgumentException("a Kafka trust or key store is set, but the security protocol is " + protocol
          + ", which does not use TLS: set KAFKA_SECURITY_PROTOCOL to SASL_SSL or SSL");
    }
  }

  /** SASL authentication with a user and password (SCRAM or PLAIN), over TLS or not. */
  public static KafkaSecurity sasl(SecurityProtocol protocol, String mechanism, String username, String password) {
    return new KafkaSecurity(protocol, mechanism, username, password, null, null);
  }

  public KafkaSecurity withTruststore(Store value) {
    return new KafkaSecurity(protocol, saslMechanism, username, password, value, keystore);
  }

  public KafkaSecurity withKeystore(Store value) {
    return new KafkaSecurity(protocol, saslMechanism, username, password, truststore, value);
  }

  /** The Kafka client settings (security.protocol, sasl.*, ssl.*) these stand for. */
  public Map<String, String> clientConfigs() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
    if (saslMechanism != null) {
      c.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
      c.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
    }
    if (truststore != null) {
      putStore(c, truststore, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
          SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
    }
    if (keystore != null) {
      putStore(c, keystore, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG,
          SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
    }
    return c;
  }

  private String jaasConfig() {
    String module = saslMechanism.equals("PLAIN")
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=" + quoted(username) + " password=" + quoted(password) + ";";
  }

  /** A JAAS option value: Kafka's parser reads it as a Java-style quoted string. */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void putStore(Map<String, String> c, Store store, String location, String type, String password) {
    c.put(location, store.location());
    if (store.type() != null) {
      c.put(type, store.type());
    }
    if (store.password() != null) {
      c.put(password, store.password());
    }
  }

  @Override
  public String toString() {
    return "KafkaSecurity[protocol=" + protocol
        + (saslMechanism == null ? "" : ", saslMechanism=" + saslMechanism + ", username=" + username + ", password=(hidden)")
        + (truststore == null ? "" : ", truststore=" + truststore)
        + (keystore == null ? "" : ", keystore=" + keystore) + "]";
  }
}
