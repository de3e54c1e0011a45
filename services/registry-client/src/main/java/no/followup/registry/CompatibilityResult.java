package no.followup.registry;

import java.util.List;

/** The outcome of a compatibility check; {@code messages} says what is incompatible, empty when compatible. */
public record CompatibilityResult(boolean compatible, List<String> messages) {

  public CompatibilityResult {
    messages = List.copyOf(messages);
  }

  public static CompatibilityResult ok() {
    return new CompatibilityResult(true, List.of());
  }
}
