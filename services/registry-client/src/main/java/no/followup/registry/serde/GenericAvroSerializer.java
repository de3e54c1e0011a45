package no.followup.registry.serde;

import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumWriter;

/** Serializes {@link GenericRecord}s with their own schema in the registry wire format (see {@link SpecificAvroSerializer}). */
public class GenericAvroSerializer extends AbstractAvroSerializer<GenericRecord> {

  public GenericAvroSerializer() {
    super(null);
  }

  public GenericAvroSerializer(SchemaRegistryClient client) {
    super(client);
  }

  @Override
  Schema schemaOf(GenericRecord record) {
    return record.getSchema();
  }

  @Override
  Object writerKey(GenericRecord record) {
    return record.getSchema();
  }

  @Override
  DatumWriter<Object> newWriter(GenericRecord record, Schema schema) {
    return new GenericDatumWriter<>(schema, GenericData.get());
  }
}
