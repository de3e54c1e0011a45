package no.followup.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import no.followup.common.auth.LocalToken;
import no.followup.common.cli.SignInOptions;
import no.followup.localkafka.FreePorts;
import no.followup.status.StatusMain;

/**
 * A Kafka Streams application under measurement, run as its own JVM from this class path with an
 * explicit heap: its memory (RSS, read from /proc) is its own, and the status service runs exactly
 * as deployed, through its main. Every child is stopped on close, and killed if the harness exits
 * first.
 */
final class ChildJvm implements AutoCloseable {

  /** The commit interval of the status service, given to every application measured against it. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killRunning, "child-jvm-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  private final int httpPort;

  private ChildJvm(String name, Process process, Path logFile, int httpPort) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.httpPort = httpPort;
  }

  /**
   * The status service ({@link StatusMain}) with a fresh application id and state directory, its
   * HTTP API in local sign-in mode with a token nobody is told (the harness only asks for health).
   */
  static ChildJvm status(BenchBroker broker, String applicationId, String heap, int streamThreads) {
    int port = FreePorts.take();
    Map<String, String> environment = Map.of("AUTH_MODE", "LOCAL", SignInOptions.TOKEN_VARIABLE, LocalToken.generate().value());
    return start(applicationId, StatusMain.class.getName(), heap, broker.dir(), port, environment, List.of(
        "--bootstrap-servers=" + broker.bootstrapServers(),
        "--schema-registry-url=" + broker.registryUrl(),
        "--application-id=" + applicationId,
        "--instance-id=1",
        "--state-dir=" + broker.dir().resolve(applicationId + "-state"),
        "--http-port=" + port,
        "--stream-threads=" + streamThreads,
        "--commit-interval-ms=" + COMMIT_INTERVAL.toMillis()));
  }

  /** A ceiling topology ({@link CeilingTopology}) over the events topic. */
  static ChildJvm ceiling(BenchBroker broker, CeilingTopology.Kind kind, String applicationId, String heap,
      int streamThreads) {
    return start(applicationId, CeilingTopology.class.getName(), heap, broker.dir(), -1, Map.of(), List.of(
        "--kind=" + kind,
        "--bootstrap-servers=" + broker.bootstrapServers(),
        "--application-id=" + applicationId,
        "--state-dir=" + broker.dir().resolve(applicationId + "-state"),
        "--stream-threads=" + streamThreads,
        "--commit-interval-ms=" + COMMIT_INTERVAL.toMillis()));
  }

  private static ChildJvm start(String name, String mainClass, String heap, Path dir, int httpPort,
      Map<String, String> environment, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-cp", ChildProcesses.classPath(), mainClass));
    command.addAll(arguments);
    Path logFile = dir.resolve(name + ".log");
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      RUNNING.add(process);
      return new ChildJvm(name, process, logFile, httpPort);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  String name() {
    return name;
  }

  /** Throws, with the end of its log, if the process has exited. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited (status " + process.exitValue() + "); its log ends:\n" + logTail());
    }
  }

  /** The last lines of the log: the log lives in the broker's directory, which is deleted when the measurement ends. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Waits until the service's {@code /health/ready} answers 200. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      requireAlive();
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      Timing.pause(Duration.ofMillis(200));
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; its log ends:\n" + logTail());
  }

  /** Resident memory now and at its peak, from /proc/&lt;pid&gt;/status (Linux). */
  record Memory(long residentBytes, long peakResidentBytes) {}

  Memory memory() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"));
      return new Memory(kibibytes(lines, "VmRSS:") * 1024, kibibytes(lines, "VmHWM:") * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the memory of " + name, e);
    }
  }

  private static long kibibytes(List<String> statusLines, String field) {
    return statusLines.stream()
        .filter(line -> line.startsWith(field))
        .map(line -> Long.parseLong(line.substring(field.length()).replace("kB", "").trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc status"));
  }

  /** SIGTERM (the service closes and leaves its group), then SIGKILL if it takes longer than its promised 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.onExit().get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      RUNNING.remove(process);
    }
  }

  /** On harness exit: SIGKILL every child still running and wait (briefly) until they are gone. */
  private static void killRunning() {
    RUNNING.forEach(Process::destroyForcibly);
    for (Process process : RUNNING) {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }




}
