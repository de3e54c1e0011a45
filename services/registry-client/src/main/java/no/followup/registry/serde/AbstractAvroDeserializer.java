package no.followup.registry.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the registry wire format, whatever schema id they carry: the writer schema is
 * fetched by id (then cached) and resolved against the reader schema, so records written before a
 * compatible evolution stay readable. Every failure is a {@link SerializationException} naming
 * the topic and schema id; only null bytes (a tombstone) give a null record. Thread-safe once configured.
 */
abstract class AbstractAvroDeserializer<T> implements Deserializer<T> {

  static {
    // before any record is read: Avro reads its allocation limits once
    AvroLimits.install();
  }

  private volatile SchemaRegistryClient client;
  private final ConcurrentMap<Integer, Decoding> decodingByWriterId = new ConcurrentHashMap<>();

  /** How records of one writer schema are read. */
  private record Decoding(Schema reader, DatumReader<Object> datumReader, UnionBranchGuard guard) {}

  AbstractAvroDeserializer(SchemaRegistryClient client) {
    this.client = client;
  }

  /** The schema records of {@code writer} are read into. */
  abstract Schema readerSchema(Schema writer);

  /** A reader from {@code writer} to {@code reader}. */
  abstract DatumReader<Object> newReader(Schema writer, Schema reader);

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = SchemaRegistryClients.create(configs);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data, topic);
    Schema writer = writerSchema(id, topic);
    Decoding decoding = decodingByWriterId.computeIfAbsent(id, key -> {
      Schema reader = readerSchema(writer);
      return new Decoding(reader, newReader(writer, reader), UnionBranchGuard.between(reader, writer));
    });
    int bodyLength = data.length - WireFormat.HEADER_SIZE;
    try {
      decoding.guard().check(data, WireFormat.HEADER_SIZE, bodyLength, topic, id, decoding.reader());
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength, null);
      return (T) decoding.datumReader().read(null, decoder);
    } catch (SerializationException e) {
      throw e;
    } catch (EOFException e) {
      throw new SerializationException("Truncated record in topic " + topic + ": its Avro body (" + bodyLength
          + " bytes) ends before a complete " + writer.getFullName() + " (schema id " + id + ")", e);
    } catch (IOException | RuntimeException e) {
      // Only the failure's class: Avro's messages can quote the value (a uuid field's conversion says
      // "Invalid UUID string: <value>"), and this message reaches logs and dead letters. Not chained
      // either, so no stack trace printed later can carry the value.
      SerializationException failure = new SerializationException("Could not decode record of topic " + topic
          + " written with schema id " + id + " (" + writer.getFullName() + "): " + e.getClass().getName());
      failure.setStackTrace(e.getStackTrace());
      throw failure;
    } catch (OutOfMemoryError | StackOverflowError e) {
      // The last line of defence if the limits above are not in force: a record declaring a huge
      // length fails on one allocation that was never made, so the heap is as it was and the record
      // is an ordinary undecodable one (a dead letter), not a reason to stop the consumer forever.
      throw new SerializationException("Could not decode record of topic " + topic + " written with schema id " + id
          + " (" + writer.getFullName() + "): it declares more than can be allocated (" + e.getClass().getName() + ")");
    }
  }

  private Schema writerSchema(int id, String topic) {
    try {
      return requireClient().getSchemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
        throw new SerializationException("Unknown schema id " + id + " in record of topic " + topic
            + ": the registry has no schema with this id (written against another registry, or not a registry-encoded record?)", e);
      }
      throw new SerializationException("Could not fetch schema id " + id + " for a record of topic " + topic + ": " + e.getMessage(), e);
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
