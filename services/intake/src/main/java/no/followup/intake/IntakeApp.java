package no.followup.intake;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.events.FollowUpEvent;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.http.IntakeApi;
import no.followup.intake.http.IntakeMetrics;
import no.followup.intake.http.OpenApiDocument;
import no.followup.common.crypto.KafkaDataKeys;
import no.followup.common.crypto.MasterKey;
import no.followup.intake.publish.EventPublisher;
import no.followup.intake.publish.KafkaEventPublisher;
import no.followup.intake.publish.SealingEventPublisher;
import no.followup.intake.publish.RecentEvents;
import no.followup.registry.RegistryClientConfig;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.serde.AvroSerdeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake service: creates the events topic if asked, starts the producers and the HTTP API.
 * {@link #start} returns once the server accepts requests; {@link #close} stops everything it started.
 */
public final class IntakeApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IntakeApp.class);
  private static final Duration READINESS_INTERVAL = Duration.ofSeconds(5);

  private final List<AutoCloseable> resources;
  private final Javalin server;

  private IntakeApp(List<AutoCloseable> resources, Javalin server) {
    this.resources = resources;
    this.server = server;
  }

  public static IntakeApp start(IntakeConfig config) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      ServiceMetrics metrics = ServiceMetrics.create("intake");
      started.add(metrics);
      Admin admin = Admin.create(config.kafka().clientConfig(Map.of(
          AdminClientConfig.CLIENT_ID_CONFIG, "followup-intake-admin",
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
          AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000)));
      started.add(admin);
      if (config.createTopics()) {
        new TopicProvisioner(config.topicPartitions(), config.replicationFactor())
            .ensure(admin, List.of(Topics.EVENTS, Topics.PARTICIPANT_KEYS));
      }

      // Registry calls share the caller's time budget: a slow registry must still end in a 503, not a hang.
      SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of(
          RegistryClientConfig.URL, config.schemaRegistryUrl(),
          RegistryClientConfig.REQUEST_TIMEOUT_MS, config.ackTimeout().toMillis() / 2,
          RegistryClientConfig.MAX_RETRIES, 1));
      warmUpSchema(registry, config.autoRegisterSchemas());

      KafkaEventPublisher kafkaPublisher = new KafkaEventPublisher(config.kafka(), registry,
          config.autoRegisterSchemas(), config.ackTimeout(), config.transactionalProducers(),
          KafkaEventPublisher.uniqueTransactionalIdPrefix());
      kafkaPublisher.bindMetrics(metrics);
      EventPublisher publisher = sealing(config, kafkaPublisher);
      started.add(publisher);
      BrokerReadiness readiness = new BrokerReadiness(admin, READINESS_INTERVAL);
      started.add(0, readiness);

      IntakeApi api = new IntakeApi(config.signIn().authenticator(), new EventJsonReader(), publisher, new RecentEvents(config.recentEventIds()),
          readiness::ready, config.clock(), config.maxBodyBytes(), config.maxBatchEvents(),
          OpenApiDocument.generate(config.maxBodyBytes(), config.maxBatchEvents(), config.clock().instant()),
          new IntakeMetrics(metrics.registry()));
      Javalin server = api.create();
      metrics.install(server);
      started.add(0, server::stop);
      server.start(config.host(), config.port());
      log.info("Intake listening on http://{}:{} (events topic {}; {} sign-in)", config.host(), server.port(),
          Topics.EVENTS.name(), config.signIn().local() ? "local token" : "OIDC");
      return new IntakeApp(started, server);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** With a master key, health payloads are sealed (crypto-shredding); without one they are written plain. */
  private static EventPublisher sealing(IntakeConfig config, EventPublisher publisher) {
    return MasterKey.fromConfiguration().<EventPublisher>map(master -> {
      KafkaDataKeys keys = KafkaDataKeys.issuer(config.kafka(), Map.of(
          AvroSerdeConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl(),
          AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, config.autoRegisterSchemas()), master, config.clock());
      log.info("Health payloads are sealed with per-participant data keys ({})", Topics.PARTICIPANT_KEYS.name());
      return new SealingEventPublisher(publisher, keys, keys);
    }).orElseGet(() -> {
      log.warn("No master key ({}): health payloads are written unsealed", MasterKey.VARIABLE);
      return publisher;
    });
  }

  /** Looks up (or registers) the event schema now, so the first request does not pay for it and a mismatch shows early. */
  private static void warmUpSchema(SchemaRegistryClient registry, boolean autoRegister) {
    String subject = AvroSerdeConfig.subject(Topics.EVENTS.name(), false);
    try {
      int id = autoRegister
          ? registry.register(subject, FollowUpEvent.getClassSchema())
          : registry.getId(subject, FollowUpEvent.getClassSchema());
      log.info("Event schema has id {} under subject {}", id, subject);
    } catch (RuntimeException e) {
      log.warn("Could not look up the event schema under {} yet ({}); events will be refused until it can",
          subject, e.getMessage());
    }
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    closeAll(resources);
    log.info("Intake stopped");
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Failed to close {}: {}", resource, e.toString());
      }
    }
  }
}
