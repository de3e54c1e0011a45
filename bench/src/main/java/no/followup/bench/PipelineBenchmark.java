package no.followup.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: measures the pipeline's hot paths on a real broker and reports every
 * figure against a ceiling (or floor) measured in the same run on the same broker, because on a
 * shared 2-core machine absolute numbers drift while ratios hold. Not a test: run it on purpose and
 * read the table (markdown, on standard output; progress goes to standard error). Each measurement
 * starts a broker of its own in a fresh temporary directory, which is deleted at the end, and
 * stops every process it started.
 */
@Command(name = "pipeline-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures status, intake and reminders against ceilings from the same run; prints a markdown table.")
public final class PipelineBenchmark implements Callable<Integer> {

  /** The measurements, in the order they run. */
  enum Measurement { SERDE, STATUS, LATENCY, REBUILD, INTAKE, REMINDERS }

  @Option(names = "--only", split = ",", paramLabel = "MEASUREMENT",
      description = "Run only these (comma-separated): ${COMPLETION-CANDIDATES}. Default: all of them.")
  Set<Measurement> only;

  @Option(names = "--service-heap", defaultValue = "512m",
      description = "-Xmx of the status service and ceiling JVMs; docker-compose gives every service 512m (default: ${DEFAULT-VALUE}).")
  String serviceHeap;

  @Option(names = "--stream-threads", defaultValue = "1",
      description = "Kafka Streams threads of the status service and of its ceilings alike (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(names = "--catch-up-limit", defaultValue = "PT5M",
      description = "Longest a status or ceiling application may work through a pre-loaded topic; a slower one is measured"
          + " over what it committed by then, and the table says so (default: ${DEFAULT-VALUE}).")
  Duration catchUpLimit;

  @Option(names = "--status-events", defaultValue = "200000",
      description = "Events per status throughput size: / 10 and / 100 participants (default: ${DEFAULT-VALUE}).")
  int statusEvents;

  @Option(names = "--latency-rate", defaultValue = "1000", description = "Events per second (default: ${DEFAULT-VALUE}).")
  int latencyRate;

  @Option(names = "--latency-duration", defaultValue = "PT30S", description = "How long events are measured, after 20 s of warm-up (default: ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(names = "--rebuild-participants", defaultValue = "1000000",
      description = "Participants of the rebuild, 20 events each (default: ${DEFAULT-VALUE}).")
  int rebuildParticipants;

  @Option(names = "--intake-events", defaultValue = "100000", description = "Events sent through the intake (default: ${DEFAULT-VALUE}).")
  int intakeEvents;

  @Option(names = "--burst-reminders", defaultValue = "10000", description = "Reminders due at one instant (default: ${DEFAULT-VALUE}).")
  int burstReminders;

  @Option(names = "--steady-reminders", defaultValue = "1500", description = "Reminders due at an even pace (default: ${DEFAULT-VALUE}).")
  int steadyReminders;

  @Option(names = "--steady-window", defaultValue = "PT30S", description = "Over how long they fall due (default: ${DEFAULT-VALUE}).")
  Duration steadyWindow;

  @Option(names = "--steady-bookings", defaultValue = "100",
      description = "New bookings per second meanwhile (default: ${DEFAULT-VALUE}).")
  int steadyBookings;

  @Option(names = "--serde-ops", defaultValue = "200000", description = "Serde round trips (default: ${DEFAULT-VALUE}).")
  int serdeOps;

  @Option(names = "--registry-lookups", defaultValue = "300", description = "Uncached serializations (default: ${DEFAULT-VALUE}).")
  int registryLookups;

  /** The harness's logging configuration, for it and the JVMs it starts, unless one is given with -D. */
  static final String LOGGING_CONFIGURATION = "followup-bench-logback.xml";

  public static void main(String[] args) {
    useBenchLogging();
    System.exit(new CommandLine(new PipelineBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /**
   * Called first thing in a main, before any logger exists: the class path also carries a
   * {@code logback-test.xml} (in the registry client's test jar), which Logback would prefer.
   */
  static void useBenchLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING_CONFIGURATION);
    }
  }

  @Override
  public Integer call() throws Exception {
    Set<Measurement> selected = only == null || only.isEmpty() ? EnumSet.allOf(Measurement.class) : EnumSet.copyOf(only);
    Path workDir = Files.createTempDirectory("followup-bench");
    System.err.printf("followup benchmark: %s; %d cores, java %s, harness heap %d MiB, service heap %s; work dir %s%n",
        selected, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, serviceHeap, workDir);
    List<Row> rows = new ArrayList<>();
    String loadBefore = loadAverage();
    long started = System.nanoTime();
    // a run stopped by SIGTERM or Ctrl-C skips the finally below; its data must not stay behind either
    Thread cleanUp = new Thread(() -> deleteOnceReleased(workDir), "bench-work-dir-clean-up");
    Runtime.getRuntime().addShutdownHook(cleanUp);
    try {
      for (Measurement measurement : selected) {
        rows.addAll(run(measurement, workDir));
      }
    } finally {
      BenchBroker.deleteRecursively(workDir);
      Runtime.getRuntime().removeShutdownHook(cleanUp);
    }
    System.out.printf("%d cores, java %s, service heap %s, %d stream thread(s); %.0f s; load average (1 min) %s before, %s after%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), serviceHeap, streamThreads,
        Timing.seconds(System.nanoTime() - started), loadBefore, loadAverage());
    System.out.print(Row.markdown(rows));
    return 0;
  }

  /**
   * Deletes the work directory during JVM shutdown, while the brokers and services started from it
   * are being killed by their own hooks: files they still write make a first attempt fail, so it is
   * retried for a few seconds.
   */
  private static void deleteOnceReleased(Path workDir) {
    for (int attempt = 1; ; attempt++) {
      try {
        BenchBroker.deleteRecursively(workDir);
        return;
      } catch (UncheckedIOException e) {
        if (attempt == 20) {
          System.err.println("could not delete " + workDir + ": " + e.getCause());
          return;
        }
        Timing.pause(Duration.ofMillis(250));
      }
    }
  }

  /** The 1-minute load average (Linux): how busy the shared machine was, which absolute figures depend on. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private List<Row> run(Measurement measurement, Path workDir) throws Exception {
    return switch (measurement) {
      case SERDE -> new SerdeCost(workDir, serdeOps, registryLookups).run();
      case STATUS -> new StatusThroughput(workDir, statusEvents, serviceHeap, streamThreads, catchUpLimit).run();
      case LATENCY -> new StatusLatency(workDir, latencyRate, latencyDuration, serviceHeap, streamThreads).run();
      case REBUILD -> new StatusRebuild(workDir, rebuildParticipants, serviceHeap, streamThreads, catchUpLimit).run();
      case INTAKE -> new IntakeBatchThroughput(workDir, intakeEvents).run();
      case REMINDERS -> new ReminderTimers(workDir, burstReminders, steadyReminders, steadyWindow, steadyBookings).run();
    };
  }
}
