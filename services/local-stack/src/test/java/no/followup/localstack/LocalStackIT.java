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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
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
      assertThat(stack.describe()).contains("Kafka broker", "Schema registry", "Intake API", "Dashboard",
          "export FOLLOWUP_TOKEN=" + stack.token().value(), "export SCHEMA_REGISTRY_URL=http://followup:" + stack.token().value() + "@");
      String token = stack.token().value();

      // the OPTIMIST cohort reaches the report's end state through the whole pipeline
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode tally = get(stack.statusUrl() + "/api/v1/cohorts/optimist/tally", token);
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

      // one token for every door of the stack; without it every door is shut
      for (String url : List.of(stack.dashboardUrl() + "/api/v1/overview", stack.statusUrl() + "/api/v1/cohorts/optimist/tally",
          stack.registryUrl() + "/subjects")) {
        assertThat(send(HttpRequest.newBuilder(URI.create(url)), null).statusCode()).as(url).isEqualTo(401);
      }
      // the registry takes the same token as the password of its one user (basic auth)
      String registryLogin = java.util.Base64.getEncoder().encodeToString(
          ("followup:" + token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/subjects"))
          .timeout(HTTP_TIMEOUT).header("Authorization", "Basic " + registryLogin).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.statusCode()).isEqualTo(200);
      assertThat(subjects.body()).contains("followup.events.v1-value");
      assertThat(get(stack.dashboardUrl() + "/api/v1/overview", token).path("participants").asLong()).isPositive();
      String event = """
          {"eventId": "%s", "participantId": "p-lsit0001", "officeId": "3421",
           "actor": {"role": "ACTIVITY_COORDINATOR", "staffId": "s-7a1c30"}, "occurredAt": "%s",
           "cohortId": "local-stack-it", "type": "ParticipantEnrolled",
           "payload": {"targetGroups": ["YOUTH_UNDER_30"], "coordinatorId": "s-7a1c30"}}"""
          // the stack's clock, which is behind the machine's: the intake refuses events from its future
          .formatted(UUID.randomUUID(), settings.clock().instant().truncatedTo(ChronoUnit.SECONDS));
      HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(stack.intakeUrl() + "/api/v1/events"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event));
      assertThat(send(post, null).statusCode()).isEqualTo(401);
      HttpResponse<String> accepted = send(post, token);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      // the dashboard's sign-in page takes the same token, for a session cookie (not Secure: plain http here)
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(stack.dashboardUrl() + "/login")).timeout(HTTP_TIMEOUT)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("token=" + token + "&next=%2F")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").doesNotContain("Secure");
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String url, String token) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)), token);
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }
}
