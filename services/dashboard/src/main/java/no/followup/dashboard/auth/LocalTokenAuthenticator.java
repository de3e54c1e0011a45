package no.followup.dashboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded default's sign-in: at start a random one-time login token is generated (the local
 * stack prints it); {@link #exchange} trades it, once, for a session id that the page keeps in an
 * HttpOnly cookie. The session belongs to the local user, who has every role over every office.
 * There is no identity provider in this mode; the page says so.
 */
public final class LocalTokenAuthenticator implements Authenticator {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final AtomicReference<String> unusedToken;
  private final String token;
  private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
  private final Duration sessionTtl;
  private final Clock clock;

  public LocalTokenAuthenticator(Duration sessionTtl, Clock clock) {
    this.token = randomToken();
    this.unusedToken = new AtomicReference<>(token);
    this.sessionTtl = sessionTtl;
    this.clock = clock;
  }

  /** The one-time login token (also after it was used, so a launcher can still print what it was). */
  public String loginToken() {
    return token;
  }

  /** True while the token has not been exchanged. */
  public boolean tokenUnused() {
    return unusedToken.get() != null;
  }

  /**
   * Exchanges the one-time token for a new session id; empty when the token is wrong or was used.
   * The comparison takes the same time whatever the input, so the token cannot be guessed piecewise.
   */
  public Optional<String> exchange(String offered) {
    String expected = unusedToken.get();
    if (offered == null || expected == null || !constantTimeEquals(expected, offered.trim())) {
      return Optional.empty();
    }
    if (!unusedToken.compareAndSet(expected, null)) {
      return Optional.empty(); // someone else used it a moment ago
    }
    String session = randomToken();
    sessions.put(session, clock.instant().plus(sessionTtl));
    return Optional.of(session);
  }

  public void logout(String session) {
    if (session != null) {
      sessions.remove(session);
    }
  }

  @Override
  public Optional<StaffUser> authenticate(Credentials credentials) {
    String session = credentials.sessionCookie();
    if (session == null) {
      return Optional.empty();
    }
    Instant expires = sessions.get(session);
    if (expires == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(expires)) {
      sessions.remove(session);
      return Optional.empty();
    }
    return Optional.of(StaffUser.localUser());
  }

  @Override
  public boolean localMode() {
    return true;
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
