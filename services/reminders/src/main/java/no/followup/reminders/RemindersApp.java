package no.followup.reminders;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.crypto.KafkaDataKeys;
import no.followup.common.crypto.SealedEvents;
import no.followup.common.http.HealthServer;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.StreamsDefaults;
import no.followup.common.streams.StreamsRunner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reminders application: creates its topics, runs the {@link RemindersTopology} under
 * exactly-once and serves health, timer-lag and Prometheus ({@code /metrics}) endpoints.
 * {@link #start} returns once the Streams
 * application is running. Every rule reads time from {@link RemindersConfig#clock()}.
 */
public final class RemindersApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RemindersApp.class);

  private final StreamsRunner runner;
  private final HealthServer http;
  private final ServiceMetrics serviceMetrics;
  private final RemindersMetrics metrics;
  private final Optional<KafkaDataKeys> dataKeys;

  private RemindersApp(StreamsRunner runner, HealthServer http, ServiceMetrics serviceMetrics, RemindersMetrics metrics,
      Optional<KafkaDataKeys> dataKeys) {
    this.runner = runner;
    this.http = http;
    this.serviceMetrics = serviceMetrics;
    this.metrics = metrics;
    this.dataKeys = dataKeys;
  }

  public static RemindersApp start(RemindersConfig config) {
    try (Admin admin = Admin.create(config.kafka().clientConfig())) {
      new TopicProvisioner(config.topicPartitions(), config.replicationFactor())
          .ensure(admin, List.of(Topics.EVENTS, Topics.PARTICIPANT_KEYS, Topics.REMINDERS, Topics.DEAD_LETTER));
    }
    Map<String, Object> serdeConfig = new java.util.HashMap<>(Map.of(
        "schema.registry.url", config.schemaRegistryUrl(),
        "auto.register.schemas", config.autoRegisterSchemas()));
    Optional<KafkaDataKeys> dataKeys = SealedEvents.enableUnsealing(config.kafka(), serdeConfig);
    ServiceMetrics serviceMetrics = ServiceMetrics.create("reminders");
    serviceMetrics.countDeadLettersOf(List.of(Topics.EVENTS.name()));
    RemindersMetrics metrics = new RemindersMetrics(serviceMetrics.registry());
    Topology topology = RemindersTopology.build(config.rules(), config.topology(), serdeConfig, metrics);
    StreamsDefaults.Builder streamsConfig = StreamsDefaults.builder(config.applicationId(), config.kafka())
        .stateDir(config.stateDir())
        .commitInterval(config.commitInterval())
        .replicationFactor(config.replicationFactor())
        .instanceId(config.instanceId())
        .schemaRegistryUrl(config.schemaRegistryUrl())
        .metrics(serviceMetrics);
    config.streamsOverrides().forEach(streamsConfig::with);
    // the processor's wall clock (currentSystemTimeMs and wall-clock punctuation) follows config.clock()
    StreamsRunner runner = StreamsRunner.create("reminders", topology, streamsConfig.build(), config.clock(),
        StreamsRunner.Settings.defaults(config.startupTimeout()));
    serviceMetrics.bindStreams(runner.streams());
    try {
      runner.start();
    } catch (RuntimeException e) {
      serviceMetrics.close();
      dataKeys.ifPresent(KafkaDataKeys::close);
      throw e;
    }
    try {
      HealthServer http = HealthServer.start(config.httpHost(), config.httpPort(),
          () -> runner.readiness().ready(),
          Map.of("streams", () -> runner.state().name(),
              "reason", () -> Objects.requireNonNullElse(runner.readiness().reason(), "")),
          Map.of("/metrics/timer-lag", metrics::timerLagSummary), serviceMetrics);
      log.info("Reminders application running; health on port {}", http.port());
      return new RemindersApp(runner, http, serviceMetrics, metrics, dataKeys);
    } catch (RuntimeException e) {
      runner.close();
      serviceMetrics.close();
      dataKeys.ifPresent(KafkaDataKeys::close);
      throw e;
    }
  }

  public int port() {
    return http.port();
  }

  public KafkaStreams.State state() {
    return runner.state();
  }

  public RemindersMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    http.close();
    runner.close();
    serviceMetrics.close();
    dataKeys.ifPresent(KafkaDataKeys::close);
  }
}
