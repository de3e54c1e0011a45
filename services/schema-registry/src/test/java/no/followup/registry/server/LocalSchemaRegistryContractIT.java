package no.followup.registry.server;

import java.nio.file.Path;
import no.followup.localkafka.LocalKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The REST contract against {@link LocalSchemaRegistry} on a real broker. */
class LocalSchemaRegistryContractIT extends SchemaRegistryContract {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
    broker.close();
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
