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
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.common.cli.SignInOptions;
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
 * the intake while status, reminders and delivery (each its own JVM) are killed with SIGKILL, all
 * three in every cycle, the broker is hard-restarted once, and poison records of every kind are
 * written onto every input topic. A verifier then recomputes what the pipeline must show from what the intake acknowledged
 * and prints: events acknowledged, lost, counted twice; reminders and SMS per due item; dead
 * letters; time to recover. {@link ChaosVerifier} holds the checks.
 *
 * <p>{@code java -Xmx1g -cp bench/target/followup-bench.jar no.followup.bench.chaos.ChaosSuite --cycles 9}
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Kill services and the broker during a load and check that nothing is lost or counted twice.")
public final class ChaosSuite implements Callable<Integer> {

  @Option(names = "--participants", defaultValue = "150", description = "Participants recorded by the load (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--cycles", defaultValue = "6", description = "Kill cycles, each killing status, reminders and delivery (default: ${DEFAULT-VALUE}).")
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
      ServiceProcess status = service(dir, "status", "no.followup.status.StatusMain", kafka,
          Map.of("AUTH_MODE", "LOCAL", SignInOptions.TOKEN_VARIABLE, token.value()),
          "--state-dir=" + dir.resolve("status-state"));
      ServiceProcess reminders = service(dir, "reminders", "no.followup.reminders.RemindersMain", kafka, Map.of(),
          "--state-dir=" + dir.resolve("reminders-state"),
          // no quiet hours: the run must see SMS go out at any hour of the day
          "--quiet-hours-start=00:00", "--quiet-hours-end=00:00");
      Path deliveryDir = dir.resolve("delivery");
      ServiceProcess delivery = service(dir, "delivery", "no.followup.delivery.DeliveryMain", kafka, Map.of(),
          "--data-dir=" + deliveryDir, "--contacts-file=" + contacts);
      List<ServiceProcess> services = List.of(status, reminders, delivery);
      services.forEach(started::add);
      services.forEach(ServiceProcess::start);
      for (ServiceProcess service : services) {
        service.awaitReady(Duration.ofMinutes(3));
      }

      // the load is paced to last about as long as the kill cycles
      Duration loadTime = settings.cycleInterval().multipliedBy(settings.cycles() + 1L);
      Future<?> loading = loadThread.submit(() -> load.run(0, settings.participants(),
          Duration.ofMillis(Math.max(0, loadTime.toMillis() / Math.max(1, settings.participants()))), Duration.ofMinutes(10)));

      ChaosVerifier verifier = new ChaosVerifier(bootstrap, registry.url(), token, runId, deliveryDir.resolve("sms-outbox.jsonl"));
      verifier.writePoison(new Random(2020));
      Duration probe = verifier.probeAfterPoison(load, status.httpPort(), Duration.ofSeconds(30));

      int brokerRestartAt = settings.cycles() / 2;
      int brokerRestarts = 0;
      for (int cycle = 0; cycle < settings.cycles(); cycle++) {
        ServiceProcess.pause(settings.cycleInterval());
        long down = System.nanoTime();
        if (cycle == brokerRestartAt) {
          broker.killHard();
          broker.restart();
          brokerRestarts++;
        }
        // all three at once: the harshest case, and the cycles stay short enough for every build
        services.forEach(ServiceProcess::killHard);
        services.forEach(ServiceProcess::start);
        for (ServiceProcess service : services) {
          service.awaitReady(Duration.ofMinutes(3));
        }
        recoveries.add(Duration.ofNanos(System.nanoTime() - down));
      }
      loading.get();
      // events the topic holds twice (a producer retry, a replay): the pipeline must count them once
      int duplicated = verifier.duplicateSomeEvents(30);
      return verifier.converge(load, settings.participants(), settings.cycles(), brokerRestarts, duplicated, recoveries,
          probe, status.httpPort(), Duration.ofMinutes(3));
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

  private static ServiceProcess service(Path dir, String name, String mainClass, List<String> kafka,
      Map<String, String> environment, String... options) {
    List<String> arguments = new ArrayList<>(kafka);
    arguments.addAll(List.of(options));
    return new ServiceProcess(name, mainClass, arguments, environment, dir.resolve("logs").resolve(name + ".log"));
  }
}
