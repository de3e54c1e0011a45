package no.followup.status;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.audit.AuditLog;
import no.followup.common.crypto.KafkaDataKeys;
import no.followup.common.crypto.SealedEvents;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.PromptCommits;
import no.followup.common.streams.StreamsDefaults;
import no.followup.common.streams.StreamsRunner;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.http.ParticipantTimeline;
import no.followup.status.http.StatusHttp;
import no.followup.status.http.StatusQueries;
import no.followup.status.topology.StatusTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status application: creates its topics when missing, starts the HTTP API, then the Kafka
 * Streams topology of {@link StatusTopology} (through {@link StreamsRunner}), and returns once
 * Streams is RUNNING.
 */
public final class StatusApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusApp.class);

  /** The topics this application reads or writes (internal topics are created by Streams). */
  public static final List<Topics.TopicSpec> TOPICS =
      List.of(Topics.EVENTS, Topics.PARTICIPANT_KEYS, Topics.PARTICIPANT_STATUS, Topics.TALLIES, Topics.DEAD_LETTER);

  private final StatusHttp http;
  private final StreamsRunner runner;
  private final ServiceMetrics metrics;
  private final Optional<KafkaDataKeys> dataKeys;

  private StatusApp(StatusHttp http, StreamsRunner runner, ServiceMetrics metrics, Optional<KafkaDataKeys> dataKeys) {
    this.http = http;
    this.runner = runner;
    this.metrics = metrics;
    this.dataKeys = dataKeys;
  }

  public static StatusApp start(StatusConfig cfg) {
    return start(cfg, Clock.systemUTC());
  }

  /** As {@link #start(StatusConfig)}, with the clock the 30-day windows and "days since" use. */
  public static StatusApp start(StatusConfig cfg, Clock clock) {
    provisionTopics(cfg);

    StatusHttp.QueriesHolder holder = new StatusHttp.QueriesHolder();
    ServiceMetrics metrics = ServiceMetrics.create("status");
    metrics.countDeadLettersOf(List.of(Topics.EVENTS.name()));
    StatusHttp http;
    AuditLog audit = null;
    try {
      audit = new AuditLog(cfg.auditLog(), clock);
      http = StatusHttp.start(cfg.httpHost(), cfg.httpPort(), holder, clock, cfg.signIn().authenticator(), metrics, audit);
    } catch (RuntimeException e) {
      if (audit != null) {
        audit.close();
      }
      metrics.close();
      throw e;
    }
    Optional<KafkaDataKeys> dataKeys = Optional.empty();
    try {
      Map<String, Object> serdeConfig = new java.util.HashMap<>(Map.of("schema.registry.url", cfg.schemaRegistryUrl()));
      dataKeys = SealedEvents.enableUnsealing(cfg.kafka(), serdeConfig);
      Topology topology = StatusTopology.build(
          new StatusTopology.Options(cfg.zone(), cfg.tallyRefreshInterval(), clock), serdeConfig);
      HostInfo self = new HostInfo(cfg.httpHost(), http.port());
      Properties props = StreamsDefaults.builder(cfg.applicationId(), cfg.kafka())
          .stateDir(cfg.stateDir())
          .commitInterval(cfg.commitInterval())
          .streamThreads(cfg.streamThreads())
          .stateStoreCacheBytes(StatusTopology.RECORD_CACHE_BYTES)
          .replicationFactor(cfg.replicationFactor())
          .instanceId(cfg.instanceId())
          .schemaRegistryUrl(cfg.schemaRegistryUrl())
          .with(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port())
          .with(PromptCommits.STREAMS_CONFIG)
          .metrics(metrics)
          .build();
      StreamsRunner runner = StreamsRunner.create("status", topology, props, clock,
          StreamsRunner.Settings.defaults(cfg.startupTimeout()));
      metrics.bindStreams(runner.streams());
      // the stores keep events as they came (sealed) and statuses in the status topic's encoding
      Deserializer<FollowUpEvent> events = SealedEvents.keptRows(serdeConfig);
      SpecificAvroSerde<ParticipantStatus> statusSerde = new SpecificAvroSerde<>(ParticipantStatus.class);
      statusSerde.configure(serdeConfig, false);
      StatusQueries queries = new StatusQueries(runner.streams(), self, cfg.zone(), clock, events,
          statusSerde.deserializer());
      holder.setTimeline(new ParticipantTimeline(queries, events));
      holder.set(queries, runner::readiness);
      runner.start();
      log.info("Status application {} running; HTTP on {}:{}", cfg.applicationId(), cfg.httpHost(), http.port());
      return new StatusApp(http, runner, metrics, dataKeys);
    } catch (RuntimeException e) {
      http.close();
      metrics.close();
      dataKeys.ifPresent(KafkaDataKeys::close);
      throw e;
    }
  }

  private static void provisionTopics(StatusConfig cfg) {
    try (Admin admin = Admin.create(cfg.kafka().clientConfig())) {
      new TopicProvisioner(cfg.partitions(), cfg.replicationFactor()).ensure(admin, TOPICS);
    }
  }

  /** The HTTP port (useful when configured as 0). */
  public int port() {
    return http.port();
  }

  public KafkaStreams.State streamsState() {
    return runner.state();
  }

  @Override
  public void close() {
    try {
      runner.close();
    } finally {
      http.close();
      metrics.close();
      dataKeys.ifPresent(KafkaDataKeys::close);
    }
  }
}
