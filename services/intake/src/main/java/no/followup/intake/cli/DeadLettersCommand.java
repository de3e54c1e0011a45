package no.followup.intake.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import no.followup.common.cli.KafkaOptions;
import no.followup.intake.deadletters.DeadLetter;
import no.followup.intake.deadletters.DeadLetterLog;
import no.followup.intake.deadletters.Redrive;
import no.followup.intake.deadletters.Redriver;
import no.followup.intake.deadletters.SourceRecord;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.serde.AvroSerdeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code followup dead-letters list|show|redrive}: what the services skipped, and putting it back
 * once its cause is fixed. Prints pointers (topic, partition, offset, error, when), never a
 * record's key or content.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List, show and re-drive dead letters (pointers to records the services skipped).",
    subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.ShowCommand.class,
        DeadLettersCommand.RedriveCommand.class})
final class DeadLettersCommand implements Runnable {

  private static final Duration READ_LIMIT = Duration.ofSeconds(60);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every subcommand shares: the broker, the registry, the dead-letter topic. */
  static final class Source {
    @Mixin KafkaOptions kafka;

    @Option(names = "--dead-letter-topic", defaultValue = "followup.dead-letter.v1", description = "Default: ${DEFAULT-VALUE}")
    String topic;

    DeadLetterLog read() {
      return DeadLetterLog.read(kafka.connection(), topic, READ_LIMIT);
    }
  }

  /** Filters of list and redrive. */
  static final class Selection {
    @Option(names = "--cause", description = "Only this error class (simple or full name), e.g. SerializationException")
    String cause;

    @Option(names = "--source-topic", description = "Only records of this topic (short or full name), e.g. events")
    String sourceTopic;

    boolean matches(DeadLetter deadLetter) {
      return (cause == null || deadLetter.cause().equals(cause) || deadLetter.errorClass().equals(cause))
          && (sourceTopic == null || deadLetter.source().topic().equals(SourceRecord.fullTopicName(sourceTopic)));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead letters by cause, oldest first; re-driven ones say where to.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin Source source;
    @CommandLine.ArgGroup(exclusive = false) Selection selection = new Selection();

    @Option(names = "--open", description = "Only those not re-driven yet")
    boolean open;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterLog log = source.read();
      Map<String, List<DeadLetter>> byCause = new LinkedHashMap<>();
      for (DeadLetter deadLetter : log.deadLetters()) {
        if (selection.matches(deadLetter) && !(open && log.redriveOf(deadLetter.source()) != null)) {
          byCause.computeIfAbsent(deadLetter.cause(), cause -> new ArrayList<>()).add(deadLetter);
        }
      }
      long total = byCause.values().stream().mapToLong(List::size).sum();
      long redriven = byCause.values().stream().flatMap(List::stream).filter(d -> log.redriveOf(d.source()) != null).count();
      out.println(total + " dead letters, " + redriven + " re-driven");
      byCause.forEach((cause, deadLetters) -> {
        out.println(cause + " (" + deadLetters.size() + ")");
        for (DeadLetter deadLetter : deadLetters) {
          out.println("  " + deadLetter.source() + "  " + deadLetter.at() + "  " + state(log.redriveOf(deadLetter.source())));
        }
      });
      out.flush();
      return FollowupCli.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "The pointers to one record: the error and when, and whether and where it was re-driven.")
  static final class ShowCommand implements Callable<Integer> {
    @Mixin Source source;

    @Parameters(paramLabel = "<topic/partition/offset>", description = "The record, e.g. events/2/41")
    String record;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SourceRecord wanted = SourceRecord.parse(record);
      DeadLetterLog log = source.read();
      List<DeadLetter> pointers = log.pointersTo(wanted);
      if (pointers.isEmpty()) {
        spec.commandLine().getErr().println("No dead letter points at " + wanted);
        return FollowupCli.REJECTED;
      }
      out.println("record      " + wanted.topic() + " partition " + wanted.partition() + " offset " + wanted.offset());
      for (DeadLetter pointer : pointers) {
        out.println("skipped     " + pointer.at() + " (pointer " + pointer.pointerPartition() + "/" + pointer.pointerOffset() + ")");
        out.println("error       " + pointer.errorClass());
        out.println("message     " + pointer.errorMessage());
      }
      out.println("state       " + state(log.redriveOf(wanted)));
      out.flush();
      return FollowupCli.OK;
    }
  }

  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = {"Copy records back to the end of their topic, where the services read them again, once their cause is fixed.",
          "A record re-driven before is not copied again. Only events and reminders: their readers skip what they have seen."})
  static final class RedriveCommand implements Callable<Integer> {
    @Mixin Source source;
    @CommandLine.ArgGroup(exclusive = false) Selection selection = new Selection();

    @Parameters(arity = "0..*", paramLabel = "<topic/partition/offset>", description = "Records to re-drive, e.g. events/2/41")
    List<String> records = List.of();

    @Option(names = "--all", description = "Every dead letter that matches --cause / --source-topic (all of them without those)")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean filtered = selection.cause != null || selection.sourceTopic != null;
      if (records.isEmpty() == !(all || filtered)) {
        err.println("Name the records to re-drive, or select them with --cause / --source-topic / --all (not both)");
        return FollowupCli.FAILED;
      }
      List<SourceRecord> named = records.stream().map(SourceRecord::parse).toList();
      int notRedriven = 0;
      try (Redriver redriver = new Redriver(source.kafka.connection(),
          SchemaRegistryClients.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, source.kafka.schemaRegistryUrl())),
          source.kafka.schemaRegistryUrl(), source.topic, Clock.systemUTC())) {
        DeadLetterLog log = source.read(); // after the re-driver fenced any other: marks it committed are seen
        Set<SourceRecord> chosen = new LinkedHashSet<>(named);
        if (named.isEmpty()) {
          log.deadLetters().stream().filter(selection::matches).map(DeadLetter::source).forEach(chosen::add);
        }
        for (SourceRecord record : chosen) {
          if (log.pointersTo(record).isEmpty()) {
            err.println(record + ": no dead letter points at it; not re-driven");
            notRedriven++;
            continue;
          }
          Redriver.Outcome outcome = redriver.redrive(record, log);
          out.println(record + ": " + describe(outcome));
          if (!(outcome instanceof Redriver.Outcome.Redriven || outcome instanceof Redriver.Outcome.AlreadyRedriven)) {
            notRedriven++;
          }
        }
      }
      out.flush();
      return notRedriven == 0 ? FollowupCli.OK : FollowupCli.REJECTED;
    }
  }

  static String describe(Redriver.Outcome outcome) {
    if (outcome instanceof Redriver.Outcome.Redriven done) {
      return "re-driven to " + copy(done.redrive());
    }
    if (outcome instanceof Redriver.Outcome.AlreadyRedriven earlier) {
      return "already re-driven " + earlier.redrive().at() + " to " + copy(earlier.redrive()) + "; not copied again";
    }
    if (outcome instanceof Redriver.Outcome.NotRedrivable derived) {
      return "not re-driven: " + derived.topic() + " holds derived state (only " + String.join(", ", Redriver.REDRIVABLE)
          + " are re-driven)";
    }
    if (outcome instanceof Redriver.Outcome.StillUnreadable unreadable) {
      return "not re-driven: still unreadable (" + unreadable.errorClass() + "); fix the cause first";
    }
    return "not re-driven: the record is no longer on its topic";
  }

  private static String state(Redrive redrive) {
    return redrive == null ? "open" : "re-driven " + redrive.at() + " to " + copy(redrive);
  }

  private static String copy(Redrive redrive) {
    return new SourceRecord(redrive.source().topic(), redrive.copyPartition(), redrive.copyOffset()).toString();
  }
}
