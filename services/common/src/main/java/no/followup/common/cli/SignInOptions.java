package no.followup.common.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.Role;
import no.followup.common.auth.SignIn;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a service signs its callers in; use with {@code @Mixin}. Fails closed: without {@code
 * AUTH_MODE} a service expects the organisation's OpenID Connect provider, and a missing setting stops
 * it at start with an error naming the setting. Local mode (every caller with the shared token is an
 * all-roles, all-offices user) runs only when {@code AUTH_MODE=LOCAL} is set on purpose, with the
 * token in {@code FOLLOWUP_TOKEN} (an environment variable only: a command-line argument would show
 * in every process list). Blank settings count as not set.
 */
public final class SignInOptions {

  /** The environment variable of the local setup's shared token; the {@code followup} CLI reads it too. */
  public static final String TOKEN_VARIABLE = "FOLLOWUP_TOKEN";

  /** How requests are authenticated. */
  public enum AuthMode { LOCAL, OIDC }

  @Option(names = "--auth", paramLabel = "OIDC|LOCAL", defaultValue = "${env:AUTH_MODE:-}",
      description = "OIDC (access tokens of the identity provider; the default) or LOCAL (the shared token in"
          + " FOLLOWUP_TOKEN; a local setup only). Env AUTH_MODE.")
  private String mode;

  @Option(names = "--oidc-issuer", defaultValue = "${env:OIDC_ISSUER:-}",
      description = "Expected token issuer; required in OIDC mode. Env OIDC_ISSUER.")
  private String issuer;

  @Option(names = "--oidc-audience", defaultValue = "${env:OIDC_AUDIENCE:-}",
      description = "This service's API identifier, the expected aud; required in OIDC mode. Env OIDC_AUDIENCE.")
  private String audience;

  @Option(names = "--oidc-staff-id-claim", defaultValue = "${env:OIDC_STAFF_ID_CLAIM:-}",
      description = "Claim with the staff id, e.g. NAVident (default: " + OidcSettings.DEFAULT_STAFF_ID_CLAIM
          + "). Env OIDC_STAFF_ID_CLAIM.")
  private String staffIdClaim;

  @Option(names = "--oidc-role-claim", defaultValue = "${env:OIDC_ROLE_CLAIM:-}",
      description = "Claim with roles or groups (default: " + OidcSettings.DEFAULT_ROLE_CLAIM + "). Env OIDC_ROLE_CLAIM.")
  private String roleClaim;

  @Option(names = "--oidc-role-mapping", defaultValue = "${env:OIDC_ROLE_MAPPING:-}",
      description = "Claim value to role, comma-separated value=COORDINATOR|JOB_SPECIALIST|TEAM_LEAD|PROJECT_LEAD|"
          + "PRIVACY_OFFICER|SYSTEM (default: each role's own name). Env OIDC_ROLE_MAPPING.")
  private String roleMapping;

  @Option(names = "--oidc-office-claim", defaultValue = "${env:OIDC_OFFICE_CLAIM:-}",
      description = "Claim with the staff member's office ids (default: " + OidcSettings.DEFAULT_OFFICE_CLAIM
          + "). Env OIDC_OFFICE_CLAIM.")
  private String officeClaim;

  @Option(names = "--oidc-access-token-types", defaultValue = "${env:OIDC_ACCESS_TOKEN_TYPES:-}",
      description = "Accepted JWT typ headers, comma-separated (default: " + OidcSettings.DEFAULT_ACCESS_TOKEN_TYPES
          + ", RFC 9068; add JWT only for a provider that types access tokens so). Env OIDC_ACCESS_TOKEN_TYPES.")
  private String accessTokenTypes;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  /** The mode asked for; OIDC when none is. */
  public AuthMode mode() {
    if (blank(mode)) {
      return AuthMode.OIDC;
    }
    try {
      return AuthMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw refused("AUTH_MODE (--auth) must be OIDC or LOCAL");
    }
  }

  /** The OIDC issuer, for services that also ask it for their own tokens; null when not set. */
  public String issuer() {
    return blank(issuer) ? null : issuer.trim();
  }

  /**
   * The sign-in the options describe.
   *
   * @throws ParameterException naming the missing or invalid setting
   */
  public SignIn signIn() {
    return signIn(System::getenv);
  }

  /** As {@link #signIn()}, reading the local token from {@code environment} (variable name to value). */
  public SignIn signIn(Function<String, String> environment) {
    if (mode() == AuthMode.LOCAL) {
      String token = environment.apply(TOKEN_VARIABLE);
      if (blank(token)) {
        throw refused(TOKEN_VARIABLE + " is not set: AUTH_MODE=LOCAL needs the local setup's shared token (at least "
            + LocalToken.MIN_LENGTH + " random characters, the same for every service of the setup)");
      }
      try {
        return SignIn.local(LocalToken.of(token));
      } catch (IllegalArgumentException e) {
        throw refused(TOKEN_VARIABLE + ": " + e.getMessage());
      }
    }
    if (issuer() == null) {
      throw refused("OIDC_ISSUER (--oidc-issuer) is not set: without it no caller can be signed in. Set it to the"
          + " identity provider's issuer, or AUTH_MODE=LOCAL for a local setup only");
    }
    if (blank(audience)) {
      throw refused("OIDC_AUDIENCE (--oidc-audience) is not set: it is this service's API identifier, the aud its"
          + " access tokens must carry");
    }
    Map<String, Role> roles;
    try {
      roles = OidcSettings.parseRoleMapping(orDefault(roleMapping, OidcSettings.DEFAULT_ROLE_MAPPING));
    } catch (IllegalArgumentException e) {
      throw refused("OIDC_ROLE_MAPPING (--oidc-role-mapping): " + e.getMessage());
    }
    Set<String> types = OidcSettings.parseTokenTypes(orDefault(accessTokenTypes, OidcSettings.DEFAULT_ACCESS_TOKEN_TYPES));
    if (types.isEmpty()) {
      throw refused("OIDC_ACCESS_TOKEN_TYPES (--oidc-access-token-types) names no type");
    }
    return SignIn.oidc(new OidcSettings(issuer(), audience.trim(),
        orDefault(staffIdClaim, OidcSettings.DEFAULT_STAFF_ID_CLAIM), orDefault(roleClaim, OidcSettings.DEFAULT_ROLE_CLAIM),
        roles, orDefault(officeClaim, OidcSettings.DEFAULT_OFFICE_CLAIM), types, OidcSettings.DEFAULT_CLOCK_SKEW));
  }

  private ParameterException refused(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String orDefault(String value, String fallback) {
    return blank(value) ? fallback : value.trim();
  }
}
