package no.followup.dashboard.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.followup.common.auth.Caller;
import no.followup.common.auth.LocalToken;

/**
 * The local setup's sign-in: the local token (printed by the local stack, shared by all its doors)
 * works as a bearer token, and {@link #exchange} trades it for a session id that the page keeps in an
 * HttpOnly cookie, so the token itself does not ride along with every request. Either way the caller
 * is the local user, who has every role over every office. There is no identity provider in this
 * mode; the page says so.
 *
 * <p>A session id carries its own expiry and a random part, signed (HMAC-SHA256) with a key derived
 * from the local token: every dashboard instance given the same token accepts it, so a browser
 * behind a load balancer stays signed in whichever instance answers, and no instance keeps a session
 * table. Logging out clears the browser's cookie and revokes the id on the instance asked; another
 * instance would still accept a copy of it until it expires (the session lifetime). In OIDC mode the
 * dashboard keeps no sessions at all (a login proxy in front holds them).
 */
public final class LocalTokenAuthenticator implements Authenticator {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MAC = "HmacSHA256";
  private static final int RANDOM_BYTES = 16;
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

  private final LocalToken token;
  private final SecretKeySpec key;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final Duration sessionTtl;
  private final Clock clock;

  public LocalTokenAuthenticator(LocalToken token, Duration sessionTtl, Clock clock) {
    this.token = token;
    this.sessionTtl = sessionTtl;
    this.clock = clock;
    try {
      // a key of its own: a session id never reveals anything of the token, nor works as one
      this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256")
          .digest(("followup-dashboard-session\u0000" + token.value()).getBytes(StandardCharsets.UTF_8)), MAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** A new session id for the local token; empty when {@code offered} is not the token. */
  public Optional<String> exchange(String offered) {
    if (!token.matches(offered)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    revoked.values().removeIf(expires -> !now.isBefore(expires)); // expired ones no longer need revoking
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    byte[] payload = ByteBuffer.allocate(Long.BYTES + RANDOM_BYTES).putLong(now.plus(sessionTtl).getEpochSecond())
        .put(random).array();
    return Optional.of(ENCODE.encodeToString(payload) + "." + ENCODE.encodeToString(sign(payload)));
  }

  public void logout(String session) {
    if (session != null) {
      expiry(session).ifPresent(expires -> revoked.put(session, expires));
    }
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    if (credentials.authorizationHeader() != null) {
      return token.authenticate(credentials.authorizationHeader());
    }
    String session = credentials.sessionCookie();
    if (session == null || revoked.containsKey(session)) {
      return Optional.empty();
    }
    return expiry(session).filter(expires -> clock.instant().isBefore(expires)).map(expires -> Caller.localUser());
  }

  /** The expiry a session id carries, when its signature is good. */
  private Optional<Instant> expiry(String session) {
    int dot = session.indexOf('.');
    if (dot < 0 || session.length() > 200) {
      return Optional.empty();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(session.substring(0, dot));
      byte[] signature = Base64.getUrlDecoder().decode(session.substring(dot + 1));
      if (payload.length != Long.BYTES + RANDOM_BYTES || !MessageDigest.isEqual(signature, sign(payload))) {
        return Optional.empty();
      }
      return Optional.of(Instant.ofEpochSecond(ByteBuffer.wrap(payload).getLong()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not base64: not a session id of ours
    }
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
    }
  }
}
