package no.followup.localstack;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code java -jar followup-local-stack.jar}: the whole pipeline on this machine, in the foreground. */
@Command(
    name = "followup-local",
    mixinStandardHelpOptions = true,
    description = {
        "Starts a Kafka broker (KRaft), the local schema registry and every followup service on 127.0.0.1,",
        "publishes the demo scenario on first start, prints where everything listens, and stops cleanly on Ctrl-C.",
        "Data is kept in --data-dir across restarts; --fresh starts from nothing."})
public final class LocalStackMain implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "${env:FOLLOWUP_DATA_DIR:-.local}", description = "Where broker data and service state live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--fresh", description = "Delete --data-dir first and start from an empty broker.")
  boolean fresh;

  @Option(names = "--no-demo", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Publish the demo scenario on first start (default: ${DEFAULT-VALUE}).")
  boolean demo;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--local-time", paramLabel = "HH:MM",
      description = "Run every service as if it were this time of day in Oslo now (its latest occurrence; the clock then ticks"
          + " on), e.g. 12:00 to see SMS reminders go out while it is night here. Default: the system clock.")
  LocalTime localTime;

  @Option(names = "--exit-after-start", hidden = true, description = "Start everything, print, then stop (smoke test).")
  boolean exitAfterStart;

  @Override
  public Integer call() throws Exception {
    LocalStack.Settings d = LocalStack.Settings.defaults(dataDir.toAbsolutePath());
    LocalStack.Settings settings = new LocalStack.Settings(d.dataDir(), fresh, demo, kafkaPort, controllerPort, partitions,
        d.registryPort(), d.intakePort(), d.statusPort(), d.remindersPort(), d.deliveryPort(), d.dashboardPort(),
        localTime == null ? d.clock() : LocalStack.clockAt(localTime, d.clock()));
    LocalStack stack = LocalStack.start(settings);
    System.out.println(stack.describe());
    if (exitAfterStart) {
      stack.close();
      return 0;
    }
    return RunUntilShutdown.closeOnShutdown(stack, "local-stack");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalStackMain()).execute(args));
  }
}
