package no.followup.dashboard.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How bearer tokens from the organisation's OpenID Connect provider are validated and read.
 *
 * @param issuer the expected {@code iss}; its {@code /.well-known/openid-configuration} names the JWKS
 * @param audience the expected {@code aud} (the dashboard's client id)
 * @param staffIdClaim the claim holding the pseudonymous staff id (e.g. {@code sub} or {@code NAVident})
 * @param roleClaim the claim listing roles or groups (e.g. {@code roles} or {@code groups})
 * @param roleMapping claim value (case-insensitive) to role; values not in the map grant nothing
 * @param officeClaim the claim listing the staff member's offices (a string or a list of strings)
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param loginUrl where pages send a browser without a token (the login proxy in front of the
 *     dashboard); null answers 401 instead
 */
public record OidcSettings(
    String issuer,
    String audience,
    String staffIdClaim,
    String roleClaim,
    Map<String, Role> roleMapping,
    String officeClaim,
    Duration clockSkew,
    String loginUrl) {

  public static final String DEFAULT_STAFF_ID_CLAIM = "sub";
  public static final String DEFAULT_ROLE_CLAIM = "roles";
  public static final String DEFAULT_OFFICE_CLAIM = "offices";
  /** The role names themselves, in any case, map to the roles. */
  public static final String DEFAULT_ROLE_MAPPING =
      "COORDINATOR=COORDINATOR,JOB_SPECIALIST=JOB_SPECIALIST,TEAM_LEAD=TEAM_LEAD,PROJECT_LEAD=PROJECT_LEAD";

  public OidcSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(staffIdClaim, "staffIdClaim");
    Objects.requireNonNull(roleClaim, "roleClaim");
    Objects.requireNonNull(officeClaim, "officeClaim");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (issuer.isBlank() || audience.isBlank()) {
      throw new IllegalArgumentException("OIDC issuer and audience must be set");
    }
    Map<String, Role> normalised = new LinkedHashMap<>();
    roleMapping.forEach((k, v) -> normalised.put(k.toLowerCase(Locale.ROOT), v));
    roleMapping = Map.copyOf(normalised);
  }

  /** Settings with the default claim names and role mapping. */
  public static OidcSettings of(String issuer, String audience) {
    return new OidcSettings(issuer, audience, DEFAULT_STAFF_ID_CLAIM, DEFAULT_ROLE_CLAIM,
        parseRoleMapping(DEFAULT_ROLE_MAPPING), DEFAULT_OFFICE_CLAIM, Duration.ofSeconds(60), null);
  }

  /** The role a claim value grants, or null. */
  public Role roleFor(String claimValue) {
    return claimValue == null ? null : roleMapping.get(claimValue.toLowerCase(Locale.ROOT));
  }

  /** Parses {@code "group-id-1=COORDINATOR,teamleder=TEAM_LEAD"}. */
  public static Map<String, Role> parseRoleMapping(String spec) {
    Map<String, Role> mapping = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return mapping;
    }
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("role mapping must be claimValue=ROLE, got '" + part.trim() + "'");
      }
      mapping.put(kv[0].trim(), Role.valueOf(kv[1].trim().toUpperCase(Locale.ROOT)));
    }
    return mapping;
  }

  public OidcSettings withClaims(String staffId, String roles, String offices) {
    return new OidcSettings(issuer, audience, staffId, roles, roleMapping, offices, clockSkew, loginUrl);
  }

  public OidcSettings withRoleMapping(Map<String, Role> mapping) {
    return new OidcSettings(issuer, audience, staffIdClaim, roleClaim, mapping, officeClaim, clockSkew, loginUrl);
  }

  public OidcSettings withLoginUrl(String url) {
    return new OidcSettings(issuer, audience, staffIdClaim, roleClaim, roleMapping, officeClaim, clockSkew,
        url == null || url.isBlank() ? null : url);
  }
}
