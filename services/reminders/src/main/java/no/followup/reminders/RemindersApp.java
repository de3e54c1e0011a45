package no.followup.reminders;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.http.HealthServer;
import no.followup.common.streams.ClockTime;
import no.followup.common.streams.StreamsDefaults;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reminders application: creates its topics, runs the {@link RemindersTopology} under
 * exactly-once and serves health and timer-lag endpoints. {@link #start} returns once the Streams
 * application is running. Every rule reads time from {@link RemindersConfig#clock()}.
 */
public final class RemindersApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RemindersApp.class);

  private final KafkaStreams streams;
  private final HealthServer http;
  private final RemindersMetrics metrics;

  private RemindersApp(KafkaStreams streams, HealthServer http, RemindersMetrics metrics) {
    this.streams = streams;
    this.http = http;
    this.metrics = metrics;
  }

  public static RemindersApp start(RemindersConfig config) {
    return start(config, RemindersMetrics.inMemory());
  }

  public static RemindersApp start(RemindersConfig config, RemindersMetrics metrics) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
      new TopicProvisioner(config.topicPartitions(), config.replicationFactor())
          .ensure(admin, List.of(Topics.EVENTS, Topics.REMINDERS, Topics.DEAD_LETTER));
    }
    Map<String, Object> serdeConfig = Map.of(
        "schema.registry.url", config.schemaRegistryUrl(),
        "auto.register.schemas", config.autoRegisterSchemas());
    Topology topology = RemindersTopology.build(config.rules(), config.topology(), serdeConfig, metrics);
    StreamsDefaults.Builder streamsConfig = StreamsDefaults.builder(config.applicationId(), config.bootstrapServers())
        .stateDir(config.stateDir())
        .commitInterval(config.commitInterval())
        .replicationFactor(config.replicationFactor())
        .schemaRegistryUrl(config.schemaRegistryUrl());
    config.streamsOverrides().forEach(streamsConfig::with);
    // the processor's wall clock (currentSystemTimeMs and wall-clock punctuation) is this Time
    KafkaStreams streams = new KafkaStreams(topology, streamsConfig.build(), new ClockTime(config.clock()));
    streams.setUncaughtExceptionHandler(e -> {
      log.error("Stream thread failed ({}); replacing it", e.getClass().getName());
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((newState, oldState) -> {
      log.info("Reminders streams {} -> {}", oldState, newState);
      if (newState == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    HealthServer http = null;
    try {
      streams.start();
      if (!running.await(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("reminders application not running after " + config.startupTimeout()
            + " (state " + streams.state() + ")");
      }
      http = HealthServer.start(config.httpHost(), config.httpPort(),
          () -> streams.state() == KafkaStreams.State.RUNNING || streams.state() == KafkaStreams.State.REBALANCING,
          Map.of("streams", () -> streams.state().name()),
          Map.of("/metrics/timer-lag", metrics::timerLagSummary));
      log.info("Reminders application running; health on port {}", http.port());
      return new RemindersApp(streams, http, metrics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      streams.close(Duration.ofSeconds(30));
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      streams.close(Duration.ofSeconds(30));
      if (http != null) {
        http.close();
      }
      throw e;
    }
  }

  public int port() {
    return http.port();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public RemindersMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    http.close();
    streams.close(Duration.ofSeconds(30));
  }
}
