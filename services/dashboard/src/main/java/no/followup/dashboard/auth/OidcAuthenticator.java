package no.followup.dashboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates OpenID Connect bearer tokens with nimbus-jose-jwt: the signing keys come from the
 * {@code jwks_uri} named by the issuer's discovery document (cached, refreshed when an unknown key
 * id appears); the signature, {@code iss} (exact), {@code aud}, {@code exp}/{@code nbf} and the staff
 * id claim are checked. Roles come from a configurable claim through a configurable mapping; offices
 * from another claim. A token that grants no role authenticates nobody.
 */
public final class OidcAuthenticator implements Authenticator {

  private static final Logger log = LoggerFactory.getLogger(OidcAuthenticator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private final OidcSettings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile ConfigurableJWTProcessor<SecurityContext> processor;

  public OidcAuthenticator(OidcSettings settings) {
    this.settings = settings;
  }

  public OidcSettings settings() {
    return settings;
  }

  @Override
  public Optional<StaffUser> authenticate(Credentials credentials) {
    String token = Authenticator.bearerToken(credentials.authorizationHeader());
    return token == null ? Optional.empty() : verify(token);
  }

  @Override
  public boolean localMode() {
    return false;
  }

  /** The staff member a bearer token stands for; empty when the token is not valid for this dashboard. */
  public Optional<StaffUser> verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor().process(token, null);
    } catch (ParseException | BadJOSEException e) {
      log.info("Rejected bearer token: {}", e.getMessage());
      return Optional.empty();
    } catch (KeySourceException e) {
      throw new AuthUnavailableException("signing keys of the issuer could not be fetched", e);
    } catch (JOSEException e) {
      log.info("Rejected bearer token: {}", e.getMessage());
      return Optional.empty();
    }
    return toUser(claims);
  }

  private Optional<StaffUser> toUser(JWTClaimsSet claims) {
    Object staffId = claims.getClaim(settings.staffIdClaim());
    if (!(staffId instanceof String id) || id.isBlank()) {
      log.info("Rejected bearer token: no {} claim", settings.staffIdClaim());
      return Optional.empty();
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String value : strings(claims.getClaim(settings.roleClaim()))) {
      Role role = settings.roleFor(value);
      if (role != null) {
        roles.add(role);
      }
    }
    if (roles.isEmpty()) {
      log.info("Rejected bearer token: no dashboard role in claim {}", settings.roleClaim());
      return Optional.empty();
    }
    Set<String> offices = new LinkedHashSet<>(strings(claims.getClaim(settings.officeClaim())));
    return Optional.of(new StaffUser(id, roles, offices, false, false));
  }

  private static List<String> strings(Object claim) {
    List<String> values = new ArrayList<>();
    if (claim instanceof String s) {
      for (String part : s.split("[,\\s]+")) {
        if (!part.isBlank()) {
          values.add(part);
        }
      }
    } else if (claim instanceof Iterable<?> items) {
      for (Object item : items) {
        if (item != null) {
          values.add(item.toString());
        }
      }
    }
    return values;
  }

  /** Built on first use, so the dashboard starts while the identity provider is still coming up. */
  private ConfigurableJWTProcessor<SecurityContext> processor() {
    ConfigurableJWTProcessor<SecurityContext> p = processor;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (processor == null) {
        processor = buildProcessor(discoverJwksUri());
      }
      return processor;
    }
  }

  private ConfigurableJWTProcessor<SecurityContext> buildProcessor(URI jwksUri) {
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(jwksUri.toURL()).retrying(true).build();
    } catch (IOException e) {
      throw new AuthUnavailableException("invalid jwks_uri " + jwksUri, e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    // access tokens are typed "JWT", "at+jwt" or not at all
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED_ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        // mutable sets: the verifier probes them with null, which immutable sets refuse
        new HashSet<>(Set.of(settings.audience())),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
        new HashSet<>(Set.of("exp", settings.staffIdClaim())),
        new HashSet<>());
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  private URI discoverJwksUri() {
    String issuer = settings.issuer();
    URI discovery = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AuthUnavailableException("OIDC discovery answered " + response.statusCode(), null);
      }
      JsonNode doc = JSON.readTree(response.body());
      if (!issuer.equals(doc.path("issuer").asText())) {
        // the discovery document must be the configured issuer's own (OpenID Connect Discovery 1.0, section 4.3)
        throw new AuthUnavailableException("OIDC discovery document names another issuer", null);
      }
      String jwks = doc.path("jwks_uri").asText("");
      if (jwks.isBlank()) {
        throw new AuthUnavailableException("OIDC discovery document has no jwks_uri", null);
      }
      log.info("OIDC signing keys from {}", jwks);
      return URI.create(jwks);
    } catch (IOException e) {
      throw new AuthUnavailableException("OIDC discovery failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthUnavailableException("interrupted during OIDC discovery", e);
    }
  }
}
