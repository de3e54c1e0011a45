package no.followup.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import no.followup.common.metrics.ServiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private final ServiceMetrics metrics = ServiceMetrics.create("test");

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.mapper().readTree(response.body());
  }

  @Test
  void readinessFollowsTheSupplierAndCarriesTheDetails() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer server = HealthServer.start("127.0.0.1", 0, ready::get,
        Map.of("streams", () -> ready.get() ? "RUNNING" : "REBALANCING"), Map.of(), metrics)) {
      HttpResponse<String> live = get(server, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(json(live)).isEqualTo(Json.mapper().readTree("{\"status\":\"UP\"}"));

      HttpResponse<String> notReady = get(server, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(json(notReady)).isEqualTo(Json.mapper().readTree("{\"status\":\"DOWN\",\"streams\":\"REBALANCING\"}"));

      ready.set(true);
      HttpResponse<String> isReady = get(server, "/health/ready");
      assertThat(isReady.statusCode()).isEqualTo(200);
      assertThat(json(isReady)).isEqualTo(Json.mapper().readTree("{\"status\":\"UP\",\"streams\":\"RUNNING\"}"));
    }
  }

  @Test
  void extraRoutesAnswerJsonWithIsoDatesAndErrorsAnswer500() throws Exception {
    try (HealthServer server = HealthServer.start("127.0.0.1", 0, () -> true, Map.of(), Map.of(
        "/stats", () -> Map.of("at", Instant.parse("2025-03-01T08:00:00Z")),
        "/broken", () -> {
          throw new IllegalStateException("boom");
        }), metrics)) {
      HttpResponse<String> ready = get(server, "/health/ready");
      assertThat(json(ready)).isEqualTo(Json.mapper().readTree("{\"status\":\"UP\"}"));

      HttpResponse<String> stats = get(server, "/stats");
      assertThat(stats.statusCode()).isEqualTo(200);
      assertThat(json(stats).get("at").asText()).isEqualTo("2025-03-01T08:00:00Z");

      HttpResponse<String> broken = get(server, "/broken");
      assertThat(broken.statusCode()).isEqualTo(500);
      assertThat(json(broken).get("error").asText()).isEqualTo("IllegalStateException");
      assertThat(get(server, "/unknown").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsAreServedWithEveryRequestTimedByItsRoute() throws Exception {
    try (HealthServer server = HealthServer.start("127.0.0.1", 0, () -> true, Map.of(), Map.of(), metrics)) {
      get(server, "/health/ready");
      get(server, "/no/such/p-7f3a9c");
      HttpResponse<String> scrape = get(server, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(scrape.body())
          .contains("jvm_memory_used_bytes{")
          .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",service=\"test\",status=\"200\",uri=\"/health/ready\"} 1")
          .contains("uri=\"UNMATCHED\"")
          .doesNotContain("p-7f3a9c");
    }
  }
}
