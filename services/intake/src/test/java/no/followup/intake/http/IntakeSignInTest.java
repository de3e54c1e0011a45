package no.followup.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.OidcAuthenticator;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.TestIssuer;
import no.followup.events.FollowUpEvent;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.ExampleEvents;
import no.followup.intake.publish.RecentEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in at the intake with OIDC access tokens from a local issuer: who may record what. Every
 * refusal is paired with the same request by someone allowed to make it, so a door that refused
 * everyone could not pass. The example events are recorded by {@code s-12} at office 0403.
 */
class IntakeSignInTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUDIENCE = "followup-intake";
  private static final String PARTICIPANT = "p-secret1";
  private static TestIssuer issuer;

  private final RecordingPublisher publisher = new RecordingPublisher();
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin server;
  private String base;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void start() {
    server = intake(new OidcAuthenticator(OidcSettings.of(issuer.issuer(), AUDIENCE)));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private Javalin intake(BearerAuthenticator authenticator) {
    Instant now = Instant.now();
    return new IntakeApi(authenticator, new EventJsonReader(), publisher, new RecentEvents(100), () -> true, Clock.systemUTC(),
        64 * 1024, 10, OpenApiDocument.generate(64 * 1024, 10, now)).create().start("127.0.0.1", 0);
  }

  private static ObjectNode event(String type) {
    ObjectNode event = new ExampleEvents().example(type, Instant.now());
    event.put("eventId", UUID.randomUUID().toString());
    event.put("participantId", PARTICIPANT);
    return event;
  }

  private static String staff(String staffId, String role, String office) {
    return issuer.staffToken(AUDIENCE, staffId, List.of(role), List.of(office));
  }

  private static String coordinator() {
    return staff("s-12", "COORDINATOR", "0403");
  }

  private HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String token, JsonNode event) throws Exception {
    return post("/api/v1/events", token, event.toString());
  }

  private static List<String> fields(HttpResponse<String> response) throws Exception {
    return StreamSupport.stream(JSON.readTree(response.body()).path("fields").spliterator(), false)
        .map(f -> f.path("field").asText()).toList();
  }

  @Test
  void withoutATokenNothingIsReadOrWrittenAndTheAnswerNamesNoData() throws Exception {
    HttpResponse<String> none = post(null, event("ParticipantErased"));
    HttpResponse<String> notJson = post("/api/v1/events", null, "garbage");

    for (HttpResponse<String> response : List.of(none, notJson)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"error\":\"authentication required\"}"));
      assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"followup\"");
    }
    assertThat(post("/api/v1/events/batch", null, "{\"events\":[" + event("MeetingAttended") + "]}").statusCode())
        .isEqualTo(401);
    assertThat(publisher.published).isEmpty();
    assertThat(post(coordinator(), event("MeetingAttended")).statusCode()).as("signed in").isEqualTo(202);
  }

  @Test
  void expiredForeignForgedAndIdTokensAreRefused() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    Map<String, String> refused = Map.of(
        "expired", issuer.accessToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
            .claim("offices", List.of("0403")).issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past))),
        "another audience", issuer.staffToken("followup-dashboard", "s-12", List.of("COORDINATOR"), List.of("0403")),
        "another issuer", issuer.accessToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
            .claim("offices", List.of("0403")).issuer("https://login.example.org/other")),
        "forged", issuer.forge(issuer.claims(AUDIENCE).subject("s-12").claim("roles", List.of("COORDINATOR"))
            .claim("offices", List.of("0403")).build()),
        "ID token", issuer.idToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
            .claim("offices", List.of("0403"))),
        "untyped", issuer.sign(null, issuer.claims(AUDIENCE).subject("s-12").claim("roles", List.of("COORDINATOR"))
            .claim("offices", List.of("0403")).build()),
        "no role", issuer.staffToken(AUDIENCE, "s-12", List.of("UNRELATED"), List.of("0403")));

    for (Map.Entry<String, String> token : refused.entrySet()) {
      HttpResponse<String> response = post(token.getValue(), event("MeetingAttended"));
      assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).as(token.getKey()).hasValueSatisfying(v ->
          assertThat(v).contains("error=\"invalid_token\""));
      assertThat(response.body()).as(token.getKey()).doesNotContain(PARTICIPANT).doesNotContain(token.getValue());
    }
    assertThat(publisher.published).isEmpty();
    JsonNode accepted = event("MeetingAttended");
    assertThat(post(issuer.sign(new JOSEObjectType("at+jwt"), issuer.claims(AUDIENCE).subject("s-12")
        .claim("roles", List.of("COORDINATOR")).claim("offices", List.of("0403")).build()), accepted).statusCode())
        .as("the same claims as an access token").isEqualTo(202);
  }

  @Test
  void erasureIsForAPrivacyOfficerOrATeamLeadOnly() throws Exception {
    HttpResponse<String> byCoordinator = post(coordinator(), event("ParticipantErased"));
    assertThat(byCoordinator.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(byCoordinator.body()).path("error").asText()).isEqualTo("not allowed");
    assertThat(fields(byCoordinator)).containsExactly("type");
    assertThat(byCoordinator.body()).doesNotContain(PARTICIPANT).doesNotContain("0403");
    assertThat(post(staff("s-12", "JOB_SPECIALIST", "0403"), event("ParticipantErased")).statusCode()).isEqualTo(403);
    assertThat(publisher.published).isEmpty();

    assertThat(post(staff("s-12", "PRIVACY_OFFICER", "0403"), event("ParticipantErased")).statusCode()).isEqualTo(202);
    assertThat(post(staff("s-12", "TEAM_LEAD", "0403"), event("ParticipantErased")).statusCode()).isEqualTo(202);
    assertThat(post(staff("s-12", "PRIVACY_OFFICER", "0403"), event("MeetingAttended")).statusCode())
        .as("a privacy officer records erasures, nothing else").isEqualTo(403);
    assertThat(publisher.published).hasSize(2);
  }

  @Test
  void aStaffMemberRecordsOnlyForTheirOwnOfficesAndTheAnswerDoesNotEchoTheOffice() throws Exception {
    HttpResponse<String> otherOffice = post(staff("s-12", "COORDINATOR", "3421"), event("MeetingAttended"));
    assertThat(otherOffice.statusCode()).isEqualTo(403);
    assertThat(fields(otherOffice)).containsExactly("officeId");
    assertThat(otherOffice.body()).doesNotContain("0403").doesNotContain("3421").doesNotContain(PARTICIPANT);
    assertThat(post(staff("s-12", "TEAM_LEAD", "3421"), event("ParticipantErased")).statusCode()).isEqualTo(403);
    assertThat(publisher.published).isEmpty();

    assertThat(post(issuer.staffToken(AUDIENCE, "s-12", List.of("COORDINATOR"), List.of("3421", "0403")),
        event("MeetingAttended")).statusCode()).isEqualTo(202);
  }

  @Test
  void aStaffMemberRecordsOnlyAsThemselves() throws Exception {
    HttpResponse<String> asSomeoneElse = post(staff("s-99", "COORDINATOR", "0403"), event("MeetingAttended"));
    assertThat(asSomeoneElse.statusCode()).isEqualTo(403);
    assertThat(fields(asSomeoneElse)).containsExactly("actor.staffId");
    assertThat(asSomeoneElse.body()).doesNotContain("s-12").doesNotContain("s-99");

    ObjectNode asThemselves = event("MeetingAttended");
    ((ObjectNode) asThemselves.get("actor")).put("staffId", "s-99");
    assertThat(post(staff("s-99", "COORDINATOR", "0403"), asThemselves).statusCode()).isEqualTo(202);
  }

  @Test
  void aServiceRecordsEveryTypeForAnyOfficeAndStaffMember() throws Exception {
    // the dashboard: its forms record every type for the staff member it signed in, under that person's rules
    String service = issuer.accessToken(AUDIENCE, c -> c.subject("followup-dashboard").claim("roles", List.of("SYSTEM")));
    // every type a client may post: a SealedPayload is the intake's own writing, never a client's
    List<String> types = FollowUpEvent.getClassSchema().getField("payload").schema().getTypes().stream()
        .map(org.apache.avro.Schema::getName).filter(type -> !type.equals("SealedPayload")).toList();
    for (String type : types) {
      // a cohort's definition is keyed by its cohort, a specialist's capacity by the specialist, not by a participant
      ObjectNode outcome = type.equals("CohortDefined") || type.equals("SpecialistCapacitySet")
          ? (ObjectNode) new ExampleEvents().example(type, Instant.now()) : event(type).put("officeId", "3421");
      ((ObjectNode) outcome.get("actor")).put("staffId", "s-77");
      assertThat(post(service, outcome).statusCode()).as(type).isEqualTo(202);
    }
    assertThat(publisher.published).hasSize(types.size());
  }

  @Test
  void onlyATeamLeadSetsAJobSpecialistsCapacity() throws Exception {
    ObjectNode capacity = new ExampleEvents().example("SpecialistCapacitySet", Instant.now());
    capacity.put("officeId", "0403");
    for (String role : List.of("COORDINATOR", "JOB_SPECIALIST", "PROJECT_LEAD")) {
      capacity.put("eventId", UUID.randomUUID().toString());
      ((ObjectNode) capacity.get("actor")).put("staffId", "s-12");
      HttpResponse<String> refused = post(staff("s-12", role, "0403"), capacity);
      assertThat(refused.statusCode()).as(role).isEqualTo(403);
      assertThat(fields(refused)).as(role).containsExactly("type");
    }
    capacity.put("eventId", UUID.randomUUID().toString());
    assertThat(post(staff("s-12", "TEAM_LEAD", "0403"), capacity).statusCode()).isEqualTo(202);
  }

  @Test
  void aProjectLeadDefinesCohortsAndRecordsNothingAboutParticipants() throws Exception {
    String projectLead = staff("s-12", "PROJECT_LEAD", "0403");
    ObjectNode definition = new ExampleEvents().example("CohortDefined", Instant.now());
    definition.put("eventId", UUID.randomUUID().toString());
    assertThat(post(projectLead, definition).statusCode()).isEqualTo(202);
    for (String type : List.of("ParticipantEnrolled", "ParticipantReferred", "MeetingAttended", "ParticipantErased")) {
      HttpResponse<String> refused = post(projectLead, event(type));
      assertThat(refused.statusCode()).as(type).isEqualTo(403);
      assertThat(fields(refused)).as(type).containsExactly("type");
    }
    definition.put("eventId", UUID.randomUUID().toString());
    HttpResponse<String> byCoordinator = post(coordinator(), definition);
    assertThat(byCoordinator.statusCode()).isEqualTo(403);
    assertThat(fields(byCoordinator)).containsExactly("type");
    definition.put("eventId", UUID.randomUUID().toString());
    assertThat(post(staff("s-12", "TEAM_LEAD", "0403"), definition).statusCode()).isEqualTo(202);
  }

  @Test
  void aBatchWithOneEventTheCallerMayNotRecordIsRefusedWholeNamingThatEvent() throws Exception {
    String batch = "{\"events\":[" + event("MeetingAttended") + "," + event("ParticipantErased") + "]}";
    HttpResponse<String> refused = post("/api/v1/events/batch", coordinator(), batch);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(fields(refused)).containsExactly("events[1].type");
    assertThat(publisher.published).isEmpty();
    assertThat(post("/api/v1/events/batch", staff("s-12", "TEAM_LEAD", "0403"), batch).statusCode()).isEqualTo(202);
    assertThat(publisher.published).hasSize(2);
  }

  @Test
  void aCallerWhoMayNotRecordAnEventCannotLearnThatItIsKnown() throws Exception {
    ObjectNode event = event("MeetingAttended");
    assertThat(post(coordinator(), event).statusCode()).isEqualTo(202);
    // the resend of a known event is 202 for its author, 403 for someone of another office
    assertThat(post(coordinator(), event).statusCode()).isEqualTo(202);
    assertThat(post(staff("s-12", "COORDINATOR", "3421"), event).statusCode()).isEqualTo(403);
  }

  @Test
  void healthAndTheOpenApiDocumentNeedNoSignIn() throws Exception {
    for (String path : List.of("/health/live", "/health/ready", "/openapi.json")) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
    JsonNode openApi = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(openApi.path("paths").path("/api/v1/events").path("post").path("responses").has("401")).isTrue();
    assertThat(openApi.path("paths").path("/api/v1/events").path("post").path("responses").has("403")).isTrue();
    assertThat(openApi.path("components").path("securitySchemes").path("bearer").path("scheme").asText()).isEqualTo("bearer");
  }

  @Test
  void anUnreachableIdentityProviderIs503NotARefusal() throws Exception {
    Javalin unreachable = intake(new OidcAuthenticator(OidcSettings.of("http://127.0.0.1:9/nowhere", AUDIENCE)));
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unreachable.port()
              + "/api/v1/events")).header("Content-Type", "application/json").header("Authorization", "Bearer " + coordinator())
          .POST(HttpRequest.BodyPublishers.ofString(event("MeetingAttended").toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    } finally {
      unreachable.stop();
    }
  }
}
