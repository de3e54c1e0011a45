package no.followup.common.auth;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How bearer tokens from the organisation's OpenID Connect provider are validated and read.
 *
 * @param issuer the expected {@code iss}; its {@code /.well-known/openid-configuration} names the JWKS
 * @param audience the expected {@code aud}: this service's own API identifier, never the client id of
 *     a sign-in page (whose ID tokens carry that audience)
 * @param staffIdClaim the claim holding the pseudonymous staff id (e.g. {@code sub} or {@code NAVident})
 * @param roleClaim the claim listing roles or groups (e.g. {@code roles} or {@code groups})
 * @param roleMapping claim value (case-insensitive) to role; values not in the map grant nothing
 * @param officeClaim the claim listing the staff member's offices (a string or a list of strings)
 * @param accessTokenTypes the JWT {@code typ} headers accepted, lower case without {@code application/}:
 *     {@code at+jwt} (RFC 9068) by default; {@code jwt} only for a provider that types its access tokens so
 *     (ID tokens are then still told apart by their claims)
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 */
public record OidcSettings(
    String issuer,
    String audience,
    String staffIdClaim,
    String roleClaim,
    Map<String, Role> roleMapping,
    String officeClaim,
    Set<String> accessTokenTypes,
    Duration clockSkew) {

  public static final String DEFAULT_STAFF_ID_CLAIM = "sub";
  public static final String DEFAULT_ROLE_CLAIM = "roles";
  public static final String DEFAULT_OFFICE_CLAIM = "offices";
  public static final String DEFAULT_ACCESS_TOKEN_TYPES = "at+jwt";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  /** The role names themselves, in any case, map to the roles. */
  public static final String DEFAULT_ROLE_MAPPING = "COORDINATOR=COORDINATOR,JOB_SPECIALIST=JOB_SPECIALIST,"
      + "TEAM_LEAD=TEAM_LEAD,PROJECT_LEAD=PROJECT_LEAD,PRIVACY_OFFICER=PRIVACY_OFFICER,SYSTEM=SYSTEM";

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
    Map<String, Role> normalisedRoles = new LinkedHashMap<>();
    roleMapping.forEach((k, v) -> normalisedRoles.put(k.toLowerCase(Locale.ROOT), v));
    roleMapping = Map.copyOf(normalisedRoles);
    Set<String> normalisedTypes = new LinkedHashSet<>();
    accessTokenTypes.forEach(type -> normalisedTypes.add(normaliseType(type)));
    if (normalisedTypes.isEmpty()) {
      throw new IllegalArgumentException("at least one access token type must be accepted");
    }
    accessTokenTypes = Set.copyOf(normalisedTypes);
  }

  /** Settings with the default claim names, role mapping and token type. */
  public static OidcSettings of(String issuer, String audience) {
    return new OidcSettings(issuer, audience, DEFAULT_STAFF_ID_CLAIM, DEFAULT_ROLE_CLAIM,
        parseRoleMapping(DEFAULT_ROLE_MAPPING), DEFAULT_OFFICE_CLAIM, parseTokenTypes(DEFAULT_ACCESS_TOKEN_TYPES),
        DEFAULT_CLOCK_SKEW);
  }

  /** The role a claim value grants, or null. */
  public Role roleFor(String claimValue) {
    return claimValue == null ? null : roleMapping.get(claimValue.toLowerCase(Locale.ROOT));
  }

  /** True when a JWT {@code typ} header names an accepted access token type (compared as RFC 7515 says). */
  public boolean acceptsTokenType(String typ) {
    return typ != null && accessTokenTypes.contains(normaliseType(typ));
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
      String role = kv[1].trim().toUpperCase(Locale.ROOT);
      try {
        mapping.put(kv[0].trim(), Role.valueOf(role));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role '" + kv[1].trim() + "'; the roles are "
            + Arrays.toString(Role.values()), e);
      }
    }
    return mapping;
  }

  /** Parses {@code "at+jwt,JWT"}. */
  public static Set<String> parseTokenTypes(String spec) {
    Set<String> types = new LinkedHashSet<>();
    for (String part : spec == null ? new String[0] : spec.split(",")) {
      if (!part.isBlank()) {
        types.add(part.trim());
      }
    }
    return types;
  }

  public OidcSettings withClaims(String staffId, String roles, String offices) {
    return new OidcSettings(issuer, audience, staffId, roles, roleMapping, offices, accessTokenTypes, clockSkew);
  }

  public OidcSettings withRoleMapping(Map<String, Role> mapping) {
    return new OidcSettings(issuer, audience, staffIdClaim, roleClaim, mapping, officeClaim, accessTokenTypes, clockSkew);
  }

  public OidcSettings withAccessTokenTypes(Set<String> types) {
    return new OidcSettings(issuer, audience, staffIdClaim, roleClaim, roleMapping, officeClaim, types, clockSkew);
  }

  /** RFC 7515 section 4.1.9: media types compare case-insensitively, and "application/" may be left out. */
  private static String normaliseType(String type) {
    String lower = type.trim().toLowerCase(Locale.ROOT);
    return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
  }
}
