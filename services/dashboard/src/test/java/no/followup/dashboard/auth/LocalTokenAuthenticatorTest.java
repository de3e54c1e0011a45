package no.followup.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalTokenAuthenticatorTest {

  @Test
  void theLoginTokenWorksOnceAndGivesASessionForTheLocalUser() {
    LocalTokenAuthenticator auth = new LocalTokenAuthenticator(Duration.ofHours(1), Clock.systemUTC());
    String token = auth.loginToken();
    assertThat(token).hasSizeGreaterThanOrEqualTo(30);

    assertThat(auth.exchange("wrong")).isEmpty();
    assertThat(auth.tokenUnused()).isTrue();
    Optional<String> session = auth.exchange(token);
    assertThat(session).isPresent();
    assertThat(auth.exchange(token)).as("used once only").isEmpty();
    assertThat(auth.tokenUnused()).isFalse();

    StaffUser user = auth.authenticate(new Authenticator.Credentials(null, session.get())).orElseThrow();
    assertThat(user.local()).isTrue();
    assertThat(user.roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(auth.authenticate(new Authenticator.Credentials(null, "forged"))).isEmpty();
    assertThat(auth.authenticate(new Authenticator.Credentials("Bearer " + token, null))).isEmpty();

    auth.logout(session.get());
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session.get()))).isEmpty();
  }

  @Test
  void sessionsExpire() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T10:00:00Z"));
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    LocalTokenAuthenticator auth = new LocalTokenAuthenticator(Duration.ofHours(12), clock);
    String session = auth.exchange(auth.loginToken()).orElseThrow();
    now.set(now.get().plus(Duration.ofHours(11)));
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session))).isPresent();
    now.set(now.get().plus(Duration.ofHours(1)));
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session))).isEmpty();
  }

  @Test
  void bearerTokensAreReadFromTheHeader() {
    assertThat(Authenticator.bearerToken("Bearer abc")).isEqualTo("abc");
    assertThat(Authenticator.bearerToken("bearer  abc ")).isEqualTo("abc");
    assertThat(Authenticator.bearerToken("Basic abc")).isNull();
    assertThat(Authenticator.bearerToken("Bearer ")).isNull();
    assertThat(Authenticator.bearerToken(null)).isNull();
  }
}
