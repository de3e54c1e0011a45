package no.followup.dashboard.auth;

import java.util.Optional;

/** Turns a request's credentials into a staff member, or nothing when they do not authenticate. */
public interface Authenticator {

  /**
   * What a request carries that may authenticate it.
   *
   * @param authorizationHeader the {@code Authorization} header, or null
   * @param sessionCookie the value of the dashboard's session cookie, or null
   */
  record Credentials(String authorizationHeader, String sessionCookie) {}

  /**
   * The staff member the credentials belong to; empty when they are missing, invalid or expired.
   *
   * @throws AuthUnavailableException when the credentials cannot be checked right now (identity
   *     provider unreachable)
   */
  Optional<StaffUser> authenticate(Credentials credentials);

  /** True for the local one-time-token mode. */
  boolean localMode();

  /** Thrown when authentication cannot be decided now; the request gets 503, not 401. */
  final class AuthUnavailableException extends RuntimeException {
    public AuthUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The bearer token of an {@code Authorization: Bearer ...} header, or null. */
  static String bearerToken(String authorizationHeader) {
    if (authorizationHeader == null) {
      return null;
    }
    String value = authorizationHeader.trim();
    if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = value.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }
}
