package no.followup.dashboard.web;

import static no.followup.dashboard.Fixtures.ips;
import static no.followup.dashboard.Fixtures.meeting;
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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.Authenticator;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.MeetingState;
import no.followup.status.SpecialistAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see and act on what, through the real HTTP API: two coordinators of the same office, a
 * job specialist and a team lead, each signed in with their own bearer token. Every refusal is
 * paired with the same request by someone entitled to the data, so a fixture that showed nobody
 * anything could not pass.
 */
class DashboardAccessHttpTest {

  private static final Instant NOW = Instant.parse("2026-05-12T08:00:00Z"); // 10:00 in Oslo
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String OFFICE = "0403";

  private static final Caller COORDINATOR_A = new Caller("s-21", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller COORDINATOR_B = new Caller("s-22", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller SPECIALIST = new Caller("s-40", Set.of(Role.JOB_SPECIALIST), Set.of(OFFICE), false, false);
  private static final Caller TEAM_LEAD = new Caller("s-50", Set.of(Role.TEAM_LEAD), Set.of(OFFICE), false, false);
  private static final Map<String, Caller> BY_TOKEN = Map.of(
      "token-a", COORDINATOR_A, "token-b", COORDINATOR_B, "token-specialist", SPECIALIST, "token-lead", TEAM_LEAD);

  /** A's participant. */
  private static final String OF_A = "p-a00001";
  /** B's participant, with an open IPS assignment to the specialist and a meeting today. */
  private static final String OF_B = "p-b00001";
  /** B's participant whose IPS assignment to the specialist has ended. */
  private static final String OF_B_ENDED_IPS = "p-b00002";
  /** A's participant until moved to B; a task written for A still names A. */
  private static final String MOVED_TO_B = "p-b00003";

  @TempDir Path dir;

  private final ReadModel model = new ReadModel();
  private final List<String> intakeBodies = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final UUID taskOfA = UUID.randomUUID();
  private final UUID taskOfB = UUID.randomUUID();
  private final UUID taskOfMoved = UUID.randomUUID();
  private HttpServer intake;
  private LiveUpdates live;
  private AuditLog audit;
  private Javalin server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    intake.createContext("/api/v1/events", exchange -> {
      intakeBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(202, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    intake.start();

    // enrolled, and last in contact, 60 days ago: every active participant is on the "no contact"
    // list, so a work list shows each participant its reader may see
    Instant enrolled = NOW.minus(Duration.ofDays(60));
    model.putStatus(OF_A, status(OF_A, OFFICE, COORDINATOR_A.id(), enrolled).build());
    model.putStatus(OF_B, status(OF_B, OFFICE, COORDINATOR_B.id(), enrolled)
        .setSpecialists(List.of(ips(SPECIALIST.id(), enrolled)))
        .setMeetings(List.of(meeting("m-today", NOW.plus(Duration.ofHours(2)), MeetingState.SCHEDULED, null))).build());
    model.putStatus(OF_B_ENDED_IPS, status(OF_B_ENDED_IPS, OFFICE, COORDINATOR_B.id(), enrolled)
        .setSpecialists(List.of(SpecialistAssignment.newBuilder(ips(SPECIALIST.id(), enrolled))
            .setEndedAt(NOW.minus(Duration.ofDays(5))).build())).build());
    model.putStatus(MOVED_TO_B, status(MOVED_TO_B, OFFICE, COORDINATOR_B.id(), enrolled).build());
    Instant missed = NOW.minus(Duration.ofDays(1));
    model.putTask(taskOfA.toString(), task(taskOfA, TaskKind.REACH_OUT_AFTER_MISS, OF_A, OFFICE, COORDINATOR_A.id(),
        "m-1", missed, NOW.minus(Duration.ofHours(2)), TaskState.OPEN));
    model.putTask(taskOfB.toString(), task(taskOfB, TaskKind.REACH_OUT_AFTER_MISS, OF_B, OFFICE, COORDINATOR_B.id(),
        "m-2", missed, NOW.minus(Duration.ofHours(2)), TaskState.OPEN));
    model.putTask(taskOfMoved.toString(), task(taskOfMoved, TaskKind.REACH_OUT_AFTER_MISS, MOVED_TO_B, OFFICE,
        COORDINATOR_A.id(), "m-3", missed, NOW.minus(Duration.ofHours(2)), TaskState.OPEN));

    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    audit = new AuditLog(dir.resolve("audit.log"), clock);
    AccessPolicy policy = new AccessPolicy();
    PendingMarks pending = new PendingMarks(clock, Duration.ofMinutes(10));
    DashboardViews views = new DashboardViews(model, policy, pending, clock,
        new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
    DashboardHttp[] holder = new DashboardHttp[1];
    live = new LiveUpdates((u, v, f) -> holder[0].render(u, v, f), audit, Duration.ofMillis(50));
    model.addListener(live);
    TaskActions actions = new TaskActions(model, policy, pending,
        new IntakeClient("http://127.0.0.1:" + intake.getAddress().getPort(), () -> "dashboard-token", Duration.ofSeconds(5)), audit, clock, live::changed);
    Authenticator bearerTokens = Authenticator.bearerOnly(header ->
        Optional.ofNullable(BY_TOKEN.get(String.valueOf(BearerAuthenticator.bearerToken(header)))));
    holder[0] = new DashboardHttp(bearerTokens, null, null, true, policy, views, actions, audit, new Messages(), live, () -> true,
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

  @Test
  void aCoordinatorIsRefusedAnotherCoordinatorsParticipantInEveryListEvenWhenFilteringForThem() throws Exception {
    for (String path : List.of("/api/v1/worklist", "/api/v1/review", "/api/v1/tasks?state=all")) {
      assertThat(participantIds(get(path, "token-b"))).as("B, " + path).contains(OF_B);
      for (String asA : List.of(path, path + (path.contains("?") ? "&" : "?") + "coordinator=" + COORDINATOR_B.id())) {
        HttpResponse<String> r = get(asA, "token-a");
        assertThat(r.statusCode()).as(asA).isEqualTo(200);
        assertThat(r.body()).as(asA).doesNotContain(OF_B, OF_B_ENDED_IPS, MOVED_TO_B);
      }
    }
    assertThat(participantIds(get("/api/v1/worklist", "token-a"))).containsExactly(OF_A);

    // aggregates count B's participants for B, never for A
    assertThat(json(get("/api/v1/overview", "token-b")).path("participants").asLong()).isEqualTo(3);
    assertThat(json(get("/api/v1/overview", "token-a")).path("participants").asLong()).isEqualTo(1);
    assertThat(json(get("/api/v1/overview?coordinator=" + COORDINATOR_B.id(), "token-a")).path("participants").asLong())
        .isZero();

    // the live stream renders the same views for the same user
    try (EventStream stream = openStream("/api/v1/stream?view=worklist&coordinator=" + COORDINATOR_B.id(), "token-a")) {
      JsonNode view = stream.nextEvent("view", TIMEOUT);
      assertThat(view.path("data").findValuesAsText("participantId")).isEmpty();
    }
    try (EventStream stream = openStream("/api/v1/stream?view=worklist&coordinator=" + COORDINATOR_B.id(), "token-b")) {
      assertThat(stream.nextEvent("view", TIMEOUT).path("data").findValuesAsText("participantId")).contains(OF_B);
    }
  }

  @Test
  void aCoordinatorCannotMarkAnotherCoordinatorsTaskDoneNorLearnThatItExists() throws Exception {
    assertThat(taskIds(get("/api/v1/tasks", "token-a"))).contains(taskOfA.toString()).doesNotContain(taskOfB.toString());

    // refused with the same answer as a task that does not exist, and nothing reaches the intake
    HttpResponse<String> refused = markReached(taskOfB, "token-a");
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.body()).doesNotContain(OF_B);
    assertThat(markReached(UUID.randomUUID(), "token-a").body()).isEqualTo(refused.body());
    assertThat(intakeBodies).isEmpty();

    // B may mark it: the task was markable all along
    assertThat(markReached(taskOfB, "token-b").statusCode()).isEqualTo(202);
    assertThat(intakeBodies).singleElement().satisfies(event -> assertThat(event).contains(OF_B));
  }

  @Test
  void aTaskFollowsItsParticipantToTheNewCoordinator() throws Exception {
    // the task still names A, who no longer follows the participant: the participant's status decides
    assertThat(taskIds(get("/api/v1/tasks?state=all", "token-a"))).doesNotContain(taskOfMoved.toString());
    assertThat(markReached(taskOfMoved, "token-a").statusCode()).isEqualTo(404);
    assertThat(intakeBodies).isEmpty();

    assertThat(taskIds(get("/api/v1/tasks", "token-b"))).contains(taskOfMoved.toString());
    assertThat(markReached(taskOfMoved, "token-b").statusCode()).isEqualTo(202);
  }

  @Test
  void aJobSpecialistSeesOnlyTheParticipantsAssignedToThem() throws Exception {
    // the team lead of the office sees every participant in the same lists
    assertThat(participantIds(get("/api/v1/worklist", "token-lead"))).containsExactlyInAnyOrder(
        OF_A, OF_B, OF_B_ENDED_IPS, MOVED_TO_B);

    JsonNode worklist = json(get("/api/v1/worklist", "token-specialist"));
    assertThat(participantIds(worklist)).containsExactly(OF_B);
    assertThat(worklist.path("meetingsToday").findValuesAsText("meetingId")).containsExactly("m-today");
    assertThat(participantIds(json(get("/api/v1/review", "token-specialist")))).containsExactly(OF_B);
    assertThat(taskIds(get("/api/v1/tasks?state=all", "token-specialist"))).containsExactly(taskOfB.toString());
    assertThat(json(get("/api/v1/overview", "token-specialist")).path("participants").asLong()).isEqualTo(1);
    assertThat(markReached(taskOfA, "token-specialist").statusCode()).isEqualTo(404);
    assertThat(intakeBodies).isEmpty();
  }

  // ---- HTTP -----------------------------------------------------------------------------------------

  private HttpRequest.Builder request(String path, String token) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> markReached(UUID taskId, String token) throws Exception {
    return http.send(request("/api/v1/tasks/" + taskId + "/done", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"REACHED\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private EventStream openStream(String path, String token) throws Exception {
    HttpResponse<InputStream> response = http.send(request(path, token).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return new EventStream(response.body());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  private static Set<String> participantIds(HttpResponse<String> response) throws IOException {
    return participantIds(json(response));
  }

  /** Every participant id anywhere in a view. */
  private static Set<String> participantIds(JsonNode view) {
    return new TreeSet<>(view.findValuesAsText("participantId"));
  }

  private static List<String> taskIds(HttpResponse<String> response) throws IOException {
    return json(response).path("tasks").findValuesAsText("taskId");
  }
}
