package no.followup.registry.serde;

import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;

/**
 * Deserializes registry wire format records into {@link GenericRecord}s: with the writer's own
 * schema, or resolved into a given reader schema (to read every version as the newest, say).
 */
public class GenericAvroDeserializer extends AbstractAvroDeserializer<GenericRecord> {

  private final Schema readerSchema;

  public GenericAvroDeserializer() {
    this(null, null);
  }

  public GenericAvroDeserializer(SchemaRegistryClient client) {
    this(client, null);
  }

  /** @param readerSchema the schema records are resolved into, or null for each record's writer schema */
  public GenericAvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
    super(client);
    this.readerSchema = readerSchema;
  }

  @Override
  Schema readerSchema(Schema writer) {
    return readerSchema != null ? readerSchema : writer;
  }

  @Override
  DatumReader<Object> newReader(Schema writer, Schema reader) {
    return new GenericDatumReader<>(writer, reader, GenericData.get());
  }
}
