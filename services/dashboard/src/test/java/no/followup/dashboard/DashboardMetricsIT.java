package no.followup.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.metrics.PrometheusText;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's {@code /metrics}: tasks open now, dead letters, its Kafka clients, HTTP and the JVM. */
class DashboardMetricsIT {

  private static final Instant AT = Instant.parse("2026-11-02T09:00:00Z");

  @TempDir Path dir;

  @Test
  void metricsShowOpenTasksDeadLettersTheConsumerAndHttp() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
         LocalSchemaRegistry registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
         Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      new TopicProvisioner(1, (short) 1).ensure(admin, Topics.ALL);
      runDashboard(broker, registry);
    }
  }

  private void runDashboard(LocalKafkaBroker broker, LocalSchemaRegistry registry) throws Exception {
    try (DashboardApp dashboard = DashboardApp.start(DashboardConfig.defaults(broker.bootstrapServers(), registry.url(),
                 "http://127.0.0.1:9", dir.resolve("dashboard"))
             .withHttp("127.0.0.1", 0).withTopics(true, 1, (short) 1)
             .withSignIn(DashboardSignIn.local(LocalToken.generate(), false)));
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
             "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer());
         SpecificAvroSerializer<CoordinatorTask> tasks = new SpecificAvroSerializer<>()) {
      tasks.configure(Map.of("schema.registry.url", registry.url()), false);
      await().atMost(Duration.ofSeconds(60)).until(dashboard::ready);
      String base = "http://127.0.0.1:" + dashboard.port();

      for (TaskState state : new TaskState[] {TaskState.OPEN, TaskState.OPEN, TaskState.DONE}) {
        UUID id = UUID.randomUUID();
        CoordinatorTask task = Fixtures.task(id, TaskKind.REACH_OUT_AFTER_MISS, "p-metrics-" + id.toString().substring(0, 8), "0403",
            "s-12", "m-1", AT, AT, state);
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), id.toString().getBytes(StandardCharsets.UTF_8),
            tasks.serialize(Topics.TASKS.name(), task))).get();
      }
      producer.send(new ProducerRecord<>(Topics.TASKS.name(), "poison".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0})).get();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String metrics = get(base + "/metrics");
        assertThat(PrometheusText.value(metrics, "followup_tasks_open", "service=\"dashboard\"")).hasValue(2.0);
        // the poison is not a registry outage: nothing is held back for the registry
        assertThat(PrometheusText.value(metrics, "followup_dashboard_registry_unavailable", "service=\"dashboard\"")).hasValue(0.0);
        assertThat(PrometheusText.value(metrics, "followup_dead_letters_total", "source_topic=\"" + Topics.TASKS.name() + "\""))
            .hasValue(1.0);
        assertThat(PrometheusText.value(metrics, "followup_dead_letters_total",
            "source_topic=\"" + Topics.PARTICIPANT_STATUS.name() + "\"")).hasValue(0.0);
        assertThat(metrics)
            .contains("kafka_consumer_fetch_manager_records_lag_max{")
            .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",service=\"dashboard\",status=\"200\","
                + "uri=\"/metrics\"}")
            .contains("jvm_memory_used_bytes{")
            .doesNotContain("p-metrics-");
      });
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
