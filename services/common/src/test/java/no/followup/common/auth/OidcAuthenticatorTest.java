package no.followup.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import no.followup.common.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates tokens against a real (local) issuer: discovery document and JWKS over HTTP. Every
 * refusal starts from the valid token and changes one thing, so a check that refused everything
 * would fail {@link #aValidAccessTokenGivesTheStaffMemberWithRolesAndOffices}.
 */
class OidcAuthenticatorTest {

  private static final String AUDIENCE = "followup-dashboard";
  private static TestIssuer issuer;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  private final OidcAuthenticator auth = new OidcAuthenticator(settings());

  private static OidcSettings settings() {
    return OidcSettings.of(issuer.issuer(), AUDIENCE)
        .withClaims("NAVident", "groups", "offices")
        .withRoleMapping(OidcSettings.parseRoleMapping(
            "grp-coord=COORDINATOR,grp-lead=TEAM_LEAD,grp-project=PROJECT_LEAD,app-system=SYSTEM"));
  }

  /** A coordinator's access token, with the test's changes. */
  private static String token(Consumer<JWTClaimsSet.Builder> customise) {
    return issuer.accessToken(AUDIENCE, c -> {
      c.subject("abc-123").claim("NAVident", "s-12").claim("groups", List.of("grp-coord", "unrelated-group"))
          .claim("offices", List.of("0403"));
      customise.accept(c);
    });
  }

  private Optional<Caller> check(String token) {
    return auth.authenticate("Bearer " + token);
  }

  @Test
  void aValidAccessTokenGivesTheStaffMemberWithRolesAndOffices() {
    Caller user = check(token(c -> { })).orElseThrow();
    assertThat(user.id()).isEqualTo("s-12");
    assertThat(user.roles()).containsExactly(Role.COORDINATOR);
    assertThat(user.offices()).containsExactly("0403");
    assertThat(user.local()).isFalse();
    assertThat(user.allOffices()).isFalse();
    assertThat(user.isService()).isFalse();
  }

  @Test
  void severalRolesAndASingleStringOfficeClaim() {
    Caller user = check(token(c -> c.claim("groups", List.of("grp-lead", "grp-project")).claim("offices", "3421"))).orElseThrow();
    assertThat(user.roles()).containsExactlyInAnyOrder(Role.TEAM_LEAD, Role.PROJECT_LEAD);
    assertThat(user.offices()).containsExactly("3421");
  }

  @Test
  void anExpiredTokenIsRefused() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    assertThat(check(token(c -> c.issueTime(Date.from(past.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(past)))))
        .isEmpty();
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() {
    assertThat(check(token(c -> c.issuer("https://login.example.org/other")))).isEmpty();
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    assertThat(check(token(c -> c.audience("another-app")))).isEmpty();
  }

  @Test
  void aTokenWithABadSignatureIsRefused() {
    JWTClaimsSet claims = issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord")).build();
    assertThat(check(issuer.forge(claims))).isEmpty();
    String good = token(c -> { });
    String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
    assertThat(check(tampered)).isEmpty();
  }

  @Test
  void aTokenWithoutARoleOrStaffIdIsRefused() {
    assertThat(check(token(c -> c.claim("groups", List.of("unrelated-group"))))).isEmpty();
    assertThat(check(token(c -> c.claim("NAVident", null)))).isEmpty();
  }

  @Test
  void anUnsignedOrMalformedTokenIsRefused() {
    String unsigned = new PlainJWT(issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord"))
        .build()).serialize();
    assertThat(check(unsigned)).isEmpty();
    assertThat(check("not-a-jwt")).isEmpty();
    assertThat(auth.authenticate(null)).isEmpty();
    assertThat(auth.authenticate("Basic czpz")).isEmpty();
  }

  @Test
  void anIdTokenIsNotAnAccessToken() {
    // the same claims as the valid access token, as an ID token of a sign-in page with the same client id
    String idToken = issuer.idToken(AUDIENCE, c -> c.subject("abc-123").claim("NAVident", "s-12")
        .claim("groups", List.of("grp-coord")).claim("offices", List.of("0403")));
    assertThat(check(idToken)).as("typ JWT").isEmpty();

    // a provider that types its access tokens "JWT": the type no longer tells, the ID token's claims still do
    OidcAuthenticator jwtTyped = new OidcAuthenticator(settings().withAccessTokenTypes(Set.of("at+jwt", "JWT")));
    assertThat(jwtTyped.authenticate("Bearer " + idToken)).as("nonce").isEmpty();
    for (String idTokenClaim : List.of("at_hash", "c_hash", "s_hash")) {
      JWTClaimsSet claims = issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord"))
          .claim(idTokenClaim, "77QmUPtjPfzWtF2AnpK9RQ").build();
      assertThat(jwtTyped.authenticate("Bearer " + issuer.sign(JOSEObjectType.JWT, claims)))
          .as(idTokenClaim).isEmpty();
    }
    JWTClaimsSet accessClaims = issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord")).build();
    assertThat(jwtTyped.authenticate("Bearer " + issuer.sign(JOSEObjectType.JWT, accessClaims)))
        .as("a JWT-typed access token, where the setting allows it").isPresent();
  }

  @Test
  void onlyAccessTokenTypesAreAccepted() {
    JWTClaimsSet claims = issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord")).build();
    assertThat(check(issuer.sign(new JOSEObjectType("application/at+jwt"), claims))).isPresent();
    assertThat(check(issuer.sign(new JOSEObjectType("AT+JWT"), claims))).isPresent();
    assertThat(check(issuer.sign(null, claims))).as("untyped").isEmpty();
    assertThat(check(issuer.sign(JOSEObjectType.JWT, claims))).as("JWT").isEmpty();
    assertThat(check(issuer.sign(new JOSEObjectType("logout+jwt"), claims))).isEmpty();
  }

  /** Anyone can write a token's header: what a refusal logs names no value from it. */
  @Test
  void aRefusedTokensHeaderNeverReachesTheLog() {
    JWTClaimsSet claims = issuer.claims(AUDIENCE).claim("NAVident", "s-12").claim("groups", List.of("grp-coord")).build();
    String forged = "x\n2026-12-01 INFO forged line 01017012345";
    try (LogCapture logged = LogCapture.of(OidcAuthenticator.class)) {
      assertThat(check(issuer.sign(new JOSEObjectType(forged), claims))).isEmpty();
      assertThat(check("not.a-token.at-all")).isEmpty();

      assertThat(logged.messages()).isNotEmpty().allSatisfy(line ->
          assertThat(line).doesNotContain("forged").doesNotContain("01017012345").doesNotContain("\n"));
    }
  }

  @Test
  void aServiceTokenIsIdentifiedBySubjectAndMayNotAlsoBeAPerson() {
    String service = issuer.accessToken(AUDIENCE, c -> c.subject("followup-dashboard-client").claim("groups", List.of("app-system")));
    Caller caller = check(service).orElseThrow();
    assertThat(caller.isService()).isTrue();
    assertThat(caller.id()).isEqualTo("followup-dashboard-client");
    assertThat(caller.roles()).containsExactly(Role.SYSTEM);
    assertThat(caller.belongsTo("0403")).isTrue();

    assertThat(check(issuer.accessToken(AUDIENCE, c -> c.subject("x").claim("NAVident", "s-12")
        .claim("groups", List.of("app-system", "grp-lead"))))).as("service and person at once").isEmpty();
    assertThat(check(issuer.accessToken(AUDIENCE, c -> c.claim("groups", List.of("app-system"))))).as("no sub").isEmpty();
  }

  @Test
  void anUnreachableIssuerMakesAuthenticationUnavailableNotInvalid() {
    OidcAuthenticator unreachable = new OidcAuthenticator(OidcSettings.of("http://127.0.0.1:9/nowhere", AUDIENCE));
    String token = token(c -> { });
    assertThatThrownBy(() -> unreachable.authenticate("Bearer " + token))
        .isInstanceOf(BearerAuthenticator.AuthUnavailableException.class);
  }

  /**
   * While the identity provider does not answer, requests are not queued behind each other's
   * attempts (each waits out a timeout under the authenticator's lock): the next few seconds are
   * answered from memory, without asking.
   */
  @Test
  void aFailedDiscoveryIsAnsweredFromMemoryForAFewSeconds() throws Exception {
    OidcAuthenticator down = new OidcAuthenticator(OidcSettings.of("http://127.0.0.1:9/nowhere", AUDIENCE));
    String token = "Bearer " + issuer.sign(new JOSEObjectType("at+jwt"), issuer.claims(AUDIENCE).build());
    assertThatThrownBy(() -> down.authenticate(token)).isInstanceOf(BearerAuthenticator.AuthUnavailableException.class)
        .hasMessageNotContaining("failed less than");

    assertThatThrownBy(() -> down.authenticate(token)).isInstanceOf(BearerAuthenticator.AuthUnavailableException.class)
        .hasMessageContaining("failed less than " + OidcAuthenticator.DISCOVERY_RETRY_AFTER.toSeconds() + " s ago");
  }

  @Test
  void roleMappingIsCaseInsensitiveAndRejectsUnknownRoles() {
    Map<String, Role> mapping = OidcSettings.parseRoleMapping("Teamleder=team_lead");
    OidcSettings settings = OidcSettings.of(issuer.issuer(), AUDIENCE).withRoleMapping(mapping);
    assertThat(settings.roleFor("TEAMLEDER")).isEqualTo(Role.TEAM_LEAD);
    assertThat(settings.roleFor("other")).isNull();
    assertThatThrownBy(() -> OidcSettings.parseRoleMapping("x=BOSS")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BOSS");
  }

  @Test
  void bearerTokensAreReadFromTheHeader() {
    assertThat(BearerAuthenticator.bearerToken("Bearer abc")).isEqualTo("abc");
    assertThat(BearerAuthenticator.bearerToken("bearer  abc ")).isEqualTo("abc");
    assertThat(BearerAuthenticator.bearerToken("Basic abc")).isNull();
    assertThat(BearerAuthenticator.bearerToken("Bearer ")).isNull();
    assertThat(BearerAuthenticator.bearerToken(null)).isNull();
  }
}
