package no.followup.common.auth;

/**
 * How a service authenticates the callers of its HTTP doors: the local setup's shared token, or
 * access tokens of the organisation's OpenID Connect provider. There is no third way: a service
 * never runs without sign-in.
 */
public sealed interface SignIn {

  /** The authenticator of every request; call once per service. */
  BearerAuthenticator authenticator();

  /** True for the local setup's token. */
  default boolean local() {
    return this instanceof Local;
  }

  /** The local setup's shared token: every caller holding it is the local user. */
  record Local(LocalToken token) implements SignIn {
    @Override
    public BearerAuthenticator authenticator() {
      return token;
    }
  }

  /** Access tokens of the organisation's identity provider. */
  record Oidc(OidcSettings settings) implements SignIn {
    @Override
    public BearerAuthenticator authenticator() {
      return new OidcAuthenticator(settings);
    }
  }

  static SignIn local(LocalToken token) {
    return new Local(token);
  }

  static SignIn oidc(OidcSettings settings) {
    return new Oidc(settings);
  }
}
