package no.followup.status.http;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro records as plain JSON-ready maps, field by field in schema order: timestamps as ISO-8601,
 * enums and strings as strings. Hand-written because Jackson cannot bean-serialize generated Avro
 * classes (their getSchema() recurses) and Avro's own JSON encoding wraps unions in type names.
 */
public final class AvroJson {

  private AvroJson() {}

  public static Map<String, Object> toMap(IndexedRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      out.put(field.name(), value(record.get(field.pos())));
    }
    return out;
  }

  static Object value(Object v) {
    if (v == null || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof IndexedRecord r) {
      return toMap(r);
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(k.toString(), value(val)));
      return out;
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(item -> out.add(value(item)));
      return out;
    }
    if (v instanceof ByteBuffer) {
      return null; // raw bytes are never part of an API answer
    }
    return v.toString(); // strings, enums, uuids
  }
}
