package no.followup.dashboard.web;

import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.common.auth.ClientCredentials;
import no.followup.common.auth.OidcAuthenticator;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.TestIssuer;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.Authenticator;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in OIDC mode against a local issuer: access tokens for the dashboard get in, anything
 * else is refused at every door (API, page, live stream), and a task marked done reaches the intake
 * with the dashboard's own service token, never the staff member's.
 */
class DashboardSignInHttpTest {

  private static final String AUDIENCE = "followup-dashboard";
  private static final String INTAKE_AUDIENCE = "followup-intake";
  private static final String OFFICE = "0403";
  private static final String PARTICIPANT = "p-secret1";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static TestIssuer issuer;

  @TempDir Path dir;

  private final ReadModel model = new ReadModel();
  private final List<String> intakeAuthorizations = new CopyOnWriteArrayList<>();
  private final List<String> intakeBodies = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final UUID taskId = UUID.randomUUID();
  private HttpServer intake;
  private LiveUpdates live;
  private AuditLog audit;
  private Javalin server;
  private String base;

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
    issuer.registerClient("followup-dashboard-client", "dashboard-secret", INTAKE_AUDIENCE);
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void start() throws IOException {
    intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    intake.createContext("/api/v1/events", exchange -> {
      intakeAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      intakeBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(202, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    intake.start();

    Instant now = Instant.now();
    model.putStatus(PARTICIPANT, status(PARTICIPANT, OFFICE, "s-12", now.minus(Duration.ofDays(30))).build());
    model.putTask(taskId.toString(), task(taskId, TaskKind.REACH_OUT_AFTER_MISS, PARTICIPANT, OFFICE, "s-12", "m-1",
        now.minus(Duration.ofDays(1)), now.minus(Duration.ofHours(2)), TaskState.OPEN));

    Clock clock = Clock.systemUTC();
    audit = new AuditLog(dir.resolve("audit.log"), clock);
    AccessPolicy policy = new AccessPolicy();
    PendingMarks pending = new PendingMarks(clock, Duration.ofMinutes(10));
    DashboardViews views = new DashboardViews(model, policy, pending, clock, new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
    DashboardHttp[] holder = new DashboardHttp[1];
    live = new LiveUpdates((u, v, f) -> holder[0].render(u, v, f), audit, Duration.ofMillis(50));
    model.addListener(live);
    ClientCredentials dashboardAtIntake = new ClientCredentials(new ClientCredentials.Settings(issuer.issuer(),
        "followup-dashboard-client", "dashboard-secret", "api://followup-intake/.default"), clock);
    TaskActions actions = new TaskActions(model, policy, pending,
        new IntakeClient("http://127.0.0.1:" + intake.getAddress().getPort(), dashboardAtIntake, TIMEOUT), audit, clock, live::changed);
    Authenticator oidc = Authenticator.bearerOnly(new OidcAuthenticator(OidcSettings.of(issuer.issuer(), AUDIENCE)));
    holder[0] = new DashboardHttp(oidc, null, null, true, policy, views, actions, audit, new Messages(), live, () -> true,
        Duration.ofHours(1));
    server = holder[0].create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
    live.close();
    audit.close();
    intake.stop(0);
  }

  private static String coordinator() {
    return issuer.staffToken(AUDIENCE, "s-12", List.of("COORDINATOR"), List.of(OFFICE));
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int statusOf(String path, String token) throws Exception {
    if (path.startsWith("/api/v1/stream")) {
      HttpResponse<InputStream> r = http.send(request(path, token).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      r.body().close(); // an accepted stream never ends: take the status and hang up
      return r.statusCode();
    }
    if (path.endsWith("/done")) {
      return http.send(request(path, token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"REACHED\"}")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
    }
    return get(path, token).statusCode();
  }

  @Test
  void everyDoorRefusesWhatIsNotAnAccessTokenForTheDashboard() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("no token", null);
    refused.put("expired", issuer.accessToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
        .claim("offices", List.of(OFFICE)).issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past))));
    refused.put("another audience", issuer.staffToken(INTAKE_AUDIENCE, "s-12", List.of("COORDINATOR"), List.of(OFFICE)));
    refused.put("another issuer", issuer.accessToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
        .claim("offices", List.of(OFFICE)).issuer("https://login.example.org/other")));
    refused.put("forged", issuer.forge(issuer.claims(AUDIENCE).subject("s-12").claim("roles", List.of("COORDINATOR"))
        .claim("offices", List.of(OFFICE)).build()));
    refused.put("ID token", issuer.idToken(AUDIENCE, c -> c.subject("s-12").claim("roles", List.of("COORDINATOR"))
        .claim("offices", List.of(OFFICE))));
    List<String> doors = List.of("/api/v1/overview", "/api/v1/worklist", "/api/v1/tasks", "/api/v1/me",
        "/api/v1/stream?view=worklist", "/api/v1/tasks/" + taskId + "/done");

    for (String door : doors) {
      for (Map.Entry<String, String> token : refused.entrySet()) {
        assertThat(statusOf(door, token.getValue())).as(door + " with " + token.getKey()).isEqualTo(401);
      }
    }
    HttpResponse<String> page = get("/?view=worklist", refused.get("ID token"));
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).doesNotContain(PARTICIPANT);
    assertThat(get("/login", null).statusCode()).as("no local sign-in in OIDC mode").isEqualTo(401);
    assertThat(intakeBodies).isEmpty();

    for (String door : doors.subList(0, 5)) {
      assertThat(statusOf(door, coordinator())).as(door + " with an access token").isEqualTo(200);
    }
  }

  @Test
  void aValidSignInWithoutADashboardRoleIs403AndSeesNothing() throws Exception {
    String service = issuer.accessToken(AUDIENCE, c -> c.subject("followup-intake").claim("roles", List.of("SYSTEM")));
    String privacyOfficer = issuer.staffToken(AUDIENCE, "s-70", List.of("PRIVACY_OFFICER"), List.of(OFFICE));
    for (String token : List.of(service, privacyOfficer)) {
      for (String door : List.of("/api/v1/overview", "/api/v1/worklist", "/api/v1/stream?view=overview")) {
        assertThat(statusOf(door, token)).as(door).isEqualTo(403);
      }
      HttpResponse<String> worklist = get("/api/v1/worklist", token);
      assertThat(worklist.body()).doesNotContain(PARTICIPANT).doesNotContain(OFFICE);
    }
    assertThat(statusOf("/api/v1/worklist", coordinator())).isEqualTo(200);
  }

  @Test
  void aTaskMarkedDoneReachesTheIntakeWithTheDashboardsOwnServiceToken() throws Exception {
    String staffToken = coordinator();
    assertThat(statusOf("/api/v1/tasks/" + taskId + "/done", staffToken)).isEqualTo(202);

    assertThat(intakeAuthorizations).hasSize(1);
    String presented = intakeAuthorizations.get(0);
    assertThat(presented).startsWith("Bearer ").doesNotContain(staffToken);
    Caller atIntake = new OidcAuthenticator(OidcSettings.of(issuer.issuer(), INTAKE_AUDIENCE)).authenticate(presented).orElseThrow();
    assertThat(atIntake.isService()).isTrue();
    assertThat(atIntake.id()).isEqualTo("followup-dashboard-client");
    JsonNode event = Json.MAPPER.readTree(intakeBodies.get(0));
    assertThat(event.path("actor").path("staffId").asText()).as("the staff member is the actor").isEqualTo("s-12");
  }
}
