package no.followup.intake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.SignInOptions;
import no.followup.common.crypto.MasterKey;
import no.followup.common.io.BoundedText;
import no.followup.intake.privacy.Findings;
import no.followup.intake.privacy.PrivacyScan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code followup privacy-scan <participantId>}: where anything of the participant remains (see
 * {@link PrivacyScan}). Exit 0 when nothing does, 1 with findings, 2 when the scan could not run.
 */
@Command(name = "privacy-scan", mixinStandardHelpOptions = true,
    description = "Scan topics, changelogs, data directories and the dashboard for what remains of a participant "
        + "(after an erasure: nothing). Prints places, never values.")
final class PrivacyScanCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PARTICIPANT_ID", description = "The pseudonymous participant id")
  String participantId;

  @Mixin KafkaOptions kafka;

  @Option(names = "--data-dir", description = "A services' data directory to scan (repeatable), e.g. .local")
  List<Path> dataDirs = List.of();

  @Option(names = "--dashboard-url", description = "The dashboard, e.g. http://127.0.0.1:8088 (with a token that sees every row)")
  URI dashboard;

  @Option(names = "--token", defaultValue = "${env:" + SignInOptions.TOKEN_VARIABLE + ":-}", showDefaultValue = Visibility.NEVER,
      description = "Access token for the dashboard (env " + SignInOptions.TOKEN_VARIABLE + ")")
  String token;

  @Option(names = "--master-key-file",
      description = "The master key (Tink JSON keyset) to check that sealed payloads no longer open; default: env "
          + MasterKey.VARIABLE)
  Path masterKeyFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Optional<String> masterKey = masterKeyFile != null ? Optional.of(BoundedText.read(masterKeyFile, MasterKey.MAX_FILE_BYTES, "--master-key-file"))
          : Optional.ofNullable(System.getenv(MasterKey.VARIABLE)).filter(s -> !s.isBlank());
      PrivacyScan scan = new PrivacyScan(kafka.connection(), kafka.schemaRegistryUrl(), masterKey, dataDirs,
          dashboard, token == null ? "" : token.trim());
      Findings findings = scan.scan(participantId);
      findings.findings().forEach(f -> out.println("FOUND " + f.where() + ": " + f.what()));
      findings.notes().forEach(n -> out.println("note  " + n.where() + ": " + n.what()));
      out.println(findings.clean() ? "clean: nothing readable or live of " + participantId
          : findings.findings().size() + " finding(s) for " + participantId);
      out.flush();
      return findings.clean() ? FollowupCli.OK : FollowupCli.REJECTED;
    } catch (IOException | RuntimeException e) {
      err.println("privacy-scan failed: " + e.getMessage());
      err.flush();
      return FollowupCli.FAILED;
    }
  }
}
