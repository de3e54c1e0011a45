package no.followup.registry.serde;

import java.util.Map;
import no.followup.registry.RegistryClientConfig;

/** Configuration keys of the Avro serdes (Confluent's names), besides the client's in {@link RegistryClientConfig}. */
public final class AvroSerdeConfig {

  public static final String SCHEMA_REGISTRY_URL = RegistryClientConfig.URL;
  /** Register a schema on first use (default true). Off in production: schemas are registered by a deploy step. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  /** The generated class a specific deserializer of record values produces (class or class name). */
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
  /** The generated class a specific deserializer of record keys produces (class or class name). */
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

  /**
   * Register and look up schemas without the Java-only {@code avro.java.string} properties of
   * generated classes, so they match the {@code .avsc} files the registration command registers.
   * Default true here (Confluent's default is false), because this project's generated classes
   * carry them and its registry holds the {@code .avsc} form.
   */
  public static final String REMOVE_JAVA_PROPERTIES = "avro.remove.java.properties";

  private AvroSerdeConfig() {}

  static boolean removeJavaProperties(Map<String, ?> config) {
    Object value = config.get(REMOVE_JAVA_PROPERTIES);
    return value == null || Boolean.parseBoolean(value.toString().trim());
  }

  static boolean autoRegister(Map<String, ?> config) {
    Object value = config.get(AUTO_REGISTER_SCHEMAS);
    return value == null || Boolean.parseBoolean(value.toString().trim());
  }

  /** {@code <topic>-key} or {@code <topic>-value}: the topic name strategy. */
  public static String subject(String topic, boolean isKey) {
    if (topic == null) {
      throw new org.apache.kafka.common.errors.SerializationException("A topic is needed to name the schema subject");
    }
    return topic + (isKey ? "-key" : "-value");
  }
}
