package no.followup.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.Role;
import no.followup.common.auth.SignIn;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A service never starts without sign-in: local mode only on purpose, a missing OIDC setting named. */
class SignInOptionsTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef-local";

  @Command(name = "test")
  static final class TestCommand {
    @Mixin SignInOptions signIn;
  }

  private static SignInOptions parse(String... args) {
    TestCommand command = new TestCommand();
    new CommandLine(command).parseArgs(args);
    return command.signIn;
  }

  private static SignIn signIn(Map<String, String> environment, String... args) {
    return parse(args).signIn(environment::get);
  }

  @Test
  void withNothingSetTheServiceRefusesToStartNamingTheIssuer() {
    // even with a local token lying around in the environment: local mode needs AUTH_MODE=LOCAL
    assertThatThrownBy(() -> signIn(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", ""))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_ISSUER");
  }

  @Test
  void anIssuerWithoutAnAudienceIsRefusedNamingTheAudience() {
    assertThatThrownBy(() -> signIn(Map.of(), "--auth", "OIDC", "--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", ""))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_AUDIENCE");
  }

  @Test
  void oidcSettingsWithDefaultsForWhatIsBlank() {
    SignIn signIn = signIn(Map.of(), "--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "followup-intake",
        "--oidc-staff-id-claim", "NAVident", "--oidc-role-mapping", "0000-aaaa=TEAM_LEAD,bbbb=SYSTEM", "--oidc-role-claim", " ",
        "--oidc-office-claim", "", "--oidc-access-token-types", "");
    OidcSettings oidc = ((SignIn.Oidc) signIn).settings();
    assertThat(oidc.issuer()).isEqualTo("https://login.example.org/v2.0");
    assertThat(oidc.audience()).isEqualTo("followup-intake");
    assertThat(oidc.staffIdClaim()).isEqualTo("NAVident");
    assertThat(oidc.roleClaim()).isEqualTo(OidcSettings.DEFAULT_ROLE_CLAIM);
    assertThat(oidc.officeClaim()).isEqualTo(OidcSettings.DEFAULT_OFFICE_CLAIM);
    assertThat(oidc.roleFor("0000-AAAA")).isEqualTo(Role.TEAM_LEAD);
    assertThat(oidc.roleFor("bbbb")).isEqualTo(Role.SYSTEM);
    assertThat(oidc.acceptsTokenType("at+jwt")).isTrue();
    assertThat(oidc.acceptsTokenType("JWT")).isFalse();
  }

  @Test
  void localModeOnlyWhenAskedForAndOnlyWithAGoodToken() {
    SignIn local = signIn(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", "local");
    assertThat(local.local()).isTrue();
    assertThat(local.authenticator().authenticate("Bearer " + TOKEN)).isPresent();

    assertThatThrownBy(() -> signIn(Map.of(), "--auth", "LOCAL"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("FOLLOWUP_TOKEN");
    assertThatThrownBy(() -> signIn(Map.of("FOLLOWUP_TOKEN", "secret"), "--auth", "LOCAL"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("FOLLOWUP_TOKEN").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> signIn(Map.of(), "--auth", "NONE"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("AUTH_MODE");
  }

  @Test
  void anUnknownRoleInTheMappingIsNamed() {
    assertThatThrownBy(() -> signIn(Map.of(), "--oidc-issuer", "https://i", "--oidc-audience", "a", "--oidc-role-mapping", "x=BOSS"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_ROLE_MAPPING").hasMessageContaining("BOSS");
  }
}
