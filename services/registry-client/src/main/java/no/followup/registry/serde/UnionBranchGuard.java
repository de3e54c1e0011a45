package no.followup.registry.serde;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Stops Avro from reading a union branch the reader does not know as another branch.
 *
 * <p>When a writer's union holds a record the reader's union lacks (a payload type added after the
 * reader was built), Avro's resolver does not fail: it picks the first reader record that the
 * writer's record can be resolved into structurally, e.g. any record whose fields all have
 * defaults. A new payload type would then reach an old consumer as some other event. This guard
 * finds such branches once per (writer, reader) pair with Avro's {@link SchemaCompatibility}, which
 * matches records by name, and for writers that have any, decodes each record with the writer
 * schema first and rejects the ones that use such a branch. Other records of that writer, and all
 * records of writers without such branches, are read as usual (the latter at no extra cost).
 */
final class UnionBranchGuard {

  private static final UnionBranchGuard NONE = new UnionBranchGuard(null, Set.of());

  private final Schema writer;
  private final Set<Schema> unknownBranches;
  private final GenericDatumReader<Object> writerReader;

  private UnionBranchGuard(Schema writer, Set<Schema> unknownBranches) {
    this.writer = writer;
    this.unknownBranches = unknownBranches;
    this.writerReader = writer == null ? null : new GenericDatumReader<>(writer, writer, GenericData.get());
  }

  static UnionBranchGuard between(Schema reader, Schema writer) {
    Set<Schema> unknown = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
        .getResult().getIncompatibilities()) {
      if (incompatibility.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
        unknown.add(missingBranch(incompatibility));
      }
    }
    return unknown.isEmpty() ? NONE : new UnionBranchGuard(writer, unknown);
  }

  /** Avro reports the writer's whole union as the fragment, and the branch's index as the last step of the location. */
  private static Schema missingBranch(Incompatibility incompatibility) {
    Schema fragment = incompatibility.getWriterFragment();
    String location = incompatibility.getLocation();
    String lastStep = location.substring(location.lastIndexOf('/') + 1);
    if (fragment.getType() == Schema.Type.UNION && lastStep.chars().allMatch(Character::isDigit) && !lastStep.isEmpty()) {
      int index = Integer.parseInt(lastStep);
      if (index < fragment.getTypes().size()) {
        return fragment.getTypes().get(index);
      }
    }
    return fragment;
  }

  /** Throws when the record uses a union branch the reader lacks. */
  void check(byte[] data, int offset, int length, String topic, int id, Schema reader) throws IOException {
    if (unknownBranches.isEmpty()) {
      return;
    }
    Object datum = writerReader.read(null, DecoderFactory.get().binaryDecoder(data, offset, length, null));
    Schema unknown = findUnknownBranch(writer, datum);
    if (unknown != null) {
      throw new SerializationException("Record of topic " + topic + " (schema id " + id + ") holds a "
          + describe(unknown) + ", a union branch the reader schema " + reader.getFullName()
          + " does not have: the writer is newer than this reader, which needs upgrading to read it");
    }
  }

  private Schema findUnknownBranch(Schema schema, Object datum) {
    switch (schema.getType()) {
      case UNION -> {
        Schema branch = schema.getTypes().get(GenericData.get().resolveUnion(schema, datum));
        return unknownBranches.contains(branch) ? branch : findUnknownBranch(branch, datum);
      }
      case RECORD -> {
        GenericData.Record record = (GenericData.Record) datum;
        for (Schema.Field field : schema.getFields()) {
          Schema found = findUnknownBranch(field.schema(), record.get(field.pos()));
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      case ARRAY -> {
        for (Object element : (Iterable<?>) datum) {
          Schema found = findUnknownBranch(schema.getElementType(), element);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      case MAP -> {
        for (Object value : ((Map<?, ?>) datum).values()) {
          Schema found = findUnknownBranch(schema.getValueType(), value);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private static String describe(Schema branch) {
    return switch (branch.getType()) {
      case RECORD, ENUM, FIXED -> branch.getFullName();
      default -> branch.getType().getName();
    };
  }
}
