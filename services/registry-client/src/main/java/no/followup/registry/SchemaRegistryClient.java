package no.followup.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API this project uses. Implementations cache what
 * never changes (ids are immutable), so serializers and deserializers make no remote call once warm.
 *
 * <p>Failures are {@link SchemaRegistryException}s carrying the registry's status, error code and message.
 * Create instances with {@link SchemaRegistryClients#create(java.util.Map)}.
 */
public interface SchemaRegistryClient {

  /** Registers {@code schema} under {@code subject} (idempotent: the same schema gets the same id) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} as registered under {@code subject}; a 404 {@link SchemaRegistryException} if it is not. */
  int getId(String subject, Schema schema);

  /** The version and id of {@code schema} under {@code subject}; a 404 {@link SchemaRegistryException} if it is not registered there. */
  RegisteredSchema lookup(String subject, Schema schema);

  /** The schema with this global id. */
  Schema getSchemaById(int id);

  /** Every subject. */
  List<String> getSubjects();

  /** The versions of a subject, oldest first. */
  List<Integer> getVersions(String subject);

  /** One version of a subject. */
  RegisteredSchema getVersion(String subject, int version);

  /** The latest version of a subject. */
  RegisteredSchema getLatestVersion(String subject);

  /** Whether {@code schema} may be registered under {@code subject} now (a subject without versions accepts anything). */
  default boolean testCompatibility(String subject, Schema schema) {
    return checkCompatibility(subject, schema).compatible();
  }

  /** Like {@link #testCompatibility(String, Schema)}, with the registry's explanation of each incompatibility. */
  CompatibilityResult checkCompatibility(String subject, Schema schema);

  /** Checks {@code schema} against one version of the subject, under the subject's level. */
  CompatibilityResult checkCompatibility(String subject, Schema schema, int version);

  /** The registry-wide compatibility level. */
  CompatibilityLevel getGlobalCompatibility();

  void setGlobalCompatibility(CompatibilityLevel level);

  /** The level in force for a subject: its own, or the global one when it has none. */
  CompatibilityLevel getCompatibility(String subject);

  void setCompatibility(String subject, CompatibilityLevel level);
}
