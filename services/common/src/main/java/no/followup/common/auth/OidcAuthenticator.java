package no.followup.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
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
 * Validates OpenID Connect access tokens with nimbus-jose-jwt, the same way at every door: the
 * signing keys come from the {@code jwks_uri} named by the issuer's discovery document (cached,
 * refreshed when an unknown key id appears); the signature, {@code typ} (an access token type, see
 * {@link OidcSettings#accessTokenTypes}), {@code iss} (exact), {@code aud}, {@code exp}/{@code nbf}
 * are checked, and a token carrying what only ID tokens carry ({@code nonce}, {@code at_hash},
 * {@code c_hash}, {@code s_hash}) is refused: an ID token says who signed in to some client, not
 * that this service may be called. Roles come from a configurable claim through a configurable
 * mapping; a token that grants no role authenticates nobody. A token granting {@link Role#SYSTEM}
 * is a service's (client credentials): identified by {@code sub}, and refused if it also grants a
 * person's role. Any other token is a staff member's, identified by the staff id claim, with the
 * offices of the office claim.
 */
public final class OidcAuthenticator implements BearerAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(OidcAuthenticator.class);
  private static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  /** Claims of ID tokens (OpenID Connect Core 1.0 section 2, 3.3.2.11; FAPI) that access tokens do not carry. */
  private static final List<String> ID_TOKEN_CLAIMS = List.of("nonce", "at_hash", "c_hash", "s_hash");

  private final OidcSettings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile ConfigurableJWTProcessor<SecurityContext> processor;
  /**
   * How long a failed discovery is answered from memory: each attempt waits out its timeout under
   * this object's lock, so while the identity provider is down every request would queue behind
   * every other's attempt.
   */
  static final Duration DISCOVERY_RETRY_AFTER = Duration.ofSeconds(5);
  /** {@link System#nanoTime()} of the last failed discovery, and its failure; guarded by this. */
  private long discoveryFailedAt;
  private AuthUnavailableException discoveryFailure;

  public OidcAuthenticator(OidcSettings settings) {
    this.settings = settings;
  }

  @Override
  public Optional<Caller> authenticate(String authorizationHeader) {
    String token = BearerAuthenticator.bearerToken(authorizationHeader);
    return token == null ? Optional.empty() : verify(token);
  }

  /** The caller an access token stands for; empty when the token is not valid for this service. */
  public Optional<Caller> verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor().process(token, null);
    } catch (ParseException | BadJOSEException e) {
      rejected(e);
      return Optional.empty();
    } catch (KeySourceException e) {
      throw new AuthUnavailableException("signing keys of the issuer could not be fetched", e);
    } catch (JOSEException e) {
      rejected(e);
      return Optional.empty();
    }
    return toCaller(claims);
  }

  /**
   * The exception's class only: the library's messages quote the token's header (its {@code typ},
   * a claim), which anyone can write, so a line break or an identity number there would reach the log.
   */
  private static void rejected(Exception e) {
    log.info("Rejected bearer token ({})", e.getClass().getSimpleName());
  }

  private Optional<Caller> toCaller(JWTClaimsSet claims) {
    for (String idTokenClaim : ID_TOKEN_CLAIMS) {
      if (claims.getClaim(idTokenClaim) != null) {
        log.info("Rejected bearer token: an ID token (claim {}), not an access token", idTokenClaim);
        return Optional.empty();
      }
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String value : strings(claims.getClaim(settings.roleClaim()))) {
      Role role = settings.roleFor(value);
      if (role != null) {
        roles.add(role);
      }
    }
    if (roles.isEmpty()) {
      log.info("Rejected bearer token: no role in claim {}", settings.roleClaim());
      return Optional.empty();
    }
    if (roles.contains(Role.SYSTEM)) {
      if (roles.size() > 1) {
        log.info("Rejected bearer token: grants a service role together with a person's role");
        return Optional.empty();
      }
      String clientId = claims.getSubject();
      if (clientId == null || clientId.isBlank()) {
        log.info("Rejected bearer token: a service token without sub");
        return Optional.empty();
      }
      return Optional.of(Caller.service(clientId));
    }
    Object staffId = claims.getClaim(settings.staffIdClaim());
    if (!(staffId instanceof String id) || id.isBlank()) {
      log.info("Rejected bearer token: no {} claim", settings.staffIdClaim());
      return Optional.empty();
    }
    Set<String> offices = new LinkedHashSet<>(strings(claims.getClaim(settings.officeClaim())));
    return Optional.of(Caller.staff(id, roles, offices));
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

  /** Built on first use, so the service starts while the identity provider is still coming up. */
  private ConfigurableJWTProcessor<SecurityContext> processor() {
    ConfigurableJWTProcessor<SecurityContext> p = processor;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (processor == null) {
        if (discoveryFailure != null && System.nanoTime() - discoveryFailedAt < DISCOVERY_RETRY_AFTER.toNanos()) {
          throw new AuthUnavailableException("OIDC discovery failed less than " + DISCOVERY_RETRY_AFTER.toSeconds()
              + " s ago: " + discoveryFailure.getMessage(), discoveryFailure);
        }
        URI jwksUri;
        try {
          jwksUri = OidcDiscovery.of(settings.issuer(), http).jwksUri();
        } catch (AuthUnavailableException e) {
          discoveryFailedAt = System.nanoTime();
          discoveryFailure = e;
          throw e;
        }
        log.info("OIDC signing keys from {}", jwksUri);
        processor = buildProcessor(jwksUri);
      }
      return processor;
    }
  }

  private ConfigurableJWTProcessor<SecurityContext> buildProcessor(URI jwksUri) {
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(jwksUri.toURL()).retrying(true).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new AuthUnavailableException("invalid jwks_uri " + jwksUri, e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    JOSEObjectTypeVerifier<SecurityContext> accessTokenType = (type, context) -> {
      if (type == null || !settings.acceptsTokenType(type.getType())) {
        throw new BadJOSEException("JWT typ is not an accepted access token type " + settings.accessTokenTypes());
      }
    };
    p.setJWSTypeVerifier(accessTokenType);
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED_ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        // mutable sets: the verifier probes them with null, which immutable sets refuse
        new HashSet<>(Set.of(settings.audience())),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
        new HashSet<>(Set.of("exp")),
        new HashSet<>());
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }
}
