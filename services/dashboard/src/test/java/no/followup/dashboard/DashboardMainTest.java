package no.followup.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.Role;
import no.followup.common.auth.SignIn;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DashboardMainTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef-local";
  private static final String[] OIDC = {"--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "dash",
      "--oidc-client-id", "followup-dashboard"};

  private static DashboardConfig parse(Map<String, String> environment, String... args) {
    DashboardMain main = new DashboardMain();
    new CommandLine(main).parseArgs(args);
    return main.config(environment::get);
  }

  private static String[] with(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void withoutAnIssuerTheDashboardDoesNotStartUnlessLocalModeIsAskedFor() {
    assertThatThrownBy(() -> parse(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", "", "--oidc-issuer", "", "--http-port", "0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_ISSUER");

    DashboardConfig cfg = parse(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", "LOCAL", "--data-dir", "/var/lib/followup/dashboard",
        "--http-port", "0");
    assertThat(cfg.signIn().signIn().local()).isTrue();
    assertThat(cfg.signIn().signIn().authenticator().authenticate("Bearer " + TOKEN)).isPresent();
    assertThat(cfg.signIn().cookieSecure()).as("Secure unless said otherwise").isTrue();
    assertThat(cfg.auditLogPath()).isEqualTo(Path.of("/var/lib/followup/dashboard/audit.log"));
    assertThat(cfg.stateDir()).isEqualTo(Path.of("/var/lib/followup/dashboard/state"));
    assertThat(parse(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", "LOCAL", "--state-dir", "/srv/dashboard-2/state").stateDir())
        .isEqualTo(Path.of("/srv/dashboard-2/state"));
    assertThat(cfg.zone().getId()).isEqualTo("Europe/Oslo");
    assertThat(cfg.port()).isZero();
    assertThat(parse(Map.of("FOLLOWUP_TOKEN", TOKEN), "--auth", "LOCAL", "--cookie-secure", "false").signIn().cookieSecure())
        .isFalse();
  }

  @Test
  void anIssuerMeansOidcWithTheConfiguredClaimsAndTheDashboardsOwnCredentialsForTheIntake() {
    DashboardConfig cfg = parse(Map.of("OIDC_CLIENT_SECRET", "s3cret"), with(OIDC,
        "--oidc-staff-id-claim", "NAVident", "--oidc-role-claim", "groups", "--oidc-role-mapping", "0000-aaaa=TEAM_LEAD,bbbb=COORDINATOR",
        "--intake-token-scope", "api://followup-intake/.default", "--audit-log", "/tmp/audit.jsonl"));
    OidcSettings oidc = ((SignIn.Oidc) cfg.signIn().signIn()).settings();
    assertThat(oidc.issuer()).isEqualTo("https://login.example.org/v2.0");
    assertThat(oidc.audience()).isEqualTo("dash");
    assertThat(oidc.staffIdClaim()).isEqualTo("NAVident");
    assertThat(oidc.roleClaim()).isEqualTo("groups");
    assertThat(oidc.roleFor("0000-AAAA")).isEqualTo(Role.TEAM_LEAD);
    assertThat(cfg.signIn().loginUrl()).isNull();
    assertThat(cfg.signIn().intakeCredentials().clientId()).isEqualTo("followup-dashboard");
    assertThat(cfg.signIn().intakeCredentials().scope()).isEqualTo("api://followup-intake/.default");
    assertThat(cfg.signIn().intakeCredentials().issuer()).isEqualTo(oidc.issuer());
    assertThat(cfg.auditLogPath()).isEqualTo(Path.of("/tmp/audit.jsonl"));
  }

  @Test
  void inOidcModeMissingClientCredentialsAreNamed() {
    assertThatThrownBy(() -> parse(Map.of("OIDC_CLIENT_SECRET", "s3cret"), "--oidc-issuer", "https://login.example.org/v2.0",
        "--oidc-audience", "dash", "--oidc-client-id", ""))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_CLIENT_ID");
    assertThatThrownBy(() -> parse(Map.of(), OIDC))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("OIDC_CLIENT_SECRET");
  }

  @Test
  void sharedKafkaAndTopicOptionsReachTheConfig() {
    DashboardConfig cfg = parse(Map.of("OIDC_CLIENT_SECRET", "s3cret"), with(OIDC, "--bootstrap-servers", "kafka-1:9093",
        "--schema-registry-url", "http://registry:8085", "--partitions", "6", "--replication-factor", "3"));
    assertThat(cfg.kafka().bootstrapServers()).isEqualTo("kafka-1:9093");
    assertThat(cfg.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(cfg.topicPartitions()).isEqualTo(6);
    assertThat(cfg.replicationFactor()).isEqualTo((short) 3);
  }
}
