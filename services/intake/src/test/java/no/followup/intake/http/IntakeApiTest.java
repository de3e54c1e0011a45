package no.followup.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import no.followup.common.auth.LocalToken;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.EventSchema;
import no.followup.intake.event.ExampleEvents;
import no.followup.intake.publish.RecentEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import no.followup.common.testing.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer on its own: status codes, error shapes, batch rules and resends, with a publisher
 * that records what reached it. Writing to a real broker is covered by IntakeIT.
 */
class IntakeApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final long MAX_BODY = 4096;

  /** The sign-in of these tests: the local token; who may record what is IntakeSignInTest's subject. */
  private static final LocalToken TOKEN = LocalToken.generate();

  private final RecordingPublisher publisher = new RecordingPublisher();
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin server;
  private String base;

  @BeforeEach
  void start() {
    IntakeApi api = new IntakeApi(TOKEN, new EventJsonReader(), publisher, new RecentEvents(100), () -> !publisher.down.get(),
        Clock.fixed(NOW, ZoneOffset.UTC), MAX_BODY, 5, OpenApiDocument.generate(MAX_BODY, 5, NOW));
    server = api.create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private static ObjectNode example(String type) {
    ObjectNode event = new ExampleEvents().example(type, NOW);
    event.put("eventId", UUID.randomUUID().toString());
    return event;
  }

  private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + TOKEN.value());
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return post(path, body.toString(), "application/json");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static List<String> fieldNames(HttpResponse<String> response) throws Exception {
    return StreamSupport.stream(json(response).path("fields").spliterator(), false)
        .map(f -> f.path("field").asText()).toList();
  }

  @Test
  void aValidEventIsPublishedAndAnswered202WithItsId() throws Exception {
    ObjectNode event = example("MeetingScheduled");

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).path("eventId").asText()).isEqualTo(event.path("eventId").asText());
    assertThat(publisher.published).singleElement()
        .satisfies(e -> assertThat(e.getEventId().toString()).isEqualTo(event.path("eventId").asText()));
  }

  @Test
  void anInvalidEventIs400NamingEveryFieldAndNothingIsPublished() throws Exception {
    ObjectNode event = example("MeetingScheduled");
    ((ObjectNode) event.get("payload")).put("kind", "KITCHEN");
    event.put("occurredAt", "tomorrow");

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("invalid event");
    assertThat(fieldNames(response)).containsExactlyInAnyOrder("payload.kind", "occurredAt");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void theIdentityNumberIsNotEchoedInTheResponse() throws Exception {
    ObjectNode event = example("MeetingAttended");
    event.put("participantId", "01019012345");

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("01019012345").contains("participantId");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    HttpResponse<String> response = post("/api/v1/events", "{\"eventId\": ", "application/json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactly("$");
  }

  @Test
  void aKeyGivenTwiceIsMalformed() throws Exception {
    HttpResponse<String> response = post("/api/v1/events",
        "{\"participantId\": \"p-1\", \"participantId\": \"p-2\"}", "application/json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("malformed JSON");
  }

  @Test
  void nonJsonContentTypeIs415() throws Exception {
    HttpResponse<String> form = post("/api/v1/events", example("MeetingAttended").toString(), "application/x-www-form-urlencoded");
    HttpResponse<String> none = post("/api/v1/events", example("MeetingAttended").toString(), null);

    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(none.statusCode()).isEqualTo(415);
    assertThat(json(form).path("error").asText()).contains("application/json");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void jsonWithCharsetIsAccepted() throws Exception {
    HttpResponse<String> response = post("/api/v1/events", example("MeetingAttended").toString(), "application/json; charset=utf-8");

    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    ObjectNode event = example("MeetingAttended");
    event.put("padding", "x".repeat((int) MAX_BODY));

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("maxBytes").asLong()).isEqualTo(MAX_BODY);
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void anOversizedChunkedBodyWithoutContentLengthIs413() throws Exception {
    byte[] body = ("{\"padding\": \"" + "x".repeat((int) MAX_BODY) + "\"}").getBytes();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TOKEN.value())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build();

    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void whenTheStoreDoesNotAcknowledgeTheAnswerIs503WithRetryAfter() throws Exception {
    publisher.down.set(true);

    HttpResponse<String> response = post("/api/v1/events", example("MeetingAttended"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(json(response).path("error").asText()).isEqualTo("event store unavailable, retry later");
  }

  @Test
  void anEventTheStoreRefusesAsTooLargeIs413Not503() throws Exception {
    publisher.refusesAsTooLarge.set(true);
    ObjectNode batch = JSON.createObjectNode();
    batch.putArray("events").add(example("MeetingAttended")).add(example("ContactMade"));

    HttpResponse<String> single = post("/api/v1/events", example("MeetingAttended"));
    HttpResponse<String> inABatch = post("/api/v1/events/batch", batch);

    assertThat(single.statusCode()).isEqualTo(413);
    assertThat(json(single).path("error").asText()).isEqualTo("event too large for the event store; it was not written");
    assertThat(single.headers().firstValue("Retry-After")).isEmpty();
    assertThat(inABatch.statusCode()).isEqualTo(413);
    assertThat(json(inABatch).path("error").asText()).contains("too large", "nothing of the batch was written");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aHostOfBadFieldsIsAnsweredWithTheFirstHundredAndACount() throws Exception {
    ObjectNode event = example("MeetingAttended");
    for (int i = 0; i < 250; i++) {
      event.put("extra" + i, i);
    }
    ObjectNode small = example("MeetingAttended");
    small.put("extra", 1);

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode fields = json(response).path("fields");
    assertThat(fields).hasSize(IntakeApi.MAX_LISTED_ERRORS + 1);
    assertThat(fields.get(0).path("field").asText()).isEqualTo("extra0");
    assertThat(fields.get(IntakeApi.MAX_LISTED_ERRORS).path("field").asText()).isEqualTo("$");
    assertThat(fields.get(IntakeApi.MAX_LISTED_ERRORS).path("message").asText()).isEqualTo("150 more invalid fields, not listed");
    assertThat(fieldNames(post("/api/v1/events", small))).containsExactly("extra");
  }

  @Test
  void aResentEventIsAcceptedAgainWithoutBeingWrittenTwice() throws Exception {
    ObjectNode event = example("MeetingAttended");
    event.remove("recordedAt");

    assertThat(post("/api/v1/events", event).statusCode()).isEqualTo(202);
    assertThat(post("/api/v1/events", event).statusCode()).isEqualTo(202);

    assertThat(publisher.published).hasSize(1);
  }

  @Test
  void theSameEventIdForDifferentContentIs409() throws Exception {
    ObjectNode event = example("MeetingAttended");
    assertThat(post("/api/v1/events", event).statusCode()).isEqualTo(202);
    ((ObjectNode) event.get("payload")).put("meetingId", "m-2");

    HttpResponse<String> response = post("/api/v1/events", event);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(fieldNames(response)).containsExactly("eventId");
    assertThat(publisher.published).hasSize(1);
  }

  @Test
  void aValidBatchIsPublishedAsOneUnit() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(example("MeetingScheduled")).add(example("ContactMade")).add(example("MeetingAttended"));

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).path("accepted")).hasSize(3);
    assertThat(publisher.batches).singleElement().satisfies(batch -> assertThat(batch).hasSize(3));
  }

  @Test
  void aBatchWithBadEventsIs400WithIndexedFieldsAndNothingIsPublished() throws Exception {
    ObjectNode bad = example("FunctionScoreRecorded");
    ((ObjectNode) bad.get("payload")).put("pain", 6);
    ObjectNode alsoBad = example("MeetingAttended");
    alsoBad.put("type", "MeetingAttendedd");
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(example("MeetingScheduled")).add(bad).add(alsoBad);

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactlyInAnyOrder("events[1].payload.pain", "events[2].type");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aBatchWithOneEventIdForTwoDifferentEventsIs400() throws Exception {
    ObjectNode first = example("MeetingAttended");
    ObjectNode second = example("MeetingMissed");
    second.put("eventId", first.path("eventId").asText());
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(first).add(second);

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactly("events[1].eventId");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aBatchWithTheSameEventTwiceWritesItOnce() throws Exception {
    ObjectNode event = example("MeetingAttended");
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(event).add(event);

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).path("accepted")).hasSize(2);
    assertThat(publisher.published).hasSize(1);
  }

  @Test
  void anEventOfAnErasedParticipantIs409NamingTheFieldAndARepeatedErasureIsStillAccepted() throws Exception {
    ObjectNode meeting = example("MeetingScheduled");
    publisher.erased.add(meeting.path("participantId").asText());

    HttpResponse<String> refused = post("/api/v1/events", meeting);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).path("error").asText()).isEqualTo(IntakeApi.PARTICIPANT_ERASED);
    assertThat(fieldNames(refused)).containsExactly("participantId");
    assertThat(publisher.published).isEmpty();

    ObjectNode erasure = example("ParticipantErased");
    erasure.put("participantId", meeting.path("participantId").asText());
    assertThat(post("/api/v1/events", erasure).statusCode()).isEqualTo(202);
    assertThat(publisher.published).hasSize(1);
  }

  @Test
  void aBatchWithEventsOfAnErasedParticipantIs409NamingEachAndNothingIsPublished() throws Exception {
    ObjectNode ofOther = example("ContactMade");
    ofOther.put("participantId", "p-still-followed");
    ObjectNode meeting = example("MeetingScheduled");
    ObjectNode contact = example("ContactMade");
    publisher.erased.add(meeting.path("participantId").asText());
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(ofOther).add(meeting).add(contact);

    HttpResponse<String> response = post("/api/v1/events/batch", body);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(fieldNames(response)).containsExactly("events[1].participantId", "events[2].participantId");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aHostileFieldNameBesideTheBatchIsNeitherEchoedNorLogged() throws Exception {
    String hostile = "12345678901 Ola Nordmann";
    String huge = "x ".repeat(1_000); // not a name, and far longer than anything worth echoing
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(example("MeetingAttended"));
    body.put(hostile, 0);
    body.put(huge, 0);
    body.put("fnr_12345678901", 0); // name-like, but carrying an identity number
    body.put("note", 0); // a name-like field is still named

    HttpResponse<String> response;
    List<String> logged;
    try (LogCapture apiLog = LogCapture.of(IntakeApi.class)) {
      response = post("/api/v1/events/batch", body);
      logged = apiLog.messages();
    }

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fieldNames(response)).containsExactlyInAnyOrder(
        "(a field name that is not an identifier)", "(a field name that is not an identifier)",
        "(a field name that is not an identifier)", "note");
    assertThat(response.body()).doesNotContain("12345678901", "Nordmann", "x x x");
    assertThat(logged).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("12345678901", "Nordmann", "x x x"));
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("Rejected batch", "note"));
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void malformedBatchesAreNamed() throws Exception {
    assertThat(fieldNames(post("/api/v1/events/batch", JSON.readTree("{\"events\": []}")))).containsExactly("events");
    assertThat(fieldNames(post("/api/v1/events/batch", JSON.readTree("{\"event\": []}")))).containsExactly("event", "events");
    assertThat(fieldNames(post("/api/v1/events/batch", JSON.readTree("[]")))).containsExactly("$");
    ObjectNode tooMany = JSON.createObjectNode();
    for (int i = 0; i < 6; i++) {
      tooMany.withArray("events").add(example("MeetingAttended"));
    }
    HttpResponse<String> response = post("/api/v1/events/batch", tooMany);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("fields").get(0).path("message").asText()).contains("at most 5");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aBatchIs503WhenTheStoreIsDown() throws Exception {
    publisher.down.set(true);
    ObjectNode body = JSON.createObjectNode();
    body.putArray("events").add(example("MeetingAttended"));

    assertThat(post("/api/v1/events/batch", body).statusCode()).isEqualTo(503);
  }

  @Test
  void healthAndReadiness() throws Exception {
    HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    publisher.down.set(true);
    HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(notReady.statusCode()).isEqualTo(503);
  }

  @Test
  void theOpenApiDocumentListsEveryPayloadTypeWithAnExample() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode doc = json(response);
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    JsonNode schemas = doc.path("components").path("schemas");
    JsonNode examples = doc.at("/paths/~1api~1v1~1events/post/requestBody/content/application~1json/examples");
    EventJsonReader reader = new EventJsonReader();
    for (String type : EventSchema.get().typeNames()) {
      assertThat(schemas.has(type)).as(type).isTrue();
      assertThat(schemas.has(type + "Event")).as(type).isTrue();
      assertThat(reader.read(examples.path(type).path("value"), NOW).errors()).as(type).isEmpty();
    }
    assertThat(schemas.at("/FunctionScoreRecorded/properties/pain/description").asText()).contains("1 (best) to 5 (worst)");
    assertThat(doc.at("/info/description").asText()).contains("idempotency key");
    // at(...) answers a "missing" node, never null, for an absent path: ask that the header is really documented
    assertThat(doc.at("/paths/~1api~1v1~1events~1batch/post/responses/503/headers/Retry-After").isMissingNode()).isFalse();
    assertThat(doc.at("/paths/~1api~1v1~1events~1batch/post/responses/503/headers/Retry-After/schema/type").asText())
        .isEqualTo("integer");
  }

  @Test
  void theOpenApiDocumentStatesTheLimitsOfEveryTextAndArray() throws Exception {
    JsonNode schemas = json(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString())).path("components").path("schemas");

    JsonNode envelope = schemas.path("EventEnvelope").path("properties");
    assertThat(envelope.path("officeId").path("maxLength").asInt()).isEqualTo(4);
    assertThat(envelope.path("officeId").path("pattern").asText()).isEqualTo("^[0-9]{4}$");
    assertThat(envelope.path("participantId").path("maxLength").asInt()).isEqualTo(64);
    assertThat(envelope.path("participantId").path("pattern").asText()).isEqualTo("^[A-Za-z0-9_-][A-Za-z0-9_.:-]{0,63}$");
    assertThat(envelope.path("cohortId").path("maxLength").asInt()).isEqualTo(40);
    assertThat(envelope.path("cohortId").path("pattern").asText()).isEqualTo("^[a-z0-9][a-z0-9_-]{0,39}$");
    assertThat(envelope.path("eventId").path("maxLength").asInt()).isEqualTo(36);
    assertThat(envelope.path("eventId").path("format").asText()).isEqualTo("uuid");
    assertThat(envelope.path("occurredAt").path("description").asText()).contains("Not before 2000-01-01");
    assertThat(schemas.at("/Actor/properties/staffId/maxLength").asInt()).isEqualTo(64);
    assertThat(schemas.at("/MeetingScheduled/properties/meetingId/maxLength").asInt()).isEqualTo(64);
    assertThat(schemas.at("/ParticipantMoved/properties/toMunicipality/pattern").asText()).isEqualTo("^[0-9]{4}$");
    assertThat(schemas.at("/ParticipantEnrolled/properties/targetGroups/maxItems").asInt()).isEqualTo(20);
    // every text of every record of an event has both bounds (times and symbols are bounded by format and enum)
    List<String> eventRecords = new ArrayList<>(EventSchema.get().typeNames());
    eventRecords.addAll(List.of("EventEnvelope", "Actor"));
    for (String record : eventRecords) {
      schemas.path(record).path("properties").forEach(property -> {
        if (property.path("type").asText().equals("string") && !property.has("enum")
            && !property.path("format").asText().startsWith("date")) {
          assertThat(property.has("maxLength") && property.has("pattern")).as(record + " " + property).isTrue();
        }
      });
    }
  }

  @Test
  void unknownPathsAndMethodsAnswerJson() throws Exception {
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
            .header("Authorization", "Bearer " + TOKEN.value()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).has("error")).isTrue();
  }
}
