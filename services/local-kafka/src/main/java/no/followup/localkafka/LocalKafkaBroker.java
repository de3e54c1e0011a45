package no.followup.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official Apache Kafka broker, in KRaft combined mode (broker + controller, one node), started
 * as a child JVM from the Kafka jars on this process's class path: {@code kafka.tools.StorageTool
 * format} once, then {@code kafka.Kafka server.properties}, exactly what {@code kafka-storage.sh}
 * and {@code kafka-server-start.sh} do. A child process rather than an in-process server keeps the
 * broker's heap and threads apart from the caller and lets a test kill it like a real outage.
 *
 * <p>The child never outlives this process: it runs Kafka through {@link KafkaUntilParentExits},
 * which halts it when this process is gone, even after kill -9. A port that another process already
 * listens on (an earlier broker left running, say) stops the start with an error naming the port,
 * rather than leaving this broker to fail to bind while that other one answers in its place.
 *
 * <p>Listens on 127.0.0.1 only. Topics are never auto-created: callers create them explicitly.
 * Without {@link Sasl} every client may do anything on a PLAINTEXT listener (the local stack, most
 * tests); with it the broker authenticates and authorizes every request as production does.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

  /**
   * How a broker is started. Port 0 means "pick a free port". With {@code killWithJvm} a JVM
   * shutdown hook kills the broker as soon as this JVM starts shutting down when its owner did not
   * stop it (a test JVM that ends early); an owner that stops its parts in order on shutdown (the
   * local stack) turns it off, because hooks run concurrently and the broker would vanish under
   * services that are still closing. Either way the broker halts once this process is gone.
   * {@code sasl} is null for a broker without authentication.
   */
  public record Options(Path dataDir, int port, int controllerPort, String heap, Duration startupTimeout, boolean killWithJvm,
      Sasl sasl) {

    /** A broker without authentication: one PLAINTEXT listener on which every client may do anything. */
    public Options(Path dataDir, int port, int controllerPort, String heap, Duration startupTimeout, boolean killWithJvm) {
      this(dataDir, port, controllerPort, heap, startupTimeout, killWithJvm, null);
    }

    public static Options ephemeral(Path dataDir) {
      return new Options(dataDir, 0, 0, "512m", Duration.ofSeconds(90), true);
    }

    public Options withPorts(int port, int controllerPort) {
      return new Options(dataDir, port, controllerPort, heap, startupTimeout, killWithJvm, sasl);
    }

    public Options withSasl(Sasl value) {
      return new Options(dataDir, port, controllerPort, heap, startupTimeout, killWithJvm, value);
    }
  }

  /**
   * Authentication and authorization as in production. Clients authenticate with SCRAM-SHA-512 on
   * the client listener ({@link #bootstrapServers()}), and {@code StandardAuthorizer} allows a
   * request only when an ACL grants it ({@code allow.everyone.if.no.acl.found=false}). The admin, a
   * super user and the broker's own identity, authenticates with PLAIN on a separate internal
   * listener ({@link #adminClientConfig()}): SCRAM users live in the cluster's metadata, so none can
   * exist before the admin creates them, and the controller cannot use SCRAM at all.
   *
   * @param adminUser and {@code adminPassword}: letters, digits, '.', '_' and '-' only, so they
   *     need no quoting in the JAAS configuration
   */
  public record Sasl(String adminUser, String adminPassword) {
    private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9._-]+");

    public Sasl {
      if (adminUser == null || !PLAIN_TOKEN.matcher(adminUser).matches()
          || adminPassword == null || !PLAIN_TOKEN.matcher(adminPassword).matches()) {
        throw new IllegalArgumentException("admin user and password must be non-empty and of letters, digits, '.', '_' and '-'");
      }
    }

    String principal() {
      return "User:" + adminUser;
    }

    /** The admin's login, as a client. */
    String clientJaasConfig() {
      return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + adminUser
          + "\" password=\"" + adminPassword + "\";";
    }

    /** The JAAS entry of the PLAIN listeners: the admin is their one user, and the broker logs in as it. */
    String listenerJaasConfig() {
      return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + adminUser
          + "\" password=\"" + adminPassword + "\" user_" + adminUser + "=\"" + adminPassword + "\";";
    }

    @Override
    public String toString() {
      return "Sasl[adminUser=" + adminUser + ", adminPassword=(hidden)]";
    }
  }

  private final Options options;
  private final int port;
  private final int controllerPort;
  /** The admin's listener when {@link Sasl} is on, else unused. */
  private final int internalPort;
  private final Path configFile;
  private final Path logFile;
  private volatile Process process;
  private final Thread shutdownHook;

  private LocalKafkaBroker(Options options) {
    this.options = options;
    Iterator<Integer> spare = FreePorts.take(3, List.of(options.port(), options.controllerPort())).iterator();
    this.port = options.port() == 0 ? spare.next() : options.port();
    this.controllerPort = options.controllerPort() == 0 ? spare.next() : options.controllerPort();
    this.internalPort = options.sasl() == null ? 0 : spare.next();
    this.configFile = options.dataDir().resolve("server.properties");
    this.logFile = options.dataDir().resolve("broker.log");
    // Kills the broker as this JVM begins to shut down, not only once the child finds its owner gone.
    this.shutdownHook = new Thread(this::destroyNow, "local-kafka-broker-shutdown");
  }

  /**
   * Starts a broker with its data in {@code dataDir} (kept across restarts) and waits until it serves
   * requests.
   *
   * @throws IllegalStateException when the listener or controller port is already in use (the
   *     message names it), or the broker exits or is not ready within the startup timeout; no child
   *     process is left running then
   */
  public static LocalKafkaBroker start(Options options) {
    LocalKafkaBroker broker = new LocalKafkaBroker(options);
    if (options.killWithJvm()) {
      Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
    }
    try {
      broker.startProcess();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** Where clients connect: with {@link Sasl}, authenticating with SCRAM-SHA-512 over SASL_PLAINTEXT. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /**
   * The client settings of a super user: with {@link Sasl} the admin on the internal listener, else
   * just the bootstrap servers. For provisioning topics, users and ACLs.
   */
  public Map<String, Object> adminClientConfig() {
    Sasl sasl = options.sasl();
    if (sasl == null) {
      return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort,
        AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
        SaslConfigs.SASL_MECHANISM, "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG, sasl.clientJaasConfig());
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return options.dataDir();
  }

  /** The process id of the broker child, the JVM that runs Kafka. */
  public long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("broker is not running");
    }
    return p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Starts the broker again after {@link #stop()}, on the same port and with the same data. */
  public synchronized void restart() {
    if (isRunning()) {
      throw new IllegalStateException("broker is already running");
    }
    startProcess();
  }

  /** Stops the broker gracefully (SIGTERM, controlled shutdown), forcibly after 30 s. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    // Through the handle, not Process.destroy(): that would also close the child's stdin, which the
    // child takes for its owner's death and halts without a controlled shutdown.
    p.toHandle().destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        log.warn("Kafka broker did not stop within 30 s; killing it");
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    process = null;
  }

  /**
   * Kills the broker with SIGKILL, as a crashing machine would: no controlled shutdown, nothing
   * flushed. {@link #restart()} brings it back on the same ports and data (Kafka recovers its log).
   * For failure tests.
   */
  public synchronized void killHard() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.toHandle().destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
    if (!options.killWithJvm()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing to remove
    }
  }

  private void destroyNow() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private synchronized void startProcess() {
    ensureFree(port, "listener");
    ensureFree(controllerPort, "controller");
    if (options.sasl() != null) {
      ensureFree(internalPort, "internal");
    }
    Process child;
    String clusterId;
    try {
      Files.createDirectories(options.dataDir());
      writeConfig();
      if (!Files.exists(metaProperties())) {
        format();
      }
      clusterId = formattedClusterId();
      List<String> command = ignoringInterrupt(javaCommand(KafkaUntilParentExits.class.getName(), configFile.toString()));
      log.info("Starting Kafka broker on {} (data in {}, log in {})", bootstrapServers(), options.dataDir(), logFile);
      // stdin stays a pipe from this process: the child halts when it reads end-of-file there
      child = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the Kafka broker", e);
    }
    process = child;
    try {
      awaitReady(child, clusterId);
    } catch (RuntimeException e) {
      child.destroyForcibly();
      awaitExit(child);
      process = null;
      throw e;
    }
  }

  /**
   * Fails, naming the port, when something already listens on it. Kafka itself would only fail to
   * bind and exit, and a broker already answering there (one left running by an earlier start)
   * would pass for this one.
   */
  private static void ensureFree(int port, String role) {
    try (ServerSocket probe = new ServerSocket()) {
      // as Kafka binds: connections of an earlier broker lingering in TIME_WAIT do not count
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the Kafka broker: its " + role + " port 127.0.0.1:" + port
          + " is taken (" + e.getMessage() + "). Another process holds it, perhaps a Kafka broker left running by an"
          + " earlier start; stop that process or choose another port.", e);
    }
  }

  private Path metaProperties() {
    return options.dataDir().resolve("kafka-logs").resolve("meta.properties");
  }

  private String formattedClusterId() throws IOException {
    Properties meta = new Properties();
    try (var in = Files.newBufferedReader(metaProperties())) {
      meta.load(in);
    }
    String clusterId = meta.getProperty("cluster.id");
    if (clusterId == null) {
      throw new IllegalStateException(metaProperties() + " names no cluster.id");
    }
    return clusterId;
  }

  private void writeConfig() throws IOException {
    Properties p = new Properties();
    p.putAll(options.sasl() == null ? plaintextListeners() : saslListeners(options.sasl()));
    p.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("log.dirs", options.dataDir().resolve("kafka-logs").toString()),
        // Topics are created explicitly, with their settings, by the services' topic provisioning.
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("num.partitions", "1"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "4"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "4"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("num.network.threads", "2"),
        Map.entry("num.io.threads", "2"),
        Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024))));
    try (var out = Files.newBufferedWriter(configFile)) {
      p.store(out, "generated by LocalKafkaBroker");
    }
    Path logback = options.dataDir().resolve("broker-logback.xml");
    Files.writeString(logback, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601} %-5level [%logger{20}] %msg%n</pattern></encoder>
          </appender>
          <logger name="kafka" level="INFO"/>
          <logger name="org.apache.kafka" level="WARN"/>
          <logger name="state.change.logger" level="WARN"/>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
  }

  private Map<String, String> plaintextListeners() {
    return Map.of(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners", "PLAINTEXT://127.0.0.1:" + port,
        "inter.broker.listener.name", "PLAINTEXT",
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
  }

  /** See {@link Sasl}: SCRAM for clients, PLAIN for the admin and the broker itself, ACLs for everyone else. */
  private Map<String, String> saslListeners(Sasl sasl) {
    return Map.ofEntries(
        Map.entry("listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
            + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort),
        Map.entry("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"),
        Map.entry("inter.broker.listener.name", "INTERNAL"),
        Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
        Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
        Map.entry("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512"),
        Map.entry("listener.name.client.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
        Map.entry("listener.name.internal.sasl.enabled.mechanisms", "PLAIN"),
        Map.entry("listener.name.internal.plain.sasl.jaas.config", sasl.listenerJaasConfig()),
        Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
        Map.entry("listener.name.controller.plain.sasl.jaas.config", sasl.listenerJaasConfig()),
        Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        Map.entry("super.users", sasl.principal()),
        Map.entry("allow.everyone.if.no.acl.found", "false"));
  }

  private void format() throws IOException {
    String clusterId = Uuid.randomUuid().toString();
    List<String> command = javaCommand("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", configFile.toString());
    Process format = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting Kafka storage timed out; see " + logFile);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      format.destroyForcibly();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("formatting Kafka storage failed (exit " + format.exitValue() + "): " + tail(logFile));
    }
  }

  private List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.heap());
    command.add("-Xms64m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    command.add("-Dlogback.configurationFile=" + options.dataDir().resolve("broker-logback.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Ctrl-C in a terminal signals the whole foreground process group, this broker included; it must
   * stop only when its owner says so (SIGTERM from {@link #stop()}), after the clients using it. A
   * JVM started with SIGINT ignored keeps it ignored, so the command runs behind {@code trap '' INT}.
   */
  private static List<String> ignoringInterrupt(List<String> command) {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Waits until the broker on our port answers with the cluster id formatted into our data dir, and
   * our child is still alive after that answer. Both ports were free just before the child started,
   * so only a process that took one since could answer in its place: a broker with other data
   * answers with another cluster id, and one on our data dir holds Kafka's lock on it, which makes
   * our child exit. Fails as soon as the child exits, rather than after the startup timeout.
   */
  private void awaitReady(Process child, String clusterId) {
    long deadline = System.nanoTime() + options.startupTimeout().toNanos();
    Map<String, Object> adminConfig = new HashMap<>(adminClientConfig());
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    try (Admin admin = Admin.create(adminConfig)) {
      while (true) {
        if (answersAs(clusterId, admin, child)) {
          log.info("Kafka broker ready on {} (pid {})", bootstrapServers(), child.pid());
          return;
        }
        if (!child.isAlive()) {
          throw new IllegalStateException("Kafka broker exited with " + child.exitValue() + " while starting: " + tail(logFile));
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException("Kafka broker not ready within " + options.startupTimeout() + ": " + tail(logFile));
        }
        pauseUnlessExited(child);
      }
    }
  }

  /** One readiness probe, cut short when the child exits meanwhile. */
  private static boolean answersAs(String clusterId, Admin admin, Process child) {
    DescribeClusterResult cluster = admin.describeCluster();
    CompletableFuture<String> answered = cluster.clusterId().toCompletionStage().toCompletableFuture();
    try {
      CompletableFuture.anyOf(answered, child.onExit()).get(10, TimeUnit.SECONDS);
      return answered.isDone() && clusterId.equals(answered.get()) && !cluster.nodes().get().isEmpty() && child.isAlive();
    } catch (ExecutionException | TimeoutException notYet) {
      return false; // not accepting requests yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  /** The pause between readiness probes; it ends early when the child exits. */
  private static void pauseUnlessExited(Process child) {
    try {
      child.waitFor(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  private static void awaitExit(Process child) {
    try {
      child.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
