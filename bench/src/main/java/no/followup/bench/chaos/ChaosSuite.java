package no.followup.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import no.followup.bench.chaos.ServiceInstances.Kind;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.registry.tools.RegisterSchemasCommand;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chaos suite, after the shape of Kafka's own exactly-once system tests: a load goes through
 * the intake while two instances each of status, reminders, delivery and the dashboard run, each
 * its own JVM on one broker ({@link ServiceInstances}). Every cycle kills one instance of each kind
 * with SIGKILL (the first instances, then the second ones, in turn) and starts it again; the broker
 * is hard-restarted once, and poison records of every kind are written onto every input topic.
 * Meanwhile the office lists of both status instances are asked throughout ({@link OfficeListWatcher}),
 * and in every cycle a change must reach the surviving dashboard's live stream ({@link DashboardLiveness}).
 * A verifier then recomputes what the pipeline must show from what the intake acknowledged and
 * prints: events acknowledged, lost, counted twice; reminders and SMS per due item (over both
 * delivery instances); dead letters; time to recover; the lists' answers and the dashboard's pushes.
 * {@link ChaosVerifier} holds the checks.
 *
 * <p>{@code java -Xmx1g -cp bench/target/followup-bench.jar no.followup.bench.chaos.ChaosSuite --cycles 9}
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Kill services and the broker during a load and check that nothing is lost or counted twice.")
public final class ChaosSuite implements Callable<Integer> {

  @Option(names = "--participants", defaultValue = "150", description = "Participants recorded by the load (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--cycles", defaultValue = "6", description = "Kill cycles, each killing one instance of status, reminders, delivery and the dashboard (default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--cycle-interval", defaultValue = "PT3S", description = "Load time between two kills (default: ${DEFAULT-VALUE}).")
  Duration cycleInterval;

  @Option(names = "--work-dir", description = "Where the broker and the services keep their data (default: a new temporary directory).")
  Path workDir;

  /** How one run is shaped. */
  public record Settings(Path workDir, int participants, int cycles, Duration cycleInterval) {}

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("followup-chaos");
    ChaosVerifier.Result result = run(new Settings(dir, participants, cycles, cycleInterval));
    System.out.println(result.table());
    return result.passed() ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChaosSuite()).execute(args));
  }

  /** One run: start everything, load, kill, poison, converge, verify; everything started is stopped. */
  public static ChaosVerifier.Result run(Settings settings) throws Exception {
    Path dir = settings.workDir();
    String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    List<Duration> recoveries = new ArrayList<>();
    LocalKafkaBroker broker = LocalKafkaBroker.start(new LocalKafkaBroker.Options(dir.resolve("kafka"), 0, 0, "512m",
        Duration.ofSeconds(120), true));
    List<AutoCloseable> started = new ArrayList<>();
    ExecutorService loadThread = Executors.newSingleThreadExecutor();
    try {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        new TopicProvisioner(3, (short) 1).ensure(admin, Topics.ALL);
      }
      LocalSchemaRegistry registry = LocalSchemaRegistry.start(bootstrap, 0);
      started.add(registry);
      int registered = new CommandLine(new RegisterSchemasCommand()).execute("--registry-url", registry.url(), "--from-classpath");
      if (registered != 0) {
        throw new IllegalStateException("registering the schemas failed (exit " + registered + ")");
      }
      // the local setup's sign-in: one token for the intake and the status API, as in the local stack
      LocalToken token = LocalToken.generate();
      IntakeApp intake = IntakeApp.start(IntakeConfig.defaults(bootstrap, registry.url()).withPort(0).withSignIn(SignIn.local(token)));
      started.add(intake);
      ChaosLoad load = new ChaosLoad("http://127.0.0.1:" + intake.port(), token, runId, Clock.systemUTC());
      Path contacts = writeContacts(dir.resolve("contacts.csv"), load.participantIds(settings.participants()));

      List<String> kafka = List.of("--bootstrap-servers=" + bootstrap, "--schema-registry-url=" + registry.url());
      ServiceInstances services = new ServiceInstances(dir, kafka, token, contacts, "http://127.0.0.1:" + intake.port());
      started.add(services);
      services.startAll(Duration.ofMinutes(3));
      OfficeListWatcher lists = new OfficeListWatcher(bootstrap, services.statusPorts(), token, load.participantPrefix());
      started.add(lists);
      lists.start();
      lists.awaitCompleteFromEach(Duration.ofMinutes(2));
      int statusPort = services.get(Kind.STATUS, 1).httpPort();

      // the load in slices: one now, one at each cycle's kills, so that events are in flight whenever instances die
      List<Future<?>> loading = new ArrayList<>();
      loading.add(loadThread.submit(() -> loadSlice(load, settings, 0)));

      ChaosVerifier verifier = new ChaosVerifier(bootstrap, registry.url(), token, runId, services.outboxes());
      verifier.writePoison(new Random(2020));
      Duration probe = verifier.probeAfterPoison(load, statusPort, Duration.ofSeconds(30));

      int brokerRestartAt = settings.cycles() / 2;
      int brokerRestarts = 0;
      List<Duration> pushes = new ArrayList<>();
      for (int cycle = 0; cycle < settings.cycles(); cycle++) {
        ServiceProcess.pause(settings.cycleInterval());
        // the cycles kill the first instances and the second ones in turn: each is killed, and each survives a kill
        int victim = 1 + cycle % ServiceInstances.COUNT;
        int survivor = 1 + (cycle + 1) % ServiceInstances.COUNT;
        // the dashboard first: a participant enrolled now crosses both status instances (up) and must
        // reach the surviving dashboard's open live stream; the probe office then counts the first
        // probe and one per cycle so far
        try (DashboardLiveness stream = DashboardLiveness.open(services.get(Kind.DASHBOARD, survivor).httpPort(), token)) {
          services.killHard(victim, List.of(Kind.DASHBOARD));
          pushes.add(stream.pushAfterEnrolment(load, "live-" + runId + "-" + cycle, 2L + cycle, MultiInstanceFindings.PUSH_LIMIT));
        }
        long down = System.nanoTime();
        lists.instanceAway();
        int slice = cycle + 1;
        loading.add(loadThread.submit(() -> loadSlice(load, settings, slice)));
        if (cycle == brokerRestartAt) {
          broker.killHard();
          broker.restart();
          brokerRestarts++;
        }
        services.killHard(victim, List.of(Kind.STATUS, Kind.REMINDERS, Kind.DELIVERY));
        services.restart(victim, List.of(Kind.values()), Duration.ofMinutes(3));
        lists.allUp();
        recoveries.add(Duration.ofNanos(System.nanoTime() - down));
      }
      for (Future<?> slice : loading) {
        slice.get();
      }
      // events the topic holds twice (a producer retry, a replay): the pipeline must count them once
      int duplicated = verifier.duplicateSomeEvents(30);
      return verifier.converge(load, settings.participants(), settings.cycles(), brokerRestarts, duplicated, recoveries,
          probe, statusPort, Duration.ofMinutes(3), () -> new MultiInstanceFindings(ServiceInstances.COUNT, lists.findings(), pushes));
    } finally {
      loadThread.shutdownNow();
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          System.err.println("stopping a part of the chaos run failed: " + e);
        }
      }
      broker.close();
    }
  }

  /** Slice {@code slice} of the cycles + 1 slices of the load's participants, paced over one cycle interval. */
  private static void loadSlice(ChaosLoad load, Settings settings, int slice) {
    int slices = settings.cycles() + 1;
    int from = settings.participants() * slice / slices;
    int to = settings.participants() * (slice + 1) / slices;
    Duration pace = settings.cycleInterval().dividedBy(Math.max(1, to - from));
    load.run(from, to, pace, Duration.ofMinutes(10));
  }

  /**
   * A contact for every participant of the load, reachable by SMS (the delivery service's contact
   * file: {@code participantId;phone;language;optedOut}), so that every due item should give one SMS.
   * The numbers are in +47 0xxxxxxx, a range not given to subscribers.
   */
  private static Path writeContacts(Path file, List<String> participantIds) throws java.io.IOException {
    StringBuilder lines = new StringBuilder();
    for (int index = 0; index < participantIds.size(); index++) {
      lines.append(participantIds.get(index)).append(String.format(";+470%07d;nb;false%n", index + 1));
    }
    return Files.writeString(file, lines);
  }
}
