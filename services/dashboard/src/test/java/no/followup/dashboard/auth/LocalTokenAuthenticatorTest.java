package no.followup.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import no.followup.common.auth.Caller;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.Role;
import org.junit.jupiter.api.Test;

class LocalTokenAuthenticatorTest {

  private final LocalToken token = LocalToken.generate();

  @Test
  void theLocalTokenGivesSessionsOfTheLocalUserAndWorksAsABearerToken() {
    LocalTokenAuthenticator auth = new LocalTokenAuthenticator(token, Duration.ofHours(1), Clock.systemUTC());

    assertThat(auth.exchange("wrong")).isEmpty();
    assertThat(auth.exchange(null)).isEmpty();
    Optional<String> session = auth.exchange(token.value());
    assertThat(session).isPresent();
    assertThat(auth.exchange(token.value())).as("the stack's token, for a second browser too").isPresent()
        .isNotEqualTo(session);

    Caller user = auth.authenticate(new Authenticator.Credentials(null, session.get())).orElseThrow();
    assertThat(user.local()).isTrue();
    assertThat(user.roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(auth.authenticate(new Authenticator.Credentials(null, "forged"))).isEmpty();
    assertThat(auth.authenticate(new Authenticator.Credentials("Bearer " + token.value(), null))).isPresent();
    assertThat(auth.authenticate(new Authenticator.Credentials("Bearer " + LocalToken.generate().value(), session.get())))
        .as("a wrong bearer token is not rescued by a good cookie").isEmpty();
    assertThat(auth.authenticate(new Authenticator.Credentials("Bearer " + session.get(), null)))
        .as("a session id is not a token").isEmpty();

    auth.logout(session.get());
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session.get()))).isEmpty();
  }

  @Test
  void aSessionWorksOnEveryInstanceGivenTheSameTokenAndOnNoOther() {
    LocalTokenAuthenticator first = new LocalTokenAuthenticator(token, Duration.ofHours(1), Clock.systemUTC());
    LocalTokenAuthenticator second = new LocalTokenAuthenticator(token, Duration.ofHours(1), Clock.systemUTC());
    LocalTokenAuthenticator otherStack = new LocalTokenAuthenticator(LocalToken.generate(), Duration.ofHours(1),
        Clock.systemUTC());
    String session = first.exchange(token.value()).orElseThrow();

    assertThat(second.authenticate(new Authenticator.Credentials(null, session))).isPresent();
    assertThat(otherStack.authenticate(new Authenticator.Credentials(null, session))).isEmpty();
    assertThat(session).doesNotContain(token.value());
    // a longer life written into the id breaks its signature
    String[] parts = session.split("\\.");
    byte[] payload = java.util.Base64.getUrlDecoder().decode(parts[0]);
    payload[0] ^= 0x01;
    String extended = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];
    assertThat(second.authenticate(new Authenticator.Credentials(null, extended))).isEmpty();
  }

  @Test
  void sessionsExpire() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T10:00:00Z"));
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    LocalTokenAuthenticator auth = new LocalTokenAuthenticator(token, Duration.ofHours(12), clock);
    String session = auth.exchange(token.value()).orElseThrow();
    now.set(now.get().plus(Duration.ofHours(11)));
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session))).isPresent();
    now.set(now.get().plus(Duration.ofHours(1)));
    assertThat(auth.authenticate(new Authenticator.Credentials(null, session))).isEmpty();
  }
}
