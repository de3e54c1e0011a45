package no.followup.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.crypto.MasterKey;
import no.followup.common.io.BoundedText;
import no.followup.common.auth.SignIn;
import no.followup.common.cli.SignInOptions;
import no.followup.dashboard.DashboardApp;
import no.followup.dashboard.DashboardConfig;
import no.followup.dashboard.DashboardSignIn;
import no.followup.delivery.DeliveryApp;
import no.followup.delivery.DeliveryConfig;
import no.followup.demo.DemoContacts;
import no.followup.events.FollowUpEvent;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.RegistryClientConfig;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.registry.server.RegistryUser;
import no.followup.registry.tools.RegisterSchemasCommand;
import no.followup.reminders.RemindersApp;
import no.followup.reminders.RemindersConfig;
import no.followup.status.StatusApp;
import no.followup.status.StatusConfig;
import no.followup.demo.DemoScenario;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The embedded default: a Kafka broker, the local schema registry and every service of the pipeline
 * in this process (the broker as a child process), with their data under one directory. Parts start
 * in dependency order and stop in reverse order.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
  /** The demo scenario is deterministic by seed: the same data on every fresh start. */
  static final long DEMO_SEED = 2020L;
  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  /** The user the local registry lets in; its password is the stack's token. */
  static final String REGISTRY_USER = "followup";

  /**
   * How to run the stack.
   *
   * @param clock the wall clock of every service and of the demo scenario: the system clock, or one
   *     shifted to another hour of the day (see {@link #clockAt}) to try what happens then
   */
  public record Settings(Path dataDir, boolean fresh, boolean demo, int kafkaPort, int controllerPort, int partitions,
      int registryPort, int intakePort, int statusPort, int remindersPort, int deliveryPort, int dashboardPort, Clock clock) {

    public static Settings defaults(Path dataDir) {
      return new Settings(dataDir, false, true, 9092, 9093, 3, 8081, 8080, 8082, 8083, 8084, 8088, Clock.systemUTC());
    }

    /** Every port 0 (any free port), the demo on, for tests that start a whole stack beside others. */
    public static Settings anyFreePorts(Path dataDir, Clock clock) {
      return new Settings(dataDir, false, true, 0, 0, 3, 0, 0, 0, 0, 0, 0, clock);
    }
  }

  /**
   * A clock that reads {@code localTime} in Oslo now (its latest occurrence: today, or yesterday if
   * that is still ahead) and then ticks on with the system clock. Quiet hours, "meetings today" and
   * the demo's upcoming meetings all depend on the hour, so this is how to see the stack (or test
   * it) at, say, midday while it is night. Only ever moved back: the broker refuses records stamped
   * more than an hour ahead of its own clock ({@code message.timestamp.after.max.ms}).
   */
  public static Clock clockAt(LocalTime localTime, Clock system) {
    Instant now = system.instant();
    Instant then = LocalDate.ofInstant(now, OSLO).atTime(localTime).atZone(OSLO).toInstant();
    if (then.isAfter(now)) {
      then = LocalDate.ofInstant(now, OSLO).minusDays(1).atTime(localTime).atZone(OSLO).toInstant();
    }
    return Clock.offset(system, Duration.between(now, then));
  }

  private record Part(String name, String address, AutoCloseable handle) {}

  private final Settings settings;
  private final Deque<Part> parts = new ArrayDeque<>();
  /**
   * The stack's one credential, new at every start: the intake, the status API and the dashboard
   * all take it (local mode, set here on purpose), and the dashboard uses it at the intake.
   */
  private final LocalToken token = LocalToken.generate();
  private String bootstrapServers;
  /** The registry's address with the user and the token in it: printed for the person who started the stack, never logged. */
  private String schemaRegistryUrl;
  private String intakeUrl;
  private String statusUrl;
  private String dashboardUrl;
  private int demoEventsPublished;

  private LocalStack(Settings settings) {
    this.settings = settings;
  }

  public static LocalStack start(Settings settings) {
    LocalStack stack = new LocalStack(settings);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /**
   * Health payloads are sealed in the local stack too: with the master key of {@code file}, made at
   * the first start (readable by its owner only), unless {@code FOLLOWUP_MASTER_KEY} is set. The
   * services of this process read it from a system property, which {@link #close} clears.
   */
  private void useMasterKey(Path file) {
    if (MasterKey.fromConfiguration().isPresent()) {
      return;
    }
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MasterKey.generate());
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      }
      System.setProperty(MasterKey.PROPERTY, BoundedText.read(file, MasterKey.MAX_FILE_BYTES, "the master key file " + file));
      parts.push(new Part("Master key of the data keys", file.toString(), () -> System.clearProperty(MasterKey.PROPERTY)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or create the master key " + file, e);
    }
  }

  private void startAll() {
    Path dataDir = settings.dataDir();
    if (settings.fresh()) {
      deleteRecursively(dataDir);
    }

    LocalKafkaBroker broker = LocalKafkaBroker.start(new LocalKafkaBroker.Options(
        dataDir.resolve("kafka"), settings.kafkaPort(), settings.controllerPort(), "512m", Duration.ofSeconds(120),
        false)); // stopped by close(), after every service that uses it
    parts.push(new Part("Kafka broker (KRaft)", broker.bootstrapServers(), broker));
    String bootstrap = broker.bootstrapServers();
    bootstrapServers = bootstrap;

    boolean eventsWasEmpty;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicProvisioner(settings.partitions(), (short) 1).ensure(admin, Topics.ALL);
      eventsWasEmpty = isEmpty(admin, Topics.EVENTS.name());
    }

    // the registry lets in one user, with the stack's token as its password; every service gets
    // the address with those credentials in it (basic auth), the printed address has none
    LocalSchemaRegistry registry = LocalSchemaRegistry.start(LocalSchemaRegistry.Options.of(bootstrap, settings.registryPort())
        .withUser(new RegistryUser(REGISTRY_USER, token.value())));
    parts.push(new Part("Schema registry (Confluent REST API)", registry.url() + "  (user " + REGISTRY_USER
        + ", the local token as password)", registry));
    schemaRegistryUrl = registry.urlForClients();
    String registryUrl = schemaRegistryUrl;
    registerSchemas(registryUrl);
    useMasterKey(dataDir.resolve("master-key.json"));

    IntakeApp intake = IntakeApp.start(IntakeConfig.defaults(bootstrap, registryUrl).withPort(settings.intakePort())
        .withClock(settings.clock()).withSignIn(SignIn.local(token)));
    intakeUrl = "http://127.0.0.1:" + intake.port();
    parts.push(new Part("Intake API", intakeUrl + "  (OpenAPI: " + intakeUrl + "/openapi.json)", intake));

    StatusApp status = StatusApp.start(StatusConfig.defaults(bootstrap, registryUrl)
        .withStateDir(dataDir.resolve("status"))
        .withHttp("127.0.0.1", settings.statusPort())
        .withSignIn(SignIn.local(token)), settings.clock());
    statusUrl = "http://127.0.0.1:" + status.port();
    parts.push(new Part("Status (participant status, tallies)", statusUrl, status));

    RemindersApp reminders = RemindersApp.start(RemindersConfig.defaults(bootstrap, registryUrl, dataDir.resolve("reminders"))
        .withHttpPort(settings.remindersPort())
        .withClock(settings.clock()));
    parts.push(new Part("Reminders (timers)", "http://127.0.0.1:" + reminders.port() + "/health/ready", reminders));

    List<FollowUpEvent> demoEvents = settings.demo() && eventsWasEmpty ? DemoScenario.generate(DEMO_SEED, settings.clock().instant()) : List.of();
    DeliveryConfig deliveryConfig = DeliveryConfig.defaults(bootstrap, registryUrl, dataDir.resolve("delivery"))
        .withHttpPort(settings.deliveryPort())
        .withClock(settings.clock());
    // made-up phone numbers for the demo participants, so reminders are "sent" to the local outbox
    DemoContacts.writeIfAbsent(deliveryConfig.contactsFile(),
        demoEvents.stream().filter(e -> !(e.getPayload() instanceof no.followup.events.CohortDefined))
            .map(FollowUpEvent::getParticipantId).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    DeliveryApp delivery = DeliveryApp.start(deliveryConfig);
    parts.push(new Part("Delivery (SMS outbox, tasks, receipts)",
        "http://127.0.0.1:" + delivery.port() + "/health/ready  (SMS outbox: " + deliveryConfig.outboxFile() + ")", delivery));

    DashboardApp dashboard = DashboardApp.start(DashboardConfig.defaults(bootstrap, registryUrl, intakeUrl, dataDir.resolve("dashboard"))
        .withHttp("127.0.0.1", settings.dashboardPort())
        .withStatus(new DashboardConfig.StatusService(statusUrl, ""))
        .withClock(settings.clock())
        // plain http on this machine only: a Secure cookie would not be sent back
        .withSignIn(DashboardSignIn.local(token, false)));
    dashboardUrl = "http://127.0.0.1:" + dashboard.port();
    parts.push(new Part("Dashboard", dashboardUrl + "/", dashboard));

    if (!demoEvents.isEmpty()) {
      demoEventsPublished = publishDemo(bootstrap, registryUrl, demoEvents);
    }
  }

  /** The same deploy step production runs before services start: check compatibility, then register. */
  private static void registerSchemas(String registryUrl) {
    int exit = new CommandLine(new RegisterSchemasCommand()).execute("--registry-url", registryUrl, "--from-classpath");
    if (exit != 0) {
      throw new IllegalStateException("registering the schemas failed (exit " + exit + ")");
    }
  }

  private static int publishDemo(String bootstrap, String registryUrl, List<FollowUpEvent> events) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "followup-demo",
        RegistryClientConfig.URL, registryUrl);
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      for (FollowUpEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getParticipantId(), event));
      }
      producer.flush();
    }
    log.info("Published the demo scenario: {} events", events.size());
    return events.size();
  }

  private static boolean isEmpty(Admin admin, String topic) {
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream().allMatch(info -> info.offset() == 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not read the offsets of " + topic, e);
    }
  }

  /** The schema registry's address without credentials. */
  public String registryUrl() {
    return schemaRegistryUrl.replaceFirst("//[^@]*@", "//");
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The schema registry's address with the user and the token in it, for clients: never log it. */
  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public String intakeUrl() {
    return intakeUrl;
  }

  public String statusUrl() {
    return statusUrl;
  }

  /** The stack's local token, for tests that call its doors. */
  public LocalToken token() {
    return token;
  }

  public String dashboardUrl() {
    return dashboardUrl;
  }

  public int demoEventsPublished() {
    return demoEventsPublished;
  }

  /** What a person needs to use the running stack. */
  public String describe() {
    StringBuilder out = new StringBuilder("\nfollowup is running. Ctrl-C stops everything.\n\n");
    parts.descendingIterator().forEachRemaining(part -> out.append(String.format("  %-40s %s%n", part.name(), part.address())));
    out.append("\n  Data directory                           ").append(settings.dataDir()).append('\n');
    if (demoEventsPublished > 0) {
      out.append("  Demo scenario                            ").append(demoEventsPublished).append(" events published\n");
    }
    // printed for the person who started the stack, never logged
    out.append("""

          Local token (the dashboard's /login, the intake, the status API, the schema registry, the followup CLI):
            export %s=%s
            export SCHEMA_REGISTRY_URL=%s

          Try:  curl -s -H "Authorization: Bearer $%s" %s/api/v1/cohorts/optimist/tally
        """.formatted(SignInOptions.TOKEN_VARIABLE, token.value(), schemaRegistryUrl, SignInOptions.TOKEN_VARIABLE, statusUrl));
    return out.toString();
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      Part part = parts.pop();
      try {
        part.handle().close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", part.name(), e.toString());
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
