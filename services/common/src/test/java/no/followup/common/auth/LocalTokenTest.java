package no.followup.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalTokenTest {

  @Test
  void theTokenAuthenticatesTheLocalUserAndNothingElseDoes() {
    LocalToken token = LocalToken.generate();
    assertThat(token.value()).hasSizeGreaterThanOrEqualTo(LocalToken.MIN_LENGTH);
    assertThat(LocalToken.generate().value()).isNotEqualTo(token.value());

    Caller caller = token.authenticate("Bearer " + token.value()).orElseThrow();
    assertThat(caller.local()).isTrue();
    assertThat(caller.roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(caller.belongsTo("0403")).isTrue();
    assertThat(caller.isService()).as("the local user is not a service, though it holds every role").isFalse();

    assertThat(token.authenticate(null)).isEmpty();
    assertThat(token.authenticate("Bearer " + token.value().substring(1))).isEmpty();
    assertThat(token.authenticate("Bearer " + LocalToken.generate().value())).isEmpty();
    assertThat(token.authenticate("Basic " + token.value())).isEmpty();
    assertThat(token.accessToken()).isEqualTo(token.value());
  }

  @Test
  void aChosenTokenMustBeLongAndPrintable() {
    String chosen = "0123456789abcdef0123456789abcdef";
    assertThat(LocalToken.of(chosen).matches(chosen)).isTrue();
    assertThatThrownBy(() -> LocalToken.of("short")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalToken.of("0123456789abcdef 0123456789abcdef")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalToken.of(null)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A command line takes "--token X" as an option with its value only when X does not begin with '-'. */
  @Test
  void aGeneratedTokenIsSafeOnACommandLine() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(LocalToken.generate().value()).matches("[0-9a-f]{64}");
    }
  }

  @Test
  void itNeverShowsInAToString() {
    LocalToken token = LocalToken.generate();
    assertThat(token.toString()).doesNotContain(token.value());
    assertThat(SignIn.local(token).toString()).doesNotContain(token.value());
  }
}
