package no.followup.registry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes records in the registry wire format; subclasses say how to write one kind of record. Thread-safe once configured. */
abstract class AbstractAvroSerializer<T> implements Serializer<T> {

  private volatile SchemaRegistryClient client;
  private volatile boolean autoRegister = true;
  private volatile boolean isKey;
  private volatile boolean removeJavaProperties = true;
  private final ConcurrentMap<Object, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  /** The schema registered for each writer key: the record's schema, maybe without Java-only properties. */
  private final ConcurrentMap<Object, Schema> registrySchemas = new ConcurrentHashMap<>();
  /**
   * Each thread's encoder, pointed at the next record's stream: a buffered encoder fills its own
   * buffer and hands the stream whole blocks, where a direct one writes every byte through the
   * stream's synchronized write, which cost the status service a few percent of its stream thread.
   */
  private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

  AbstractAvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  /** The schema {@code record} is written with. */
  abstract Schema schemaOf(T record);

  /** What writers are cached by (the generated class, or the schema). */
  abstract Object writerKey(T record);

  abstract DatumWriter<Object> newWriter(T record, Schema schema);

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.autoRegister = AvroSerdeConfig.autoRegister(configs);
    this.removeJavaProperties = AvroSerdeConfig.removeJavaProperties(configs);
    if (client == null) {
      client = SchemaRegistryClients.create(configs);
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null; // a tombstone stays a tombstone
    }
    SchemaRegistryClient registry = requireClient();
    Schema schema = schemaOf(record);
    String subject = AvroSerdeConfig.subject(topic, isKey);
    Schema registered = registrySchemas.computeIfAbsent(writerKey(record),
        key -> removeJavaProperties ? JavaProperties.remove(schema) : schema);
    int id = schemaId(registry, subject, registered);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(WireFormat.header(id));
    try {
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
      ENCODERS.set(encoder);
      writers.computeIfAbsent(writerKey(record), key -> newWriter(record, schema)).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      ENCODERS.remove(); // it may hold part of the failed record
      // Avro's own messages can quote the value (UnresolvedUnionException, "Not an enum: <value>"), and
      // this message reaches logs and dead letters: name the exception's class only, and do not chain
      // it, so no stack trace printed later can carry the value either.
      SerializationException failure = new SerializationException("Could not write a " + schema.getFullName()
          + " for topic " + topic + ": " + e.getClass().getName());
      failure.setStackTrace(e.getStackTrace());
      throw failure;
    }
    return out.toByteArray();
  }

  private int schemaId(SchemaRegistryClient registry, String subject, Schema schema) {
    try {
      return autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
    } catch (SchemaRegistryException e) {
      if (!autoRegister && e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
        throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '" + subject
            + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + " is false: register it first (RegisterSchemasCommand). "
            + e.getMessage(), e);
      }
      if (e.isIncompatible()) {
        throw new SerializationException("Schema " + schema.getFullName() + " is incompatible with subject '" + subject
            + "'; nothing was written. " + e.getMessage(), e);
      }
      throw new SerializationException("Could not get a schema id for " + schema.getFullName() + " under subject '"
          + subject + "': " + e.getMessage(), e);
    }
  }

  private SchemaRegistryClient requireClient() {
    SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not configured: call configure() with "
          + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " or pass a SchemaRegistryClient");
    }
    return registry;
  }
}
