package no.followup.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker belongs to the process that started it: it dies with it and never takes over another's port. */
class LocalKafkaBrokerOwnershipIT {

  @TempDir Path dataDir;

  @Test
  void theBrokerHaltsAndFreesItsPortsWhenItsOwnerIsKilled() throws Exception {
    List<Integer> ports = FreePorts.take(2, List.of());
    int port = ports.get(0);
    int controllerPort = ports.get(1);
    Process owner = new ProcessBuilder(
        javaBin(), "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        BrokerOwnerMain.class.getName(), dataDir.toString(), String.valueOf(port), String.valueOf(controllerPort))
        .redirectErrorStream(true)
        .start();
    ProcessHandle broker = null;
    try {
      long brokerPid = CompletableFuture.supplyAsync(() -> brokerPidPrintedBy(owner)).get(3, TimeUnit.MINUTES);
      broker = ProcessHandle.of(brokerPid).orElseThrow();
      assertThat(broker.parent().map(ProcessHandle::pid)).contains(owner.pid());
      assertThat(isFree(port)).as("the broker listens while its owner lives").isFalse();

      owner.destroyForcibly(); // SIGKILL: no shutdown hook and no finally block runs in the owner
      owner.onExit().get(10, TimeUnit.SECONDS);

      assertThat(broker.onExit()).as("the broker after its owner was killed").succeedsWithin(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> isFree(port) && isFree(controllerPort));
    } finally {
      owner.destroyForcibly();
      if (broker != null) {
        broker.destroyForcibly();
      }
    }
  }

  @Test
  void aBrokerOnTheListenerPortOfAnotherFailsAtOnceNamingThePort() throws Exception {
    try (LocalKafkaBroker first = LocalKafkaBroker.start(smallBroker(dataDir.resolve("first")))) {
      Set<Long> childrenBefore = childPids();

      assertThatThrownBy(() -> LocalKafkaBroker.start(smallBroker(dataDir.resolve("second")).withPorts(first.port(), FreePorts.take())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("listener port 127.0.0.1:" + first.port() + " is taken")
          .hasMessageContaining("perhaps a Kafka broker left running");
      assertThat(childPids()).as("no broker child started for the second").isEqualTo(childrenBefore);
      assertThat(first.isRunning()).isTrue();
    }
  }

  @Test
  void aTakenControllerPortIsNamedToo() throws Exception {
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      Set<Long> childrenBefore = childPids();

      assertThatThrownBy(() -> LocalKafkaBroker.start(smallBroker(dataDir).withPorts(FreePorts.take(), holder.getLocalPort())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("controller port 127.0.0.1:" + holder.getLocalPort() + " is taken");
      assertThat(childPids()).isEqualTo(childrenBefore);
    }
  }

  @Test
  @Timeout(120) // far below the startup timeout: only a start that notices the exit passes
  void aBrokerThatExitsWhileStartingFailsTheStartWithoutWaitingOutTheTimeout() throws Exception {
    // storage formatted for node 2, while the broker is node 1: Kafka refuses it and exits
    Path logDir = Files.createDirectories(dataDir.resolve("kafka-logs"));
    Files.writeString(logDir.resolve("meta.properties"), String.join("\n",
        "version=1", "cluster.id=" + Uuid.randomUuid(), "node.id=2", "directory.id=" + Uuid.randomUuid(), ""));
    Set<Long> childrenBefore = childPids();
    LocalKafkaBroker.Options patient = new LocalKafkaBroker.Options(dataDir, 0, 0, "256m", Duration.ofMinutes(10), true);

    assertThatThrownBy(() -> LocalKafkaBroker.start(patient))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Kafka broker exited with");
    assertThat(childPids()).as("no broker child left behind").isEqualTo(childrenBefore);
  }

  private static LocalKafkaBroker.Options smallBroker(Path dataDir) {
    return new LocalKafkaBroker.Options(dataDir, 0, 0, "256m", Duration.ofSeconds(90), true);
  }

  private static long brokerPidPrintedBy(Process owner) {
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith(BrokerOwnerMain.BROKER_PID_PREFIX)) {
          return Long.parseLong(line.substring(BrokerOwnerMain.BROKER_PID_PREFIX.length()));
        }
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("the owner ended without starting a broker:\n" + output);
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }


  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
