package no.followup.common.auth;

import java.util.Optional;

/** Turns the {@code Authorization} header of a request into a caller, or nothing when it does not authenticate. */
public interface BearerAuthenticator {

  /**
   * The caller the header's bearer token belongs to; empty when the header is missing, or the token
   * is invalid, expired or not meant for this service.
   *
   * @param authorizationHeader the {@code Authorization} header, or null
   * @throws AuthUnavailableException when the token cannot be checked right now (identity provider unreachable)
   */
  Optional<Caller> authenticate(String authorizationHeader);

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
