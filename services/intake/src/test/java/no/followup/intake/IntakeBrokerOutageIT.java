package no.followup.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.intake.event.ExampleEvents;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the broker gone, callers hear 503 within a bounded time, never 202; once it is back, events flow again. */
class IntakeBrokerOutageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The ack timeout is 10 s; allow for a slow machine, but not for an unbounded wait. */
  private static final Duration BOUND = Duration.ofSeconds(25);

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;
  static IntakeApp app;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();
  static final LocalToken TOKEN = LocalToken.generate();

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
    app = IntakeApp.start(IntakeConfig.defaults(broker.bootstrapServers(), registry.url()).withPort(0)
        .withSignIn(SignIn.local(TOKEN)));
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void down() {
    if (app != null) {
      app.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static ObjectNode event(String type) {
    ObjectNode event = new ExampleEvents().example(type, Instant.now());
    event.put("eventId", UUID.randomUUID().toString());
    return event;
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TOKEN.value())
            .timeout(Duration.ofSeconds(90))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int ready() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void brokerDownMeans503WithinABoundedTimeAndRecoveryAfterwards() throws Exception {
    // warm: metadata, producer ids and the schema id are known before the outage
    assertThat(post("/api/v1/events", event("MeetingAttended").toString()).statusCode()).isEqualTo(202);
    for (int i = 0; i < IntakeConfig.DEFAULT_TRANSACTIONAL_PRODUCERS; i++) {
      // one batch per pooled transactional producer, so the outage hits initialised ones mid-transaction
      ObjectNode warmBatch = JSON.createObjectNode();
      warmBatch.putArray("events").add(event("MeetingMissed"));
      assertThat(post("/api/v1/events/batch", warmBatch.toString()).statusCode()).isEqualTo(202);
    }

    ObjectNode refusedSingle = event("MeetingScheduled");
    ObjectNode refusedBatch = JSON.createObjectNode();
    refusedBatch.putArray("events").add(event("ContactMade")).add(event("MeetingAttended"));
    broker.stop();
    try {
      long started = System.nanoTime();
      HttpResponse<String> single = post("/api/v1/events", refusedSingle.toString());
      Duration singleTook = Duration.ofNanos(System.nanoTime() - started);

      assertThat(single.statusCode()).isEqualTo(503);
      assertThat(single.headers().firstValue("Retry-After")).isPresent();
      assertThat(JSON.readTree(single.body()).path("error").asText()).isEqualTo("event store unavailable, retry later");
      assertThat(singleTook).isLessThan(BOUND);

      started = System.nanoTime();
      HttpResponse<String> batchResponse = post("/api/v1/events/batch", refusedBatch.toString());
      Duration batchTook = Duration.ofNanos(System.nanoTime() - started);

      assertThat(batchResponse.statusCode()).isEqualTo(503);
      assertThat(batchTook).isLessThan(BOUND);

      await().atMost(Duration.ofSeconds(60)).until(() -> ready() == 503);
    } finally {
      broker.restart();
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> ready() == 200);
    ObjectNode afterwards = event("MeetingScheduled");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
        post("/api/v1/events", afterwards.toString()).statusCode() == 202);
    ObjectNode batchAfterwards = JSON.createObjectNode();
    batchAfterwards.putArray("events").add(event("ContactMade")).add(event("MeetingAttended"));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
        post("/api/v1/events/batch", batchAfterwards.toString()).statusCode() == 202);
    EventTopic topic = new EventTopic(broker.bootstrapServers(), registry.url());
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(topic.readAll()).extracting(s -> s.event().getEventId().toString())
            .contains(afterwards.path("eventId").asText(),
                batchAfterwards.path("events").get(0).path("eventId").asText(),
                batchAfterwards.path("events").get(1).path("eventId").asText())
            // what was refused during the outage was not written behind the caller's back
            .doesNotContain(refusedSingle.path("eventId").asText(),
                refusedBatch.path("events").get(0).path("eventId").asText(),
                refusedBatch.path("events").get(1).path("eventId").asText()));
  }
}
