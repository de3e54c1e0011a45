package no.followup.dashboard.auth;

import java.util.Optional;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;

/**
 * Turns a request's credentials into a caller, or nothing when they do not authenticate: a bearer
 * token (OIDC, or the local token), or in local mode the session cookie the local token was traded for.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * What a request carries that may authenticate it.
   *
   * @param authorizationHeader the {@code Authorization} header, or null
   * @param sessionCookie the value of the dashboard's session cookie, or null
   */
  record Credentials(String authorizationHeader, String sessionCookie) {}

  /**
   * The caller the credentials belong to; empty when they are missing, invalid or expired.
   *
   * @throws BearerAuthenticator.AuthUnavailableException when the credentials cannot be checked right
   *     now (identity provider unreachable)
   */
  Optional<Caller> authenticate(Credentials credentials);

  /** Bearer tokens only: OIDC mode has no sessions of its own (a login proxy in front holds them). */
  static Authenticator bearerOnly(BearerAuthenticator bearer) {
    return credentials -> bearer.authenticate(credentials.authorizationHeader());
  }
}
