package no.followup.registry;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for unit tests (e.g. with {@code TopologyTestDriver}): what a
 * {@code mock://<scope>} url gives. Every client of the same scope sees the same registry, so a
 * serializer and a deserializer configured separately agree on ids, as with Confluent's mock urls.
 * Same rules as the local registry server ({@link SchemaRegistryState}); nothing is persisted.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private static final ConcurrentMap<String, SchemaRegistryState> SCOPES = new ConcurrentHashMap<>();

  private final SchemaRegistryState state;

  /** A private registry of its own. */
  public InMemorySchemaRegistryClient() {
    this(new SchemaRegistryState(CompatibilityLevel.BACKWARD));
  }

  private InMemorySchemaRegistryClient(SchemaRegistryState state) {
    this.state = state;
  }

  /** The registry shared by every client of {@code scope}. */
  public static InMemorySchemaRegistryClient forScope(String scope) {
    return new InMemorySchemaRegistryClient(SCOPES.computeIfAbsent(scope, s -> new SchemaRegistryState(CompatibilityLevel.BACKWARD)));
  }

  /** Forgets a scope, so the next test using its name starts empty. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public int register(String subject, Schema schema) {
    return state.register(subject, schema, change -> { }).id();
  }

  @Override
  public int getId(String subject, Schema schema) {
    return lookup(subject, schema).id();
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    return state.lookup(subject, schema);
  }

  @Override
  public Schema getSchemaById(int id) {
    return state.schemaById(id);
  }

  @Override
  public List<String> getSubjects() {
    return state.subjects();
  }

  @Override
  public List<Integer> getVersions(String subject) {
    return state.versions(subject);
  }

  @Override
  public RegisteredSchema getVersion(String subject, int version) {
    return state.version(subject, version);
  }

  @Override
  public RegisteredSchema getLatestVersion(String subject) {
    return state.latest(subject);
  }

  @Override
  public CompatibilityResult checkCompatibility(String subject, Schema schema) {
    return state.checkCompatibility(subject, schema);
  }

  @Override
  public CompatibilityResult checkCompatibility(String subject, Schema schema, int version) {
    return state.checkCompatibility(subject, schema, version);
  }

  @Override
  public CompatibilityLevel getGlobalCompatibility() {
    return state.globalCompatibility();
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    state.setCompatibility(null, level, change -> { });
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return state.effectiveCompatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    state.setCompatibility(subject, level, change -> { });
  }
}
