package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusMainTest {

  @Test
  void outsideLocalModeTheStatusServiceDoesNotStartWithoutAMasterKey() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StatusMain());
    cli.setErr(new PrintWriter(err, true));

    // no FOLLOWUP_MASTER_KEY in the test's environment: the check comes before any connection is tried
    int exit = cli.execute("--bootstrap-servers", "127.0.0.1:9", "--auth", "OIDC",
        "--oidc-issuer", "https://login.example.org/v2.0", "--oidc-audience", "followup-status", "--http-port", "0");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("FOLLOWUP_MASTER_KEY is not set", "enrolment and exit");
  }
}
