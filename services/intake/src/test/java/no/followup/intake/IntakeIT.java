package no.followup.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.metrics.PrometheusText;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingScheduled;
import no.followup.intake.cli.FollowupCli;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.ExampleEvents;
import no.followup.intake.publish.EventTooLargeException;
import no.followup.intake.publish.KafkaEventPublisher;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.server.LocalSchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The intake against a real broker and schema registry: what reaches the topic, and what does not. */
class IntakeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BODY = 64 * 1024;

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;
  static IntakeApp app;
  static EventTopic topic;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();
  /** The local stack's kind of sign-in: one token for the whole setup. */
  static final LocalToken TOKEN = LocalToken.generate();

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
    app = IntakeApp.start(IntakeConfig.defaults(broker.bootstrapServers(), registry.url())
        .withPort(0).withMaxBodyBytes(MAX_BODY).withSignIn(SignIn.local(TOKEN)));
    base = "http://127.0.0.1:" + app.port();
    topic = new EventTopic(broker.bootstrapServers(), registry.url());
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

  /** An example event of {@code type} for a participant of its own, so each test sees only its records. */
  private static ObjectNode event(String type, String participantId) {
    ObjectNode event = new ExampleEvents().example(type, Instant.now());
    event.put("eventId", UUID.randomUUID().toString());
    event.put("participantId", participantId);
    return event;
  }

  private static String newParticipant() {
    return "p-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + TOKEN.value())
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return post(path, body.toString(), "application/json");
  }

  private static List<String> fieldNames(HttpResponse<String> response) throws Exception {
    return StreamSupport.stream(JSON.readTree(response.body()).path("fields").spliterator(), false)
        .map(f -> f.path("field").asText()).toList();
  }

  /**
   * Proves nothing of a rejected request reached the topic: a valid marker event for the same
   * participant (same key, same partition, so ordered after anything written before it) becomes
   * visible, and it is the only record of that participant.
   */
  private static void assertNothingWrittenFor(String participantId) throws Exception {
    ObjectNode marker = event("MeetingAttended", participantId);
    assertThat(post("/api/v1/events", marker).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(topic.withKey(participantId)).extracting(s -> s.event().getEventId().toString())
            .containsExactly(marker.path("eventId").asText()));
  }

  @Test
  void aValidEventIsOnTheTopicDecodableWithTheRegisteredSchema() throws Exception {
    String participant = newParticipant();
    ObjectNode json = event("MeetingScheduled", participant);

    HttpResponse<String> response = post("/api/v1/events", json);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()).path("eventId").asText()).isEqualTo(json.path("eventId").asText());
    FollowUpEvent expected = new EventJsonReader().read(json, Instant.now()).event();
    List<EventTopic.Stored> stored = topic.withKey(participant);
    assertThat(stored).singleElement().satisfies(record -> {
      assertThat(record.event()).isEqualTo(expected);
      assertDecodableWithRegisteredSchema(record.bytes(), expected);
    });
  }

  /** Decodes the wire bytes with the writer schema fetched by id from the registry, as any consumer would. */
  private static void assertDecodableWithRegisteredSchema(byte[] bytes, FollowUpEvent expected) throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    assertThat(buffer.get()).as("magic byte").isZero();
    int schemaId = buffer.getInt();
    SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", registry.url()));
    Schema writer = client.getSchemaById(schemaId);
    assertThat(SchemaNormalization.parsingFingerprint64(writer))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(FollowUpEvent.getClassSchema()));
    assertThat(client.getVersions(Topics.EVENTS.name() + "-value")).isNotEmpty();

    GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    assertThat(decoded.get("eventId").toString()).isEqualTo(expected.getEventId().toString());
    assertThat(decoded.get("participantId").toString()).isEqualTo(expected.getParticipantId());
    assertThat(decoded.get("occurredAt")).isEqualTo(expected.getOccurredAt().toEpochMilli());
    GenericRecord payload = (GenericRecord) decoded.get("payload");
    assertThat(payload.getSchema().getName()).isEqualTo("MeetingScheduled");
    MeetingScheduled meeting = (MeetingScheduled) expected.getPayload();
    assertThat(payload.get("meetingId").toString()).isEqualTo(meeting.getMeetingId());
    assertThat(payload.get("startsAt")).isEqualTo(meeting.getStartsAt().toEpochMilli());
    assertThat(payload.get("kind").toString()).isEqualTo(meeting.getKind().name());
  }

  @Test
  void aValidBatchIsOnTheTopicInFull() throws Exception {
    String participant = newParticipant();
    List<ObjectNode> events = List.of(event("ParticipantEnrolled", participant), event("MeetingScheduled", participant),
        event("FunctionScoreRecorded", participant), event("ContactMade", participant));
    ObjectNode body = JSON.createObjectNode();
    events.forEach(body.putArray("events")::add);

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(202);
    List<String> ids = events.stream().map(e -> e.path("eventId").asText()).toList();
    assertThat(JSON.readTree(response.body()).path("accepted")).extracting(JsonNode::asText).containsExactlyElementsOf(ids);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(topic.withKey(participant)).extracting(s -> s.event().getEventId().toString())
            .containsExactlyElementsOf(ids));
  }

  @Test
  void aBatchWithOneBadEventIs400NamingItAndNothingIsWritten() throws Exception {
    String participant = newParticipant();
    ObjectNode bad = event("MeetingScheduled", participant);
    ((ObjectNode) bad.get("payload")).put("kind", "KITCHEN");
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(event("MeetingAttended", participant)).add(bad).add(event("ContactMade", participant));

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactly("events[1].payload.kind");
    assertNothingWrittenFor(participant);
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        bad("unknown type", e -> e.put("type", "MeetingPlanned"), "type"),
        bad("missing field", e -> e.remove("officeId"), "officeId"),
        bad("malformed timestamp", e -> e.put("occurredAt", "23.11.2026 09:00"), "occurredAt"),
        bad("bad enum", e -> ((ObjectNode) e.get("actor")).put("role", "JANITOR"), "actor.role"),
        bad("far future", e -> e.put("occurredAt", Instant.now().plus(Duration.ofDays(2)).toString()), "occurredAt"),
        bad("national identity number", e -> e.put("participantId", "01019012345"), "participantId"),
        bad("extra field", e -> e.put("participant", "p-1"), "participant"),
        bad("wrong JSON type", e -> e.put("officeId", 403), "officeId"),
        bad("office not a unit number", e -> e.put("officeId", "2025-13-45T99:99:99Z"), "officeId"),
        bad("over-long id", e -> ((ObjectNode) e.get("actor")).put("staffId", "s".repeat(10_000)), "actor.staffId"),
        bad("control character", e -> e.put("participantId", "\u0000"), "participantId"),
        bad("several at once", e -> {
          e.put("eventId", "not-a-uuid");
          e.put("recordedAt", "later");
          ((ObjectNode) e.get("payload")).put("meetingId", " ");
        }, "eventId", "recordedAt", "payload.meetingId"));
  }

  private static Arguments bad(String name, Consumer<ObjectNode> breakIt, String... fields) {
    return Arguments.of(name, breakIt, fields);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void eachClassOfBadInputIs400NamingTheFieldsAndNothingIsWritten(String name, Consumer<ObjectNode> breakIt,
      String[] fields) throws Exception {
    String participant = newParticipant();
    ObjectNode json = event("MeetingAttended", participant);
    breakIt.accept(json);

    HttpResponse<String> response = post("/api/v1/events", json);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactlyInAnyOrder(fields);
    assertThat(response.body()).doesNotContain("01019012345");
    assertNothingWrittenFor(participant);
  }

  @ParameterizedTest(name = "score {0}")
  @MethodSource("outOfRangeScores")
  void aScoreOutsideOneToFiveIs400AndNothingIsWritten(int score) throws Exception {
    String participant = newParticipant();
    ObjectNode json = event("FunctionScoreRecorded", participant);
    ((ObjectNode) json.get("payload")).put("overallHealth", score);

    HttpResponse<String> response = post("/api/v1/events", json);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactly("payload.overallHealth");
    assertNothingWrittenFor(participant);
  }

  static Stream<Integer> outOfRangeScores() {
    return Stream.of(0, 6);
  }

  @Test
  void anOversizedBodyIs413AndNothingIsWritten() throws Exception {
    String participant = newParticipant();
    ObjectNode json = event("MeetingAttended", participant);
    json.put("padding", "x".repeat((int) MAX_BODY));

    HttpResponse<String> response = post("/api/v1/events", json);

    assertThat(response.statusCode()).isEqualTo(413);
    assertNothingWrittenFor(participant);
  }

  @Test
  void aNonJsonContentTypeIs415AndNothingIsWritten() throws Exception {
    String participant = newParticipant();

    HttpResponse<String> response = post("/api/v1/events", event("MeetingAttended", participant).toString(), "text/plain");

    assertThat(response.statusCode()).isEqualTo(415);
    assertNothingWrittenFor(participant);
  }

  @Test
  void aResentEventIsAcceptedAgainAndWrittenOnce() throws Exception {
    String participant = newParticipant();
    ObjectNode json = event("ContactMade", participant);
    json.remove("recordedAt"); // defaults to the time of receipt, so the two sends differ there

    assertThat(post("/api/v1/events", json).statusCode()).isEqualTo(202);
    assertThat(post("/api/v1/events", json).statusCode()).isEqualTo(202);
    ObjectNode batch = JSON.createObjectNode();
    batch.putArray("events").add(json);
    assertThat(post("/api/v1/events/batch", batch).statusCode()).isEqualTo(202);

    ObjectNode marker = event("MeetingAttended", participant);
    assertThat(post("/api/v1/events", marker).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(topic.withKey(participant)).extracting(s -> s.event().getEventId().toString())
            .containsExactly(json.path("eventId").asText(), marker.path("eventId").asText()));
  }

  @Test
  void healthReadinessAndOpenApi() throws Exception {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(get("/health/ready").statusCode()).isEqualTo(200));
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> openApi = get("/openapi.json");
    assertThat(openApi.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(openApi.body()).at("/components/schemas/ParticipantErased").isObject()).isTrue();
  }

  /**
   * The intake's limits keep events far below the broker's record size limit, so this goes past the
   * HTTP layer to show what the publisher does if a record is refused as too large anyway: it says so,
   * instead of reporting an outage, and stays usable.
   */
  @Test
  void aRecordTheBrokerRefusesAsTooLargeIsReportedAsSuchAndThePublisherCarriesOn() throws Exception {
    String participant = newParticipant();
    FollowUpEvent valid = new EventJsonReader().read(event("MeetingAttended", participant), Instant.now()).event();
    FollowUpEvent huge = FollowUpEvent.newBuilder(valid).setEventId(UUID.randomUUID()).setCohortId("c".repeat(2 * 1024 * 1024))
        .build();
    SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", registry.url()));
    try (KafkaEventPublisher publisher = new KafkaEventPublisher(KafkaConnection.plaintext(broker.bootstrapServers()), client, true,
        Duration.ofSeconds(10), 1, KafkaEventPublisher.uniqueTransactionalIdPrefix())) {

      assertThatThrownBy(() -> publisher.publish(huge)).isInstanceOf(EventTooLargeException.class);
      assertThatThrownBy(() -> publisher.publishAll(List.of(valid, huge))).isInstanceOf(EventTooLargeException.class);

      publisher.publishAll(List.of(valid));
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(topic.withKey(participant)).extracting(s -> s.event().getEventId())
            .containsExactly(valid.getEventId()));
  }

  @Test
  void theEventsTopicWasCreatedWithThreePartitions() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames().get()
          .get(Topics.EVENTS.name()).partitions()).hasSize(IntakeConfig.DEFAULT_PARTITIONS);
    }
  }

  @Test
  void theCliPublishesAJsonLinesFileAndTailShowsTheEventsDecoded() throws Exception {
    String participant = newParticipant();
    ObjectNode first = event("ParticipantEnrolled", participant);
    ObjectNode bad = event("MeetingScheduled", participant);
    ((ObjectNode) bad.get("payload")).put("kind", "KITCHEN");
    ObjectNode second = event("MeetingScheduled", participant);
    ObjectNode third = event("FunctionScoreRecorded", participant);
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, String.join("\n", first.toString(), bad.toString(), "", second.toString(), "{not json",
        third.toString()) + "\n");

    Run publish = run("publish", "--intake-url", base, "--token", TOKEN.value(), "--file", file.toString(), "--batch-size", "2");

    assertThat(publish.exit()).as(publish.out() + publish.err()).isEqualTo(1);
    assertThat(publish.out()).containsSubsequence(
        "line 1: accepted " + first.path("eventId").asText(),
        "line 2: rejected: payload.kind: must be one of OFFICE",
        "line 4: accepted " + second.path("eventId").asText(),
        "line 5: rejected: $: not valid JSON",
        "line 6: accepted " + third.path("eventId").asText(),
        "3 accepted, 2 rejected");

    ObjectNode single = event("MeetingAttended", participant);
    Run publishOne = run("publish", "--intake-url", base, "--token", TOKEN.value(), single.toString());
    assertThat(publishOne.exit()).isZero();
    assertThat(publishOne.out().trim()).isEqualTo("accepted " + single.path("eventId").asText());

    Run tail = run("tail", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registry.url());

    assertThat(tail.exit()).as(tail.err()).isZero();
    List<JsonNode> ours = Arrays.stream(tail.out().split("\n")).filter(line -> !line.isBlank())
        .map(IntakeIT::parse).filter(j -> j.path("participantId").asText().equals(participant)).toList();
    assertThat(ours).containsExactly(first, second, third, single);
  }

  @Test
  void tailStopsAfterMax() throws Exception {
    String participant = newParticipant();
    assertThat(post("/api/v1/events", event("MeetingAttended", participant)).statusCode()).isEqualTo(202);
    assertThat(post("/api/v1/events", event("MeetingMissed", participant)).statusCode()).isEqualTo(202);

    Run tail = run("tail", "--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registry.url(),
        "--follow", "--max", "2", "--timeout", "60", "--metadata");

    assertThat(tail.exit()).isZero();
    List<JsonNode> lines = Arrays.stream(tail.out().split("\n")).filter(line -> !line.isBlank()).map(IntakeIT::parse).toList();
    assertThat(lines).hasSize(2).allSatisfy(line -> {
      assertThat(line.path("topic").asText()).isEqualTo(Topics.EVENTS.name());
      assertThat(line.path("value").path("type").isTextual()).isTrue();
    });
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FollowupCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + line, e);
    }
  }

  @Test
  void metricsCountAcceptedAndRejectedEventsAndShowTheProducerTheJvmAndHttp() throws Exception {
    String before = get("/metrics").body();
    String participant = newParticipant();
    ObjectNode enrolled = event("ParticipantEnrolled", participant);
    // a broker still warming up answers 503 (nothing acknowledged): resend, as a client would
    await().atMost(Duration.ofSeconds(60)).until(() -> post("/api/v1/events", enrolled).statusCode() == 202);
    ObjectNode invalid = event("MeetingScheduled", participant);
    invalid.put("eventId", "not-a-uuid");
    assertThat(post("/api/v1/events", invalid).statusCode()).isEqualTo(400);
    assertThat(post("/api/v1/events", "{", "application/json").statusCode()).isEqualTo(400);

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    String after = metrics.body();
    String accepted = "followup_intake_events_accepted_total";
    String rejected = "followup_intake_events_rejected_total";
    assertThat(PrometheusText.valueOrZero(after, accepted, "type=\"ParticipantEnrolled\"")
        - PrometheusText.valueOrZero(before, accepted, "type=\"ParticipantEnrolled\"")).isEqualTo(1.0);
    assertThat(PrometheusText.valueOrZero(after, rejected, "reason=\"invalid\"")
        - PrometheusText.valueOrZero(before, rejected, "reason=\"invalid\"")).isEqualTo(1.0);
    assertThat(PrometheusText.valueOrZero(after, rejected, "reason=\"malformed\"")
        - PrometheusText.valueOrZero(before, rejected, "reason=\"malformed\"")).isEqualTo(1.0);
    assertThat(PrometheusText.value(after, rejected, "reason=\"unavailable\"")).isPresent();
    assertThat(PrometheusText.valueOrZero(after, "kafka_producer_record_send_total", "client_id=\"followup-intake\""))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(after)
        .contains("jvm_memory_used_bytes{")
        .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",service=\"intake\",status=\"202\",uri=\"/api/v1/events\"}")
        .doesNotContain(participant);
  }

  @Test
  void replaySendsTheTopicsEventsThroughTheIntakeAgainAndAKnownEventIsNotWrittenTwice() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    String participant = newParticipant();
    ObjectNode enrolled = event("ParticipantEnrolled", participant);
    ObjectNode scheduled = event("MeetingScheduled", participant);
    await().atMost(Duration.ofSeconds(60)).until(() -> post("/api/v1/events", enrolled).statusCode() == 202);
    assertThat(post("/api/v1/events", scheduled).statusCode()).isEqualTo(202);

    Run replay = run("replay", "--since", before.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--schema-registry-url", registry.url(), "--intake-url", base, "--token", TOKEN.value(), "--batch-size", "1");
    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("2 replayed, 0 rejected, 0 unreadable");
    // the same eventIds: the intake answers 202 for an event it has just written and does not write it again
    assertThat(topic.withKey(participant)).extracting(stored -> stored.event().getEventId().toString())
        .containsExactlyInAnyOrder(enrolled.path("eventId").asText(), scheduled.path("eventId").asText());
  }
}
