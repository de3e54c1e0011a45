package no.followup.intake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code followup}: the command line for coordinators' tooling and operators. Publishes events
 * through the intake HTTP API, shows what is on a topic, prints example events and a cohort's report,
 * scans for what remains of an erased participant, and lists and re-drives dead letters.
 */
@Command(name = "followup", mixinStandardHelpOptions = true,
    description = "Publish follow-up events through the intake and read them back from Kafka.",
    subcommands = {PublishCommand.class, TailCommand.class, ExampleCommand.class, PrivacyScanCommand.class, ReportCommand.class,
        ReplayCommand.class, DeadLettersCommand.class,
        CommandLine.HelpCommand.class})
public final class FollowupCli implements Runnable {

  /** Exit code: every event accepted / command succeeded. */
  static final int OK = 0;
  /** Exit code: at least one event rejected, as invalid or as not allowed for the caller's sign-in. */
  static final int REJECTED = 1;
  /** Exit code: could not get an answer (intake or broker unreachable, no valid token, bad arguments, I/O). */
  static final int FAILED = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    return new CommandLine(new FollowupCli());
  }

  public static void main(String[] args) {
    // before any logger exists: standard output is for data, log warnings go to standard error
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "followup-cli-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }
}
