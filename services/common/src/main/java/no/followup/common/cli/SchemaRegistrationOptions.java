package no.followup.common.cli;

import picocli.CommandLine.Option;

/**
 * Whether a service's serializers register their schemas on first use; use with {@code @Mixin}.
 * Default from {@code AUTO_REGISTER_SCHEMAS}, else true.
 */
public final class SchemaRegistrationOptions {

  @Option(names = "--auto-register-schemas", arity = "1", defaultValue = "${env:AUTO_REGISTER_SCHEMAS:-true}",
      description = "Register schemas on first use; false where the deploy step registers them (default: ${DEFAULT-VALUE}).")
  private boolean autoRegisterSchemas;

  public boolean autoRegisterSchemas() {
    return autoRegisterSchemas;
  }
}
