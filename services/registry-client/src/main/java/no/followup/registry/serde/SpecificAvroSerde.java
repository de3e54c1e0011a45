package no.followup.registry.serde;

import java.util.Map;
import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} as one Kafka {@link Serde},
 * for producers, consumers and Kafka Streams (topics, state stores and their changelogs).
 *
 * <p>Call {@link #configure} with at least {@code schema.registry.url} before use: Kafka Streams
 * does not configure serdes passed to {@code Consumed}, {@code Produced} or {@code Materialized}.
 * A store's changelog gets its own subject ({@code <application.id>-<store>-changelog-value}), so an
 * application whose production serdes do not auto-register needs that subject registered too, or a
 * store serde configured with {@code auto.register.schemas=true}.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final SpecificAvroSerializer<T> serializer;
  private final SpecificAvroDeserializer<T> deserializer;

  /** The target class comes from {@code specific.avro.value.type} or the writer schema's name. */
  public SpecificAvroSerde() {
    this(null, null);
  }

  public SpecificAvroSerde(Class<T> targetType) {
    this(null, targetType);
  }

  /** Uses {@code client} (shared, with its caches) instead of one created from the configuration. */
  public SpecificAvroSerde(SchemaRegistryClient client, Class<T> targetType) {
    this.serializer = new SpecificAvroSerializer<>(client);
    this.deserializer = new SpecificAvroDeserializer<>(client, targetType);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
