package no.followup.dashboard;

import java.time.Clock;
import java.util.Objects;
import no.followup.common.auth.AccessTokenSource;
import no.followup.common.auth.ClientCredentials;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.SignIn;

/**
 * How the dashboard signs people in, and how it signs itself in at the intake when a task is marked done.
 *
 * @param signIn the local token, or OIDC access tokens
 * @param loginUrl OIDC: where pages send a browser without a token (the login proxy in front of the
 *     dashboard); null answers 401 instead
 * @param cookieSecure local: the session cookie is marked {@code Secure} (sent over https only) even when
 *     the request reached the dashboard over plain http, as it does behind a TLS-terminating proxy.
 *     False only where the dashboard is served over plain http on this machine (the local stack)
 * @param intakeCredentials OIDC: the dashboard's client credentials for its calls to the intake (it calls
 *     as a service, {@code SYSTEM}); null in local mode, where the local token is used
 */
public record DashboardSignIn(SignIn signIn, String loginUrl, boolean cookieSecure,
    ClientCredentials.Settings intakeCredentials) {

  public DashboardSignIn {
    Objects.requireNonNull(signIn, "signIn");
    loginUrl = loginUrl == null || loginUrl.isBlank() ? null : loginUrl;
    if (signIn instanceof SignIn.Oidc && intakeCredentials == null) {
      throw new IllegalArgumentException("OIDC mode needs the dashboard's client credentials for the intake");
    }
    if (signIn instanceof SignIn.Local && (loginUrl != null || intakeCredentials != null)) {
      throw new IllegalArgumentException("local mode has no login proxy and no client credentials");
    }
  }

  public static DashboardSignIn local(LocalToken token, boolean cookieSecure) {
    return new DashboardSignIn(SignIn.local(token), null, cookieSecure, null);
  }

  public static DashboardSignIn oidc(OidcSettings settings, String loginUrl, ClientCredentials.Settings intakeCredentials) {
    return new DashboardSignIn(SignIn.oidc(settings), loginUrl, true, intakeCredentials);
  }

  /** The token the dashboard presents to the intake: the local token, or its own from the token endpoint. */
  public AccessTokenSource intakeTokens(Clock clock) {
    if (signIn instanceof SignIn.Local local) {
      return local.token();
    }
    return new ClientCredentials(intakeCredentials, clock);
  }

  /**
   * The token the dashboard presents to the status service's API: the local token, or its own client
   * credentials token asked for with {@code scope} (the status API's audience).
   */
  public AccessTokenSource statusTokens(Clock clock, String scope) {
    if (signIn instanceof SignIn.Local local) {
      return local.token();
    }
    return new ClientCredentials(new ClientCredentials.Settings(intakeCredentials.issuer(), intakeCredentials.clientId(),
        intakeCredentials.clientSecret(), scope), clock);
  }
}
