package no.followup.common.auth;

/** Where a service gets the bearer token it presents when it calls another service. */
@FunctionalInterface
public interface AccessTokenSource {

  /**
   * A token valid now.
   *
   * @throws BearerAuthenticator.AuthUnavailableException when no token can be had now (identity provider unreachable)
   */
  String accessToken();
}
