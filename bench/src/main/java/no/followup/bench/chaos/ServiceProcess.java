package no.followup.bench.chaos;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import no.followup.bench.ChildProcesses;
import no.followup.localkafka.FreePorts;

/**
 * One service of the pipeline as its own JVM, started from its main class on this JVM's class path,
 * so that it can be killed with SIGKILL ({@link #killHard()}) as a crashing machine would, and
 * started again with the same settings, port and state directory.
 */
final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String mainClass;
  private final List<String> arguments;
  private final Map<String, String> environment;
  private final int httpPort;
  private final Path logFile;
  private Process process;

  /**
   * @param arguments the main's options; {@code --http-port} is added
   * @param environment added to this JVM's environment (e.g. the sign-in settings)
   */
  ServiceProcess(String name, String mainClass, List<String> arguments, Map<String, String> environment, Path logFile) {
    this.name = name;
    this.mainClass = mainClass;
    this.environment = Map.copyOf(environment);
    this.httpPort = FreePorts.take();
    this.arguments = new ArrayList<>(arguments);
    this.arguments.add("--http-port=" + httpPort);
    this.logFile = logFile;
  }

  String name() {
    return name;
  }

  int httpPort() {
    return httpPort;
  }

  synchronized void start() {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", ChildProcesses.classPath(), mainClass));
    command.addAll(arguments);
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  /** Waits until {@code /health/ready} answers 200; returns how long that took. */
  Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException(name + " exited while starting (exit " + (process == null ? "-" : process.exitValue())
            + "); see " + logFile);
      }
      if (ready()) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      pause(Duration.ofMillis(200));
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
  }

  boolean ready() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  synchronized void killHard() {
    stop(true);
  }

  private void stop(boolean forcibly) {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      process.onExit().get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    stop(false);
  }





  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
