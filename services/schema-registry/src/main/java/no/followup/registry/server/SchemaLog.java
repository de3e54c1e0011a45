package no.followup.registry.server;

import no.followup.registry.SchemaRegistryState;

/** Where the registry's changes are kept. Each write returns only once the change is durable. */
interface SchemaLog extends AutoCloseable {

  /** Replays every stored change into {@code state}. */
  void load(SchemaRegistryState state);

  void write(SchemaRegistryState.NewVersion version) throws Exception;

  void write(SchemaRegistryState.ConfigChange change) throws Exception;

  @Override
  void close();

  /** Keeps nothing: schemas live as long as the process. */
  SchemaLog NONE = new SchemaLog() {
    @Override
    public void load(SchemaRegistryState state) {}

    @Override
    public void write(SchemaRegistryState.NewVersion version) {}

    @Override
    public void write(SchemaRegistryState.ConfigChange change) {}

    @Override
    public void close() {}
  };
}
