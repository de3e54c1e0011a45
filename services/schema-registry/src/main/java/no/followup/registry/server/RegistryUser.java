package no.followup.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The one user the local registry lets in (HTTP basic auth), as Confluent's registry does with a
 * password file: the local stack's services all sign in as it. The password never appears in
 * {@link #toString()}, a log line or an error.
 */
public record RegistryUser(String name, String password) {

  /** Shortest password accepted: a local stack's generated token has 43 characters. */
  static final int MIN_PASSWORD_LENGTH = 16;

  public RegistryUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    if (name.isBlank() || name.contains(":")) {
      throw new IllegalArgumentException("registry user name must be non-blank and without ':'");
    }
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException("registry password must have at least " + MIN_PASSWORD_LENGTH + " characters");
    }
  }

  /** Compares in constant time, so an answer's timing does not tell how much of a guess was right. */
  boolean matches(String offeredName, String offeredPassword) {
    if (offeredName == null || offeredPassword == null) {
      return false;
    }
    boolean nameMatches = MessageDigest.isEqual(bytes(name), bytes(offeredName));
    boolean passwordMatches = MessageDigest.isEqual(bytes(password), bytes(offeredPassword));
    return nameMatches & passwordMatches;
  }

  /** {@code user:password}, for a client's {@code basic.auth.user.info}. */
  public String userInfo() {
    return name + ":" + password;
  }

  @Override
  public String toString() {
    return "RegistryUser[" + name + "]";
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
