package no.followup.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The compatibility rules, in one place for the in-memory registry and the local server. Each
 * reader/writer pair is judged by Avro's own {@link SchemaCompatibility}, the checker Avro's schema
 * resolution is built on, so "compatible" here means "Avro will actually decode it".
 */
public final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /**
   * Checks {@code candidate} against a subject's existing versions under {@code level}.
   *
   * @param existing the subject's versions by version number (may be empty: a new subject accepts anything)
   */
  public static CompatibilityResult check(CompatibilityLevel level, Schema candidate, NavigableMap<Integer, Schema> existing) {
    if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
      return CompatibilityResult.ok();
    }
    NavigableMap<Integer, Schema> against = level.transitive() ? existing : existing.tailMap(existing.lastKey(), true);
    List<String> messages = new ArrayList<>();
    for (Map.Entry<Integer, Schema> version : against.descendingMap().entrySet()) {
      messages.addAll(checkPair(level, candidate, version.getKey(), version.getValue()));
    }
    return new CompatibilityResult(messages.isEmpty(), messages);
  }

  /** Checks {@code candidate} against one given version (Confluent's check against a specific version). */
  public static CompatibilityResult checkAgainst(CompatibilityLevel level, Schema candidate, int version, Schema existing) {
    if (level == CompatibilityLevel.NONE) {
      return CompatibilityResult.ok();
    }
    List<String> messages = checkPair(level, candidate, version, existing);
    return new CompatibilityResult(messages.isEmpty(), messages);
  }

  private static List<String> checkPair(CompatibilityLevel level, Schema candidate, int version, Schema existing) {
    List<String> messages = new ArrayList<>();
    if (level.backward()) {
      // the new schema reads what the old one wrote
      describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
          "the new schema cannot read data written with version " + version, messages);
    }
    if (level.forward()) {
      // the old schema reads what the new one writes
      describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate),
          "version " + version + " cannot read data written with the new schema", messages);
    }
    return messages;
  }

  private static void describe(SchemaPairCompatibility pair, String direction, List<String> messages) {
    if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
      messages.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
          + " (" + incompatibility.getMessage() + ")");
    }
  }
}
