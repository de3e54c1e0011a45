package no.followup.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A service's own token from a real (local) token endpoint, checked by the validator every door uses. */
class ClientCredentialsTest {

  private static TestIssuer issuer;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
    issuer.registerClient("followup-dashboard", "s3cret&=", "followup-intake");
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void theTokenIsAServiceTokenForTheCalledApiAndIsReusedUntilShortlyBeforeItExpires() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    ClientCredentials tokens = new ClientCredentials(
        new ClientCredentials.Settings(issuer.issuer(), "followup-dashboard", "s3cret&=", "api://followup-intake/.default"), clock);

    String token = tokens.accessToken();
    Caller caller = new OidcAuthenticator(OidcSettings.of(issuer.issuer(), "followup-intake")).authenticate("Bearer " + token)
        .orElseThrow();
    assertThat(caller.isService()).isTrue();
    assertThat(caller.id()).isEqualTo("followup-dashboard");

    int issued = issuer.tokensIssued();
    now.set(now.get().plus(Duration.ofMinutes(3)));
    assertThat(tokens.accessToken()).isEqualTo(token);
    assertThat(issuer.tokensIssued()).isEqualTo(issued);
    now.set(now.get().plus(Duration.ofMinutes(1)).plusSeconds(1)); // within a minute of the 5-minute expiry
    tokens.accessToken();
    assertThat(issuer.tokensIssued()).isEqualTo(issued + 1);
  }

  @Test
  void aWrongSecretIsUnavailabilityAndNeverShowsTheSecret() {
    ClientCredentials.Settings settings = new ClientCredentials.Settings(issuer.issuer(), "followup-dashboard", "wrong-secret", null);
    assertThatThrownBy(() -> new ClientCredentials(settings, Clock.systemUTC()).accessToken())
        .isInstanceOf(BearerAuthenticator.AuthUnavailableException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining("wrong-secret");
    assertThat(settings.toString()).doesNotContain("wrong-secret");
  }
}
