package no.followup.registry.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.registry.CompatibilityLevel;
import no.followup.registry.CompatibilityResult;
import no.followup.registry.SchemaRegistryClient;
import org.apache.avro.Schema;

/**
 * Registers the contract's schemas as a build or deploy step: every schema is checked for
 * compatibility with its subject first, and only when all pass is any registered, so an
 * incompatible change registers nothing. Registering an unchanged schema is a no-op that returns
 * its existing id.
 */
public final class SchemaRegistration {

  /** The outcome of checking one subject. */
  public record Check(String subject, CompatibilityLevel level, CompatibilityResult result) {
    public boolean compatible() {
      return result.compatible();
    }

    /** A one-paragraph explanation naming the subject, the level and each incompatibility. */
    public String describe() {
      if (result.compatible()) {
        return "subject '" + subject + "': compatible";
      }
      String details = result.messages().isEmpty() ? "the registry gave no details" : String.join("; ", result.messages());
      return "subject '" + subject + "': incompatible under " + level + ": " + details;
    }
  }

  /** Thrown when at least one schema is incompatible with its subject; nothing was registered. */
  public static final class IncompatibleSchemaException extends RuntimeException {
    private final List<Check> failures;

    IncompatibleSchemaException(List<Check> failures) {
      super("Incompatible schema change, nothing registered: "
          + String.join(" | ", failures.stream().map(Check::describe).toList()));
      this.failures = List.copyOf(failures);
    }

    public List<Check> failures() {
      return failures;
    }
  }

  private SchemaRegistration() {}

  /** Checks every schema against its subject (a subject without versions accepts anything). */
  public static List<Check> checkAll(SchemaRegistryClient client, Map<String, Schema> schemasBySubject) {
    List<Check> checks = new ArrayList<>();
    new TreeMap<>(schemasBySubject).forEach((subject, schema) -> {
      CompatibilityResult result = client.checkCompatibility(subject, schema);
      // the level is only needed to explain a failure
      CompatibilityLevel level = result.compatible() ? null : client.getCompatibility(subject);
      checks.add(new Check(subject, level, result));
    });
    return checks;
  }

  /**
   * Checks every schema, then registers them all; returns the id of each subject's schema.
   *
   * @throws IncompatibleSchemaException if any schema is incompatible with its subject (nothing is registered then)
   * @throws no.followup.registry.SchemaRegistryException if the registry fails or refuses a schema
   */
  public static Map<String, Integer> registerAll(SchemaRegistryClient client, Map<String, Schema> schemasBySubject) {
    List<Check> failures = checkAll(client, schemasBySubject).stream().filter(check -> !check.compatible()).toList();
    if (!failures.isEmpty()) {
      throw new IncompatibleSchemaException(failures);
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    new TreeMap<>(schemasBySubject).forEach((subject, schema) -> {
      ids.put(subject, client.register(subject, schema));
    });
    return ids;
  }
}
