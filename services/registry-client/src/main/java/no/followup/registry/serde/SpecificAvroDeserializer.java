package no.followup.registry.serde;

import java.util.Map;
import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Deserializes registry wire format records into a generated Avro class. The reader schema is the
 * target class's own schema, so a record written with any compatible writer version (fetched by
 * its id) is resolved into the class this code was compiled against. The class's own
 * {@link SpecificData} is used, so logical types (UUID, Instant) come out converted.
 *
 * <p>The target class comes from the constructor, or the configuration ({@code specific.avro.value.type}
 * / {@code specific.avro.key.type}); without either, from the writer schema's full name, as
 * Confluent's {@code specific.avro.reader} does.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> extends AbstractAvroDeserializer<T> {

  private volatile Class<? extends SpecificRecord> targetType;

  /** Configured through {@link #configure}. */
  public SpecificAvroDeserializer() {
    this(null, null);
  }

  public SpecificAvroDeserializer(Class<T> targetType) {
    this(null, targetType);
  }

  public SpecificAvroDeserializer(SchemaRegistryClient client, Class<T> targetType) {
    super(client);
    this.targetType = targetType;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    super.configure(configs, isKey);
    if (targetType == null) {
      Object configured = configs.get(isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE);
      if (configured != null) {
        targetType = asRecordClass(configured);
      }
    }
  }

  @Override
  Schema readerSchema(Schema writer) {
    Class<?> type = targetType != null ? targetType : classNamedBy(writer);
    return SpecificData.getForClass(type).getSchema(type);
  }

  @Override
  DatumReader<Object> newReader(Schema writer, Schema reader) {
    // the class's own model carries the conversions of its logical types (UUID, Instant)
    return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
  }

  private static Class<?> classNamedBy(Schema writer) {
    Class<?> type = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new SerializationException("No generated class for " + writer.getFullName() + " on the class path; configure "
          + AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " or pass the target class");
    }
    return type;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends SpecificRecord> asRecordClass(Object configured) {
    Class<?> type;
    if (configured instanceof Class<?> c) {
      type = c;
    } else {
      try {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        type = Class.forName(configured.toString().trim(), true, loader != null ? loader : SpecificAvroDeserializer.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("Unknown Avro class " + configured, e);
      }
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type.getName() + " is not a generated Avro SpecificRecord class");
    }
    return (Class<? extends SpecificRecord>) type;
  }
}
