package no.followup.registry.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The REST contract against the registry's HTTP layer alone (schemas in memory), fast enough for every build. */
class InMemoryLocalSchemaRegistryContractTest extends SchemaRegistryContract {

  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    registry = LocalSchemaRegistry.startInMemory(0);
  }

  @AfterAll
  static void down() {
    registry.close();
  }

  @Override
  protected String registryUrl() {
    return registry.url();
  }

  @Override
  protected boolean mayChangeGlobalConfig() {
    return true;
  }

  @Override
  protected boolean avroSchemasOnly() {
    return true;
  }
}
