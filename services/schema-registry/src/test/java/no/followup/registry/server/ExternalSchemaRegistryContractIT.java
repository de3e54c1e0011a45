package no.followup.registry.server;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The REST contract against any registry, e.g. a Confluent Schema Registry: runs only when the
 * system property or environment variable {@code SCHEMA_REGISTRY_URL} is set
 * ({@code ./mvnw -pl services/schema-registry verify -DSCHEMA_REGISTRY_URL=http://localhost:8081}).
 * Leaves the registry-wide level alone; subjects it creates are named {@code contract-<run>-...}.
 */
@EnabledIf("urlGiven")
class ExternalSchemaRegistryContractIT extends SchemaRegistryContract {

  static boolean urlGiven() {
    return url() != null;
  }

  private static String url() {
    String url = System.getProperty("SCHEMA_REGISTRY_URL", System.getenv("SCHEMA_REGISTRY_URL"));
    return url == null || url.isBlank() ? null : url.trim();
  }

  @Override
  protected String registryUrl() {
    return url();
  }
}
