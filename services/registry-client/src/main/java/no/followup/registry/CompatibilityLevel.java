package no.followup.registry;

import java.util.Locale;

/** Compatibility levels, named and meant as in the Confluent Schema Registry. */
public enum CompatibilityLevel {
  /** No check. */
  NONE(false, false, false),
  /** The new schema can read data written with the latest version. */
  BACKWARD(true, false, false),
  /** The new schema can read data written with every earlier version. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** Data written with the new schema can be read with the latest version. */
  FORWARD(false, true, false),
  /** Data written with the new schema can be read with every earlier version. */
  FORWARD_TRANSITIVE(false, true, true),
  /** Both BACKWARD and FORWARD against the latest version. */
  FULL(true, true, false),
  /** Both BACKWARD and FORWARD against every earlier version. */
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** The new schema must read data written with the old one(s). */
  public boolean backward() {
    return backward;
  }

  /** The old schema(s) must read data written with the new one. */
  public boolean forward() {
    return forward;
  }

  /** Checked against every earlier version, not only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /**
   * Parses a level case-insensitively.
   *
   * @throws SchemaRegistryException (422, 42203) for an unknown name
   */
  public static CompatibilityLevel parse(String name) {
    if (name == null) {
      throw SchemaRegistryException.invalidCompatibilityLevel("null");
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw SchemaRegistryException.invalidCompatibilityLevel(name);
    }
  }
}
