package no.followup.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Validates tokens against a real (local) issuer: discovery document and JWKS over HTTP. */
class OidcAuthenticatorTest {

  private static final String AUDIENCE = "followup-dashboard";
  private static HttpServer server;
  private static String issuer;
  private static RSAKey key;
  private static RSAKey otherKeySameId;

  @BeforeAll
  static void startIssuer() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKeySameId = new RSAKeyGenerator(2048).keyID("k1").generate();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/nav";
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    server.createContext("/realms/nav/.well-known/openid-configuration", exchange -> respond(exchange,
        "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}"));
    server.createContext("/realms/nav/jwks", exchange -> respond(exchange, jwks));
    server.start();
  }

  @AfterAll
  static void stopIssuer() {
    server.stop(0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private final OidcAuthenticator auth = new OidcAuthenticator(OidcSettings.of(issuer, AUDIENCE)
      .withClaims("NAVident", "groups", "offices")
      .withRoleMapping(OidcSettings.parseRoleMapping("grp-coord=COORDINATOR,grp-lead=TEAM_LEAD,grp-project=PROJECT_LEAD")));

  private static String token(RSAKey signingKey, Consumer<JWTClaimsSet.Builder> customise) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(AUDIENCE)
        .subject("abc-123")
        .claim("NAVident", "s-12")
        .claim("groups", List.of("grp-coord", "unrelated-group"))
        .claim("offices", List.of("0403"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    customise.accept(claims);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(),
        claims.build());
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }

  private Optional<StaffUser> check(String token) {
    return auth.authenticate(new Authenticator.Credentials("Bearer " + token, null));
  }

  @Test
  void aValidTokenGivesTheStaffMemberWithRolesAndOffices() throws Exception {
    StaffUser user = check(token(key, c -> { })).orElseThrow();
    assertThat(user.staffId()).isEqualTo("s-12");
    assertThat(user.roles()).containsExactly(Role.COORDINATOR);
    assertThat(user.offices()).containsExactly("0403");
    assertThat(user.local()).isFalse();
    assertThat(user.allOffices()).isFalse();
  }

  @Test
  void severalRolesAndASingleStringOfficeClaim() throws Exception {
    StaffUser user = check(token(key, c -> c.claim("groups", List.of("grp-lead", "grp-project")).claim("offices", "3421"))).orElseThrow();
    assertThat(user.roles()).containsExactlyInAnyOrder(Role.TEAM_LEAD, Role.PROJECT_LEAD);
    assertThat(user.offices()).containsExactly("3421");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    assertThat(check(token(key, c -> c.issueTime(Date.from(past.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(past)))))
        .isEmpty();
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() throws Exception {
    assertThat(check(token(key, c -> c.issuer("https://login.example.org/other")))).isEmpty();
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    assertThat(check(token(key, c -> c.audience("another-app")))).isEmpty();
  }

  @Test
  void aTokenWithABadSignatureIsRefused() throws Exception {
    assertThat(check(token(otherKeySameId, c -> { }))).isEmpty();
    String good = token(key, c -> { });
    String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
    assertThat(check(tampered)).isEmpty();
  }

  @Test
  void aTokenWithoutADashboardRoleOrStaffIdIsRefused() throws Exception {
    assertThat(check(token(key, c -> c.claim("groups", List.of("unrelated-group"))))).isEmpty();
    assertThat(check(token(key, c -> c.claim("NAVident", null)))).isEmpty();
  }

  @Test
  void anUnsignedOrMalformedTokenIsRefused() {
    String unsigned = new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE)
        .claim("NAVident", "s-12").claim("groups", List.of("grp-coord"))
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).build()).serialize();
    assertThat(check(unsigned)).isEmpty();
    assertThat(check("not-a-jwt")).isEmpty();
    assertThat(auth.authenticate(new Authenticator.Credentials(null, null))).isEmpty();
  }

  @Test
  void anUnreachableIssuerMakesAuthenticationUnavailableNotInvalid() throws Exception {
    OidcAuthenticator unreachable = new OidcAuthenticator(OidcSettings.of("http://127.0.0.1:9/nowhere", AUDIENCE));
    String token = token(key, c -> { });
    assertThatThrownBy(() -> unreachable.authenticate(new Authenticator.Credentials("Bearer " + token, null)))
        .isInstanceOf(Authenticator.AuthUnavailableException.class);
  }

  @Test
  void roleMappingIsCaseInsensitiveAndRejectsUnknownRoles() {
    Map<String, Role> mapping = OidcSettings.parseRoleMapping("Teamleder=team_lead");
    OidcSettings settings = OidcSettings.of(issuer, AUDIENCE).withRoleMapping(mapping);
    assertThat(settings.roleFor("TEAMLEDER")).isEqualTo(Role.TEAM_LEAD);
    assertThat(settings.roleFor("other")).isNull();
    assertThatThrownBy(() -> OidcSettings.parseRoleMapping("x=BOSS")).isInstanceOf(IllegalArgumentException.class);
  }
}
