package no.followup.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A schema registry's state and rules, without transport or storage: subjects and their versions,
 * global schema ids, compatibility levels. Shared by the {@code mock://} in-memory client and the
 * local registry server (which persists each change before applying it), so both behave alike.
 *
 * <p>Semantics follow the Confluent Schema Registry: a schema already registered under a subject
 * returns its existing id without a compatibility check; the same schema under another subject
 * reuses its global id; an unset subject level inherits the global level (BACKWARD unless set).
 * Schemas are compared by their parsed form ({@link Schema#toString()}), so whitespace and field
 * order of JSON attributes do not matter, but docs and names do.
 *
 * <p>Thread-safe: every method holds this object's lock, including the persistence callback of
 * a change, so ids and versions are assigned one at a time.
 */
public final class SchemaRegistryState {

  /** Writes a change somewhere durable before it is applied; throws to abort it. */
  @FunctionalInterface
  public interface Persister<T> {
    void persist(T change) throws Exception;
  }

  /** A new version of a subject, to be persisted. */
  public record NewVersion(String subject, int version, int id, Schema schema) {}

  /** A compatibility level change; {@code subject} null for the global level, {@code level} null to remove a subject's own level. */
  public record ConfigChange(String subject, CompatibilityLevel level) {}

  private final Map<String, TreeMap<Integer, Integer>> versionsBySubject = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonicalForm = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  public SchemaRegistryState(CompatibilityLevel defaultGlobalLevel) {
    this.globalLevel = defaultGlobalLevel;
  }

  /**
   * Registers {@code schema} under {@code subject}: returns the existing registration if there is
   * one, otherwise checks compatibility, persists the new version, applies it and returns it.
   *
   * @throws SchemaRegistryException 409 when incompatible; the persister's failure as a 500
   */
  public synchronized RegisteredSchema register(String subject, Schema schema, Persister<NewVersion> persister) {
    Optional<RegisteredSchema> existing = find(subject, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    CompatibilityLevel level = effectiveCompatibility(subject);
    CompatibilityResult result = CompatibilityChecker.check(level, schema, schemasOf(subject));
    if (!result.compatible()) {
      throw SchemaRegistryException.incompatible("Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\" (compatibility " + level + "), details: " + result.messages());
    }
    Integer knownId = idsByCanonicalForm.get(canonical(schema));
    int id = knownId != null ? knownId : maxId + 1;
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    NewVersion change = new NewVersion(subject, version, id, schema);
    persist(persister, change);
    applyVersion(subject, version, id, schema);
    return new RegisteredSchema(subject, version, id, schema);
  }

  /** Applies a version read back from storage (or just persisted). Idempotent. */
  public synchronized void applyVersion(String subject, int version, int id, Schema schema) {
    versionsBySubject.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, id);
    schemasById.putIfAbsent(id, schema);
    idsByCanonicalForm.putIfAbsent(canonical(schema), id);
    maxId = Math.max(maxId, id);
  }

  /** Removes a version read back from storage as deleted. */
  public synchronized void removeVersion(String subject, int version) {
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    if (versions != null) {
      versions.remove(version);
      if (versions.isEmpty()) {
        versionsBySubject.remove(subject);
      }
    }
  }

  /** Persists and applies a level change. */
  public synchronized void setCompatibility(String subjectOrNull, CompatibilityLevel level, Persister<ConfigChange> persister) {
    ConfigChange change = new ConfigChange(subjectOrNull, level);
    persist(persister, change);
    applyConfig(change);
  }

  /** Applies a level change read back from storage (or just persisted). */
  public synchronized void applyConfig(ConfigChange change) {
    if (change.subject() == null) {
      if (change.level() != null) {
        globalLevel = change.level();
      }
    } else if (change.level() == null) {
      subjectLevels.remove(change.subject());
    } else {
      subjectLevels.put(change.subject(), change.level());
    }
  }

  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    requireSubject(subject);
    return find(subject, schema).orElseThrow(() -> SchemaRegistryException.schemaNotFound("Schema not found under subject '" + subject + "'."));
  }

  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw SchemaRegistryException.schemaNotFound("Schema " + id + " not found");
    }
    return schema;
  }

  public synchronized List<String> subjects() {
    return versionsBySubject.keySet().stream().sorted().toList();
  }

  public synchronized List<Integer> versions(String subject) {
    return List.copyOf(requireSubject(subject).keySet());
  }

  public synchronized RegisteredSchema version(String subject, int version) {
    Integer id = requireSubject(subject).get(version);
    if (id == null) {
      throw SchemaRegistryException.versionNotFound(subject, version);
    }
    return new RegisteredSchema(subject, version, id, schemasById.get(id));
  }

  public synchronized RegisteredSchema latest(String subject) {
    return version(subject, requireSubject(subject).lastKey());
  }

  /** Checks against the subject's latest version (every version when the level is transitive); a subject without versions accepts anything. */
  public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema) {
    return CompatibilityChecker.check(effectiveCompatibility(subject), schema, schemasOf(subject));
  }

  /** Checks against one version of the subject. */
  public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema, int version) {
    RegisteredSchema against = version(subject, version);
    return CompatibilityChecker.checkAgainst(effectiveCompatibility(subject), schema, version, against.schema());
  }

  public synchronized CompatibilityLevel globalCompatibility() {
    return globalLevel;
  }

  /** The subject's own level, if it has one. */
  public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  public synchronized CompatibilityLevel effectiveCompatibility(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  /** Parses schema text as the registry does, mapping parse errors to 422 / 42201. */
  public static Schema parse(String schemaText) {
    // a fresh parser per schema: a parser remembers named types and would reject a redefinition
    return parse(new Schema.Parser(), schemaText);
  }

  /**
   * Like {@link #parse(String)}, with {@code parser}, which knows the named types it parsed before:
   * those of the schemas a schema references.
   */
  static Schema parse(Schema.Parser parser, String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw SchemaRegistryException.invalidSchema("Empty schema");
    }
    try {
      return parser.parse(schemaText);
    } catch (RuntimeException e) {
      throw SchemaRegistryException.invalidSchema("Invalid schema: " + e.getMessage());
    }
  }

  private Optional<RegisteredSchema> find(String subject, Schema schema) {
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    Integer id = idsByCanonicalForm.get(canonical(schema));
    if (versions == null || id == null) {
      return Optional.empty();
    }
    // the latest version carrying this id, as Confluent answers a lookup
    for (Map.Entry<Integer, Integer> version : versions.descendingMap().entrySet()) {
      if (version.getValue().equals(id)) {
        return Optional.of(new RegisteredSchema(subject, version.getKey(), id, schemasById.get(id)));
      }
    }
    return Optional.empty();
  }

  private NavigableMap<Integer, Schema> schemasOf(String subject) {
    TreeMap<Integer, Schema> schemas = new TreeMap<>();
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    if (versions != null) {
      versions.forEach((version, id) -> schemas.put(version, schemasById.get(id)));
    }
    return schemas;
  }

  private TreeMap<Integer, Integer> requireSubject(String subject) {
    TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw SchemaRegistryException.subjectNotFound(subject);
    }
    return versions;
  }

  private static String canonical(Schema schema) {
    return schema.toString();
  }

  private static <T> void persist(Persister<T> persister, T change) {
    try {
      persister.persist(change);
    } catch (SchemaRegistryException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new SchemaRegistryException(500, SchemaRegistryException.BACKEND_STORE_ERROR,
          "Error while storing the change: " + e.getMessage(), null, e);
    }
  }
}
