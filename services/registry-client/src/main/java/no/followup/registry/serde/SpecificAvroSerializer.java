package no.followup.registry.serde;

import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serializes generated Avro classes in the registry wire format under subject {@code <topic>-value}
 * (or {@code -key}). Writes with the class's own {@link SpecificData}, so logical types (UUID,
 * Instant) are converted as the generated code expects.
 *
 * <p>With {@code auto.register.schemas=true} (default) the schema is registered on first use and a
 * 409 from the registry fails the write; with {@code false} its id is looked up and an unregistered
 * schema fails the write. Either way the id is cached: no registry call after the first record.
 */
public class SpecificAvroSerializer<T extends SpecificRecord> extends AbstractAvroSerializer<T> {

  /** Configured through {@link #configure}. */
  public SpecificAvroSerializer() {
    super(null);
  }

  /** Uses {@code client} instead of one created from the configuration. */
  public SpecificAvroSerializer(SchemaRegistryClient client) {
    super(client);
  }

  @Override
  Schema schemaOf(T record) {
    return record.getSchema();
  }

  @Override
  Object writerKey(T record) {
    return record.getClass();
  }

  @Override
  DatumWriter<Object> newWriter(T record, Schema schema) {
    return new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
  }
}
