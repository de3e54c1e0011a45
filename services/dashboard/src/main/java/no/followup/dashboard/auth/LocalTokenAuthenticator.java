package no.followup.dashboard.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import no.followup.common.auth.Caller;
import no.followup.common.auth.LocalToken;

/**
 * The local setup's sign-in: the local token (printed by the local stack, shared by all its doors)
 * works as a bearer token, and {@link #exchange} trades it for a session id that the page keeps in an
 * HttpOnly cookie, so the token itself does not ride along with every request. Either way the caller
 * is the local user, who has every role over every office. There is no identity provider in this
 * mode; the page says so.
 */
public final class LocalTokenAuthenticator implements Authenticator {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalToken token;
  private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
  private final Duration sessionTtl;
  private final Clock clock;

  public LocalTokenAuthenticator(LocalToken token, Duration sessionTtl, Clock clock) {
    this.token = token;
    this.sessionTtl = sessionTtl;
    this.clock = clock;
  }

  /** A new session id for the local token; empty when {@code offered} is not the token. */
  public Optional<String> exchange(String offered) {
    if (!token.matches(offered)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    sessions.values().removeIf(expires -> !now.isBefore(expires)); // sessions nobody came back to
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(session, now.plus(sessionTtl));
    return Optional.of(session);
  }

  public void logout(String session) {
    if (session != null) {
      sessions.remove(session);
    }
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    if (credentials.authorizationHeader() != null) {
      return token.authenticate(credentials.authorizationHeader());
    }
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
    return Optional.of(Caller.localUser());
  }
}
