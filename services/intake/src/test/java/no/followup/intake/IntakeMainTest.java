package no.followup.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IntakeMainTest {

  @Test
  void sharedKafkaAndTopicOptionsReachTheConfig() {
    IntakeMain main = new IntakeMain();
    new CommandLine(main).parseArgs("--bootstrap-servers", "kafka-1:9093", "--schema-registry-url", "http://registry:8085",
        "--auto-register-schemas", "false", "--partitions", "6", "--replication-factor", "3", "--port", "0",
        "--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "followup-intake");
    IntakeConfig config = main.config();
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-1:9093");
    assertThat(config.schemaRegistryUrl()).isEqualTo("http://registry:8085");
    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.topicPartitions()).isEqualTo(6);
    assertThat(config.replicationFactor()).isEqualTo((short) 3);
    assertThat(config.port()).isZero();
    assertThat(config.signIn().local()).isFalse();
  }

  @Test
  void withoutSignInSettingsTheIntakeDoesNotStartAndSaysWhatIsMissing() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new IntakeMain());
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("--auth", "OIDC", "--oidc-issuer", "", "--port", "0");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("OIDC_ISSUER (--oidc-issuer) is not set");
  }

  @Test
  void outsideLocalModeTheIntakeDoesNotStartWithoutAMasterKey() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new IntakeMain());
    cli.setErr(new PrintWriter(err, true));

    // no FOLLOWUP_MASTER_KEY in the test's environment: the check comes before any connection is tried
    int exit = cli.execute("--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "followup-intake", "--port", "0");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("FOLLOWUP_MASTER_KEY is not set");
    IntakeMain local = new IntakeMain();
    new CommandLine(local);
    org.assertj.core.api.Assertions.assertThatCode(() -> local.requireSealing(true, false)).doesNotThrowAnyException();
  }
}
