package no.followup.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import no.followup.common.auth.LocalToken;
import no.followup.common.cli.SignInOptions;

/**
 * Two instances of every service the chaos suite kills, each its own JVM on one broker: status,
 * reminders, delivery and the dashboard. The two of a kind share the application id (or group) and
 * differ in {@code --instance-id} (static membership), HTTP port, state directory and, for
 * delivery, ledger and SMS outbox ({@link #perInstance}). Every instance is started with the
 * service's public command-line options and environment variables only, as an operator would.
 */
final class ServiceInstances implements AutoCloseable {

  /** Instances of each kind. */
  static final int COUNT = 2;

  /** The services run twice. */
  enum Kind {
    STATUS("no.followup.status.StatusMain"),
    REMINDERS("no.followup.reminders.RemindersMain"),
    DELIVERY("no.followup.delivery.DeliveryMain"),
    DASHBOARD("no.followup.dashboard.DashboardMain");

    final String mainClass;

    Kind(String mainClass) {
      this.mainClass = mainClass;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Path dir;
  private final Map<Kind, List<ServiceProcess>> instances = new EnumMap<>(Kind.class);

  /**
   * @param kafka the broker and registry options every service takes
   * @param contacts the delivery service's contact file, shared by both delivery instances (read only)
   * @param intakeUrl where the dashboards record tasks marked done
   */
  ServiceInstances(Path dir, List<String> kafka, LocalToken token, Path contacts, String intakeUrl) {
    this.dir = dir;
    Map<String, String> localSignIn = Map.of("AUTH_MODE", "LOCAL", SignInOptions.TOKEN_VARIABLE, token.value());
    for (Kind kind : Kind.values()) {
      List<ServiceProcess> ofKind = new ArrayList<>();
      for (int instance = 1; instance <= COUNT; instance++) {
        List<String> arguments = new ArrayList<>(kafka);
        arguments.addAll(shared(kind, contacts, intakeUrl));
        arguments.addAll(perInstance(kind, instance));
        Map<String, String> environment = kind == Kind.STATUS || kind == Kind.DASHBOARD ? localSignIn : Map.of();
        String name = kind.label() + "-" + instance;
        ofKind.add(new ServiceProcess(name, kind.mainClass, arguments, environment, dir.resolve("logs").resolve(name + ".log")));
      }
      instances.put(kind, List.copyOf(ofKind));
    }
  }

  /** The options both instances of a kind take alike. */
  private List<String> shared(Kind kind, Path contacts, String intakeUrl) {
    return switch (kind) {
      case STATUS -> List.of();
      // no quiet hours: the run must see SMS go out at any hour of the day
      case REMINDERS -> List.of("--quiet-hours-start=00:00", "--quiet-hours-end=00:00", "--without-master-key");
      case DELIVERY -> List.of("--contacts-file=" + contacts);
      // status-url: the participant page's timeline; any status instance answers for every participant
      case DASHBOARD -> List.of("--intake-url=" + intakeUrl, "--status-url=http://127.0.0.1:" + get(Kind.STATUS, 1).httpPort(),
          "--cookie-secure=false");
    };
  }

  /**
   * The options that set one instance of a kind apart from the other (the HTTP port is
   * {@link ServiceProcess}'s): the one place to add another, such as a state directory of the
   * dashboard. {@code --instance-id} is the static group membership id: unique per instance and the
   * same across its restarts.
   */
  private List<String> perInstance(Kind kind, int instance) {
    Path own = dir.resolve(kind.label() + "-" + instance);
    return switch (kind) {
      case STATUS, REMINDERS -> List.of("--instance-id=" + instance, "--state-dir=" + own.resolve("state"));
      // the ledger and the SMS outbox are per instance: the verifier counts SMS over both outboxes
      case DELIVERY -> List.of("--instance-id=" + instance, "--data-dir=" + own);
      case DASHBOARD -> List.of("--data-dir=" + own);
    };
  }

  /** Instance {@code instance} (1 or 2) of {@code kind}. */
  ServiceProcess get(Kind kind, int instance) {
    return instances.get(kind).get(instance - 1);
  }

  /** The SMS outbox file of each delivery instance. */
  List<Path> outboxes() {
    List<Path> files = new ArrayList<>();
    for (int instance = 1; instance <= COUNT; instance++) {
      files.add(dir.resolve(Kind.DELIVERY.label() + "-" + instance).resolve("sms-outbox.jsonl"));
    }
    return files;
  }

  List<Integer> statusPorts() {
    return instances.get(Kind.STATUS).stream().map(ServiceProcess::httpPort).toList();
  }

  /** Starts every instance (all at once: each JVM waits on the broker most of its start) and waits until all are ready. */
  void startAll(Duration timeout) {
    List<ServiceProcess> all = all();
    all.forEach(ServiceProcess::start);
    awaitReady(all, timeout);
  }

  /** SIGKILL of instance {@code instance} of each of {@code kinds}. */
  void killHard(int instance, List<Kind> kinds) {
    kinds.forEach(kind -> get(kind, instance).killHard());
  }

  /** Starts instance {@code instance} of each of {@code kinds} again (same port, state and id) and waits until it is ready. */
  void restart(int instance, List<Kind> kinds, Duration timeout) {
    List<ServiceProcess> again = kinds.stream().map(kind -> get(kind, instance)).toList();
    again.forEach(ServiceProcess::start);
    awaitReady(again, timeout);
  }

  private static void awaitReady(List<ServiceProcess> processes, Duration timeout) {
    for (ServiceProcess process : processes) {
      process.awaitReady(timeout);
    }
  }

  private List<ServiceProcess> all() {
    return instances.values().stream().flatMap(List::stream).toList();
  }

  /** Stops every instance with SIGTERM, all at once (one after another, 8 JVMs would take half a minute). */
  @Override
  public void close() {
    List<Thread> stopping = all().stream().map(process -> new Thread(() -> {
      try {
        process.close();
      } catch (RuntimeException e) {
        System.err.println("stopping " + process.name() + " failed: " + e);
      }
    }, "stop-" + process.name())).toList();
    stopping.forEach(Thread::start);
    for (Thread thread : stopping) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
