package no.followup.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import no.followup.dashboard.auth.Role;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DashboardMainTest {

  private static DashboardConfig parse(String... args) {
    DashboardMain main = new DashboardMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void withoutAnIssuerTheDashboardUsesTheLocalSignIn() {
    DashboardConfig cfg = parse("--data-dir", "/var/lib/followup/dashboard", "--http-port", "0");
    assertThat(cfg.authMode()).isEqualTo(DashboardConfig.AuthMode.LOCAL);
    assertThat(cfg.auditLogPath()).isEqualTo(Path.of("/var/lib/followup/dashboard/audit.log"));
    assertThat(cfg.zone().getId()).isEqualTo("Europe/Oslo");
    assertThat(cfg.port()).isZero();
  }

  @Test
  void anIssuerSwitchesToOidcWithTheConfiguredClaims() {
    DashboardConfig cfg = parse("--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "dash",
        "--oidc-staff-id-claim", "NAVident", "--oidc-role-claim", "groups",
        "--oidc-role-mapping", "0000-aaaa=TEAM_LEAD,bbbb=COORDINATOR", "--audit-log", "/tmp/audit.jsonl");
    assertThat(cfg.authMode()).isEqualTo(DashboardConfig.AuthMode.OIDC);
    assertThat(cfg.oidc().issuer()).isEqualTo("https://login.example.org/v2.0");
    assertThat(cfg.oidc().audience()).isEqualTo("dash");
    assertThat(cfg.oidc().staffIdClaim()).isEqualTo("NAVident");
    assertThat(cfg.oidc().roleClaim()).isEqualTo("groups");
    assertThat(cfg.oidc().roleFor("0000-AAAA")).isEqualTo(Role.TEAM_LEAD);
    assertThat(cfg.oidc().loginUrl()).isNull();
    assertThat(cfg.auditLogPath()).isEqualTo(Path.of("/tmp/audit.jsonl"));
  }

  @Test
  void sharedKafkaAndTopicOptionsReachTheConfig() {
    DashboardConfig cfg = parse("--bootstrap-servers", "kafka-1:9093", "--schema-registry-url", "http://registry:8085",
        "--partitions", "6", "--replication-factor", "3");
    assertThat(cfg.bootstrapServers()).isEqualTo("kafka-1:9093");
    assertThat(cfg.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(cfg.topicPartitions()).isEqualTo(6);
    assertThat(cfg.replicationFactor()).isEqualTo((short) 3);
  }
}
