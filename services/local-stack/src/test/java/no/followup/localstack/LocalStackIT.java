package no.followup.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default as a user starts it: every part up, the demo replayed, the figures served, a clean stop. */
class LocalStackIT {

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void startsEverythingReplaysTheDemoAndStopsCleanly() throws Exception {
    LocalStack.Settings settings = new LocalStack.Settings(dataDir, false, true, 0, 0, 3, 0, 0, 0, 0, 0, 0);
    try (LocalStack stack = LocalStack.start(settings)) {
      assertThat(stack.demoEventsPublished()).isGreaterThan(1000);
      assertThat(stack.describe()).contains("Kafka broker", "Schema registry", "Intake API", "Dashboard", "login token");

      // the OPTIMIST cohort reaches the report's end state through the whole pipeline
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode tally = get(stack.statusUrl() + "/api/v1/cohorts/optimist/tally");
        assertThat(tally.path("participants").asLong()).isEqualTo(15);
        JsonNode situation = tally.path("bySituation");
        assertThat(situation.path("JOB_OR_APPRENTICESHIP").asLong()).isEqualTo(5);
        assertThat(situation.path("MEASURE_OR_ACTIVITY").asLong()).isEqualTo(5);
        assertThat(situation.path("MOVED").asLong()).isEqualTo(2);
        assertThat(situation.path("DISABILITY_BENEFIT").asLong()).isEqualTo(1);
        assertThat(situation.path("NO_REGULAR_ACTIVITY").asLong()).isEqualTo(2);
      });

      // the demo's upcoming meetings produce SMS reminders in the local outbox
      Path outbox = dataDir.resolve("delivery").resolve("sms-outbox.jsonl");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(Files.exists(outbox) && !Files.readAllLines(outbox).isEmpty()).isTrue());

      // the dashboard is up and refuses a request without a session
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(stack.dashboardUrl() + "/api/v1/overview")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }
}
