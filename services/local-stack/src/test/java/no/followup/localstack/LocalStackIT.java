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
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as a user starts it: every part up, the demo replayed, the figures served, a clean stop.
 *
 * <p>The stack runs on a clock that reads midday in Oslo, whatever the machine's hour: SMS reminders
 * are held back during quiet hours (21:00-08:00), so at night a stack on the system clock rightly
 * sends none. The build also runs this test with the process clock at 03:00 (see the {@code
 * night-clock} profile), which shows that no service decides by the machine's clock instead.
 */
class LocalStackIT {

  @TempDir Path dataDir;

  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void startsEverythingReplaysTheDemoAndStopsCleanly() throws Exception {
    // the night run must really run at night, or it proves nothing
    String expectedOsloHour = System.getProperty("followup.test.expectedOsloHour");
    if (expectedOsloHour != null) {
      assertThat(ZonedDateTime.now(ZoneId.of("Europe/Oslo")).getHour()).isEqualTo(Integer.parseInt(expectedOsloHour));
    }
    LocalStack.Settings settings = LocalStack.Settings.anyFreePorts(dataDir, LocalStack.clockAt(LocalTime.NOON, Clock.systemUTC()));
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
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(stack.dashboardUrl() + "/api/v1/overview")).timeout(HTTP_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }
}
