package no.followup.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one credential of a local setup: a random token, generated when the local stack starts (or
 * given to standalone services in {@code FOLLOWUP_TOKEN}), shared by every door of that setup. As a
 * bearer token it authenticates the local user, who has every role over every office; the dashboard
 * also trades it for a session cookie. There is no identity provider in this mode.
 */
public final class LocalToken implements BearerAuthenticator, AccessTokenSource {

  /** Shortest token accepted: a generated one has 64 characters (32 random bytes). */
  public static final int MIN_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;

  private LocalToken(String value) {
    this.value = value;
  }

  /** A fresh random token. */
  public static LocalToken generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    // hexadecimal, not base64: a token that began with '-' would be taken for an option on a command
    // line ("--token -x…"), and one of every 64 base64 tokens does
    return new LocalToken(HexFormat.of().formatHex(bytes));
  }

  /**
   * A token chosen by whoever runs the setup.
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_LENGTH} or contains whitespace
   */
  public static LocalToken of(String value) {
    if (value == null || value.length() < MIN_LENGTH || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException("a local token must be at least " + MIN_LENGTH
          + " printable characters without spaces (a random value)");
    }
    return new LocalToken(value);
  }

  /** The token itself: to print for the person starting the stack, never to log. */
  public String value() {
    return value;
  }

  /** True when {@code offered} is the token; takes the same time whatever the input, so it cannot be guessed piecewise. */
  public boolean matches(String offered) {
    return offered != null
        && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), offered.trim().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<Caller> authenticate(String authorizationHeader) {
    return matches(BearerAuthenticator.bearerToken(authorizationHeader)) ? Optional.of(Caller.localUser()) : Optional.empty();
  }

  @Override
  public String accessToken() {
    return value;
  }

  /** Redacted: a token must not reach a log through a configuration's toString. */
  @Override
  public String toString() {
    return "LocalToken[redacted]";
  }
}
