package no.followup.dashboard.web;

import static no.followup.dashboard.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.LocalToken;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.LocalTokenAuthenticator;
import no.followup.dashboard.forms.EventForms;
import no.followup.dashboard.forms.FormCatalog;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.participant.ParticipantViews;
import no.followup.dashboard.participant.StatusClient;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participant page's HTTP doors with hostile input: the search, the page's data, the forms' endpoint. */
class ParticipantHttpTest {

  private static final LocalToken TOKEN = LocalToken.generate();
  private static final String PARTICIPANT = "p-7f3a9c";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final ReadModel model = new ReadModel();
  private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private AuditLog audit;
  private LiveUpdates live;
  private Javalin server;
  private String base;

  @BeforeEach
  void start() {
    Clock clock = Clock.systemUTC();
    model.putStatus(PARTICIPANT, status(PARTICIPANT, "0403", "s-12", Instant.now().minus(Duration.ofDays(30))).build());
    audit = new AuditLog(dir.resolve("audit.log"), clock);
    AccessPolicy policy = new AccessPolicy();
    PendingMarks pending = new PendingMarks(clock, Duration.ofMinutes(10));
    DashboardViews views = new DashboardViews(model, policy, pending, clock, new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
    DashboardHttp[] holder = new DashboardHttp[1];
    live = new LiveUpdates((u, v, f) -> holder[0].render(u, v, f), audit, Duration.ofMillis(50));
    IntakeClient intake = new IntakeClient("http://127.0.0.1:9", TOKEN, TIMEOUT) {
      @Override
      public Answer publish(JsonNode event) {
        sent.add(event);
        return new Answer(202, null);
      }
    };
    StatusClient status = new StatusClient("http://127.0.0.1:9", TOKEN, TIMEOUT) {
      @Override
      public Optional<JsonNode> events(String participantId, int limit) {
        return Optional.empty();
      }
    };
    FormCatalog catalog = new FormCatalog();
    EventForms forms = new EventForms(catalog, model, policy, intake, audit, ZoneId.of("Europe/Oslo"), live::changed);
    ParticipantViews pages = new ParticipantViews(model, policy, views, forms, catalog, status, clock);
    LocalTokenAuthenticator local = new LocalTokenAuthenticator(TOKEN, Duration.ofHours(1), clock);
    holder[0] = new DashboardHttp(local, local, null, false, policy, views,
        new TaskActions(model, policy, pending, intake, audit, clock, live::changed), audit, new Messages(), live, () -> true,
        Duration.ofHours(1)).withParticipants(new ParticipantHttp(pages, forms, catalog, live, audit));
    server = holder[0].create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
    live.close();
    audit.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + TOKEN.value()).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + TOKEN.value()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> search(String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/participants")).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + TOKEN.value()).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSearchOpensThePageOfAnIdAndSendsAnythingElseBackToTheWorkList() throws Exception {
    HttpResponse<String> found = search("id=%20p-7f3a9c%20&lang=en");
    assertThat(found.statusCode()).isEqualTo(303);
    assertThat(found.headers().firstValue("Location")).contains("/participants/p-7f3a9c?lang=en");

    // an identity number typed by mistake goes nowhere, not even into an address
    for (String hostile : List.of("..%2F..%2Fadmin", "%3Cscript%3E", "https%3A%2F%2Fevil.example", "", "12345678901x%0A",
        "p-01017012345", "a".repeat(65))) {
      HttpResponse<String> refused = search("id=" + hostile);
      assertThat(refused.statusCode()).as(hostile).isEqualTo(303);
      assertThat(refused.headers().firstValue("Location")).as(hostile).hasValue("/?view=worklist&lang=nb&search=invalid");
    }
    assertThat(get("/api/v1/participants/12345678901").statusCode()).isIn(400, 404);
  }

  @Test
  void thePagesDataIsAuditedAndAnUnknownIdOffersOnlyTheEnrolment() throws Exception {
    HttpResponse<String> page = get("/api/v1/participants/" + PARTICIPANT);
    assertThat(page.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(page.body());
    assertThat(body.path("summary").path("coordinatorId").asText()).isEqualTo("s-12");
    assertThat(body.path("timeline").path("available").asBoolean()).isFalse();
    assertThat(Files.readString(dir.resolve("audit.log"))).contains("\"view\":\"participant\"").contains(PARTICIPANT);

    HttpResponse<String> unknown = get("/api/v1/participants/p-unknown1");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(unknown.body()).path("recordable").toString()).isEqualTo("[\"ParticipantEnrolled\"]");
    assertThat(Files.readString(dir.resolve("audit.log"))).doesNotContain("p-unknown1");
    assertThat(get("/participants/" + PARTICIPANT).body()).contains("participant.js").doesNotContain("s-12");
  }

  @Test
  void theFormsEndpointRefusesWhatIsNotAFormWithoutSendingAnything() throws Exception {
    String form = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"IndividualPlanStarted\",\"occurredAt\":\"2026-05-12T10:00\"}";

    assertThat(post("/api/v1/participants/" + PARTICIPANT + "/events", "{\"x\":\"" + "a".repeat(9000) + "\"}").statusCode())
        .isEqualTo(413);
    assertThat(post("/api/v1/participants/" + PARTICIPANT + "/events", "{not json").statusCode()).isEqualTo(400);
    assertThat(post("/api/v1/participants/" + PARTICIPANT + "/events", "[1,2]").statusCode()).isEqualTo(400);
    HttpResponse<String> badId = post("/api/v1/participants/p%20x%3Cb%3E/events", form);
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(badId.body()).contains("participantId").doesNotContain("<b>");
    HttpResponse<String> badType = post("/api/v1/participants/" + PARTICIPANT + "/events",
        form.replace("IndividualPlanStarted", "DropTables"));
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(badType.body()).contains("\"field\":\"type\"").doesNotContain("DropTables");
    HttpResponse<String> badEventId = post("/api/v1/participants/" + PARTICIPANT + "/events",
        form.replaceFirst("\"eventId\":\"[^\"]+\"", "\"eventId\":\"1; DROP\""));
    assertThat(badEventId.statusCode()).isEqualTo(400);
    assertThat(badEventId.body()).contains("\"field\":\"eventId\"");
    assertThat(sent).isEmpty();

    assertThat(post("/api/v1/participants/" + PARTICIPANT + "/events", form).statusCode()).isEqualTo(202);
    assertThat(sent).hasSize(1);
    assertThat(Json.MAPPER.readTree(get("/api/v1/forms").body()).path("forms")).hasSize(24); // the contract's 26 payloads less CohortDefined and SealedPayload
  }
}
