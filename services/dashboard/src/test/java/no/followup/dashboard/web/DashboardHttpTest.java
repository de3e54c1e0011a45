package no.followup.dashboard.web;

import static no.followup.dashboard.Fixtures.meeting;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.Role;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.Authenticator;
import no.followup.dashboard.auth.LocalTokenAuthenticator;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import no.followup.dashboard.views.Filters;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.MeetingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The HTTP side without Kafka: a read model filled by the test, a stand-in intake, real HTTP. */
class DashboardHttpTest {

  private static final String SECRET_PARTICIPANT = "p-7f3a9c";
  private static final Instant NOW = Instant.now();
  /** Bounds every request and every wait for a streamed event: a missing answer fails, it never hangs. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** The local setup's token: the dashboard's sign-in, and its credential at the intake. */
  private static final LocalToken TOKEN = LocalToken.generate();

  @TempDir Path dir;

  private final ReadModel model = new ReadModel();
  private final List<String> intakeBodies = new CopyOnWriteArrayList<>();
  private final List<String> intakeAuthorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger intakeStatus = new AtomicInteger(202);
  private final ListAppender<ILoggingEvent> appLog = new ListAppender<>();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private HttpServer intake;
  private Javalin server;
  private LiveUpdates live;
  private AuditLog audit;
  private LocalTokenAuthenticator local;
  private AccessPolicy policy;
  private DashboardViews views;
  private TaskActions actions;
  private DashboardHttp[] holder;
  private String base;
  private UUID taskId;

  /** Switches the signed-in user for requests with a bearer token "project-lead". */
  private final Authenticator projectLeadOrLocal = credentials -> {
    if ("project-lead".equals(BearerAuthenticator.bearerToken(credentials.authorizationHeader()))) {
      return Optional.of(new Caller("s-90", Set.of(Role.PROJECT_LEAD), Set.of(), false, false));
    }
    return local.authenticate(credentials);
  };

  @BeforeEach
  void start() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appLog.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    appLog.start();
    root.addAppender(appLog);
    ((Logger) LoggerFactory.getLogger("no.followup")).setLevel(ch.qos.logback.classic.Level.DEBUG);

    intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    intake.createContext("/api/v1/events", exchange -> {
      intakeBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      intakeAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = (intakeStatus.get() == 202 ? "{\"eventId\":\"x\"}" : "{\"error\":\"invalid event\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(intakeStatus.get(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    intake.start();

    Instant meetingStart = NOW.minus(Duration.ofHours(3));
    model.putStatus(SECRET_PARTICIPANT, status(SECRET_PARTICIPANT, "0403", "s-12", NOW.minus(Duration.ofDays(30)))
        .setMeetings(List.of(meeting("m-1", meetingStart, MeetingState.SCHEDULED, null))).build());
    taskId = UUID.randomUUID();
    model.putTask(taskId.toString(), task(taskId, TaskKind.ATTENDANCE_NOT_RECORDED, SECRET_PARTICIPANT, "0403", "s-12", "m-1",
        meetingStart, NOW.minus(Duration.ofHours(1)), TaskState.OPEN));

    Clock clock = Clock.systemUTC();
    local = new LocalTokenAuthenticator(TOKEN, Duration.ofHours(1), clock);
    audit = new AuditLog(dir.resolve("audit.log"), clock);
    policy = new AccessPolicy();
    PendingMarks pending = new PendingMarks(clock, Duration.ofMinutes(10));
    views = new DashboardViews(model, policy, pending, clock, new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
    holder = new DashboardHttp[1];
    live = new LiveUpdates((u, v, f) -> holder[0].render(u, v, f), audit, Duration.ofMillis(50));
    model.addListener(live);
    actions = new TaskActions(model, policy, pending,
        new IntakeClient("http://127.0.0.1:" + intake.getAddress().getPort(), TOKEN, Duration.ofSeconds(5)), audit, clock,
        live::changed);
    // plain http on this machine, as in the local stack
    holder[0] = dashboard(false);
    server = holder[0].create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  private DashboardHttp dashboard(boolean cookieSecure) {
    return new DashboardHttp(projectLeadOrLocal, local, null, cookieSecure, policy, views, actions, audit, new Messages(), live,
        () -> true, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    server.stop();
    live.close();
    audit.close();
    intake.stop(0);
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appLog);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = request(path).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookie, String contentType, String body, String origin) throws Exception {
    HttpRequest.Builder b = request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String login() throws Exception {
    HttpResponse<String> r = post("/login", null, "application/x-www-form-urlencoded",
        "token=" + URLEncoder.encode(TOKEN.value(), StandardCharsets.UTF_8) + "&next=%2F%3Fview%3Dworklist", null);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).contains("/?view=worklist");
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").startsWith(DashboardHttp.SESSION_COOKIE + "=");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private List<JsonNode> auditLines() throws IOException {
    return Files.readAllLines(dir.resolve("audit.log")).stream().map(line -> {
      try {
        return Json.MAPPER.readTree(line);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void unauthenticatedRequestsAreRefused() throws Exception {
    for (String path : List.of("/api/v1/worklist", "/api/v1/overview", "/api/v1/tasks", "/api/v1/stream?view=worklist", "/api/v1/me")) {
      HttpResponse<String> r = get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(Json.MAPPER.readTree(r.body()).path("error").asText()).isEqualTo("authentication required");
    }
    assertThat(get("/api/v1/worklist", DashboardHttp.SESSION_COOKIE + "=forged").statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/tasks/" + taskId + "/done", null, "application/json", "{\"outcome\":\"ATTENDED\"}", null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> page = get("/?view=worklist&office=0403", null);
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(get("/login", null).body()).contains("name=\"token\"").contains("Lokal kode");
    assertThat(get("/login?lang=en", null).body()).contains("Local token");
    assertThat(intakeBodies).isEmpty();
  }

  /** Before sign-in anyone may post to /login: no body is read past the bound, however it is sent. */
  @Test
  void aBodyOverTheBoundIsRefusedWithoutBeingReadWholeHoweverItIsSent() throws Exception {
    byte[] tenMegabytes = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(tenMegabytes, (byte) 'a');
    HttpResponse<String> chunked = http.send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tenMegabytes))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("larger than " + DashboardHttp.MAX_REQUEST_BODY_BYTES + " bytes");

    HttpResponse<String> declared = post("/login", null, "application/x-www-form-urlencoded",
        "token=" + "a".repeat(DashboardHttp.MAX_REQUEST_BODY_BYTES), null);
    assertThat(declared.statusCode()).isEqualTo(413);

    HttpResponse<String> multipart = post("/login", null, "multipart/form-data; boundary=x",
        "--x\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc\r\n--x--\r\n", null);
    assertThat(multipart.statusCode()).isEqualTo(415);

    assertThat(login()).as("and the door still works").isNotBlank();
  }

  @Test
  void theLocalTokenSignsInForASessionAndWorksAsABearerToken() throws Exception {
    HttpResponse<String> wrong = post("/login", null, "application/x-www-form-urlencoded", "token=nope", null);
    assertThat(wrong.statusCode()).isEqualTo(303);
    assertThat(wrong.headers().firstValue("Location").orElseThrow()).startsWith("/login?error=1");
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    String cookie = login();
    assertThat(get("/api/v1/me", cookie).body()).contains("\"localMode\":true");
    String secondBrowser = login();
    assertThat(secondBrowser).isNotEqualTo(cookie);
    assertThat(get("/", cookie).body()).contains("/static/app.js");

    HttpRequest bearer = request("/api/v1/me").header("Authorization", "Bearer " + TOKEN.value()).build();
    assertThat(http.send(bearer, HttpResponse.BodyHandlers.ofString()).body()).contains("\"localMode\":true");
    HttpRequest wrongBearer = request("/api/v1/me").header("Authorization", "Bearer " + LocalToken.generate().value()).build();
    assertThat(http.send(wrongBearer, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void behindATlsTerminatingProxyTheSessionCookieIsSecure() throws Exception {
    // the request reaches the dashboard over plain http, as from a proxy that ended TLS
    assertThat(post("/login", null, "application/x-www-form-urlencoded", "token=" + TOKEN.value(), null)
        .headers().firstValue("Set-Cookie").orElseThrow()).as("COOKIE_SECURE=false").doesNotContain("Secure");

    Javalin behindProxy = dashboard(true).create().start("127.0.0.1", 0);
    try {
      HttpRequest login = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + behindProxy.port() + "/login")).timeout(TIMEOUT)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN.value())).build();
      assertThat(http.send(login, HttpResponse.BodyHandlers.ofString()).headers().firstValue("Set-Cookie").orElseThrow())
          .contains("HttpOnly").contains("SameSite=Strict").contains("; Secure");
      HttpRequest logout = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + behindProxy.port() + "/logout")).timeout(TIMEOUT)
          .header("Authorization", "Bearer " + TOKEN.value()).POST(HttpRequest.BodyPublishers.noBody()).build();
      assertThat(http.send(logout, HttpResponse.BodyHandlers.ofString()).headers().firstValue("Set-Cookie").orElseThrow())
          .contains("Max-Age=0").contains("; Secure");
    } finally {
      behindProxy.stop();
    }
  }

  @Test
  void afterSignInOnlyPathsOfThisSiteAreFollowed() throws Exception {
    // as the server reads them, that is after the query string was decoded once
    List<String> elsewhere = List.of("//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/ /evil.example",
        "https://evil.example", "evil.example", "javascript:alert(1)", "/%2F/evil.example", "/%5Cevil.example",
        "/%09/evil.example", "/%0a/evil.example", "/%E2%80%8B/evil", "/\u00a0/evil", "/%zz", "/login?next=//evil.example");
    for (String next : elsewhere) {
      assertThat(DashboardHttp.safeNext(next)).as(next).isEqualTo("/");
    }
    for (String next : List.of("/", "/?view=worklist&office=0403&coordinator=s-12", "/?view=tasks&lang=en", "/?q=a+b")) {
      assertThat(DashboardHttp.safeNext(next)).as(next).isEqualTo(next);
    }

    // through HTTP, encoded as a link to the sign-in would carry them
    for (String encoded : List.of("%2F%09%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example",
        "%2F%252F%252Fevil.example", "%2F%2509%2Fevil.example")) {
      HttpResponse<String> r = post("/login", null, "application/x-www-form-urlencoded",
          "token=" + TOKEN.value() + "&next=" + encoded, null);
      assertThat(r.statusCode()).as(encoded).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).as(encoded).contains("/");
      assertThat(get("/login?next=" + encoded, null).body()).as(encoded)
          .contains("name=\"next\" value=\"/\"").doesNotContain("evil.example");
    }
    HttpResponse<String> wrongToken = post("/login", null, "application/x-www-form-urlencoded", "token=nope&next=%2F%2Fevil.example", null);
    assertThat(wrongToken.headers().firstValue("Location").orElseThrow()).doesNotContain("evil");
    assertThat(post("/login", null, "application/x-www-form-urlencoded", "token=" + TOKEN.value() + "&next=%2F%3Fview%3Dtasks", null)
        .headers().firstValue("Location")).contains("/?view=tasks");
  }

  @Test
  void aParticipantLevelReadIsAuditedAndNeverReachesTheApplicationLog() throws Exception {
    String cookie = login();
    HttpResponse<String> r = get("/api/v1/worklist?office=0403", cookie);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("openTasks").get(0).path("participantId").asText()).isEqualTo(SECRET_PARTICIPANT);
    assertThat(body.path("missedNeedingFollowUp").get(0).path("reason").asText()).isEqualTo("ATTENDANCE_NOT_RECORDED");

    List<JsonNode> lines = auditLines();
    assertThat(lines).hasSize(1);
    JsonNode line = lines.get(0);
    assertThat(line.path("who").asText()).isEqualTo(Caller.LOCAL_ID);
    assertThat(line.path("action").asText()).isEqualTo("read");
    assertThat(line.path("view").asText()).isEqualTo("worklist");
    assertThat(line.path("channel").asText()).isEqualTo("api");
    assertThat(line.path("filters").path("office").asText()).isEqualTo("0403");
    assertThat(line.path("participantIds").toString()).contains(SECRET_PARTICIPANT);
    assertThat(Instant.parse(line.path("at").asText())).isBetween(NOW.minusSeconds(60), Instant.now());

    // an aggregate read is audited too, naming no participant
    assertThat(get("/api/v1/overview", cookie).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/review", cookie).statusCode()).isEqualTo(200);
    assertThat(auditLines()).hasSize(3);
    JsonNode aggregate = auditLines().get(1);
    assertThat(aggregate.path("action").asText()).isEqualTo("read-aggregate");
    assertThat(aggregate.path("view").asText()).isEqualTo("overview");
    assertThat(aggregate.path("count").asLong()).isPositive();
    assertThat(aggregate.has("suppressed")).isTrue();
    assertThat(aggregate.toString()).doesNotContain(SECRET_PARTICIPANT);
    // and a cohort's report, the other aggregate view
    assertThat(get("/api/v1/report?cohort=optimist", cookie).statusCode()).isEqualTo(200);
    assertThat(auditLines()).hasSize(4);
    assertThat(auditLines().get(3).path("action").asText()).isEqualTo("read-aggregate");
    assertThat(auditLines().get(3).path("view").asText()).isEqualTo("report");
    assertThat(auditLines().get(3).path("filters").path("cohort").asText()).isEqualTo("optimist");
    assertThat(post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}", null).statusCode())
        .isEqualTo(202);

    assertThat(appLog.list).isNotEmpty();
    for (ILoggingEvent event : appLog.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(SECRET_PARTICIPANT);
    }
  }

  @Test
  void markingATaskDonePublishesTheEventThroughTheIntake() throws Exception {
    String cookie = login();
    HttpResponse<String> wrongOutcome = post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json",
        "{\"outcome\":\"REACHED\"}", null);
    assertThat(wrongOutcome.statusCode()).isEqualTo(400);
    assertThat(wrongOutcome.body()).contains("ATTENDED").contains("MISSED");
    assertThat(post("/api/v1/tasks/no-such-task/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}", null)
        .statusCode()).isEqualTo(404);

    HttpResponse<String> r = post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}", null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(Json.MAPPER.readTree(r.body()).path("status").asText()).isEqualTo("MARKED_WAITING_FOR_CONFIRMATION");
    assertThat(intakeBodies).hasSize(1);
    assertThat(intakeAuthorizations).containsExactly("Bearer " + TOKEN.value());
    JsonNode event = Json.MAPPER.readTree(intakeBodies.get(0));
    assertThat(event.path("type").asText()).isEqualTo("MeetingAttended");
    assertThat(event.path("payload").path("meetingId").asText()).isEqualTo("m-1");
    assertThat(event.path("participantId").asText()).isEqualTo(SECRET_PARTICIPANT);
    assertThat(event.path("officeId").asText()).isEqualTo("0403");
    assertThat(event.path("actor").path("staffId").asText()).isEqualTo("local");
    assertThat(event.path("actor").path("role").asText()).isEqualTo("ACTIVITY_COORDINATOR");
    assertThat(UUID.fromString(event.path("eventId").asText())).isNotNull();
    assertThat(Instant.parse(event.path("occurredAt").asText())).isEqualTo(model.task(taskId.toString()).getMeetingStartsAt());

    // waiting for confirmation: out of the open list, a second mark is refused
    JsonNode worklist = Json.MAPPER.readTree(get("/api/v1/worklist", cookie).body());
    assertThat(worklist.path("openTasks")).isEmpty();
    assertThat(worklist.path("awaitingConfirmation").get(0).path("pending").path("outcome").asText()).isEqualTo("ATTENDED");
    assertThat(post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"MISSED\"}", null).statusCode())
        .isEqualTo(409);
    assertThat(auditLines()).anySatisfy(l -> {
      assertThat(l.path("action").asText()).isEqualTo("mark-task-done");
      assertThat(l.path("participantId").asText()).isEqualTo(SECRET_PARTICIPANT);
    });
  }

  @Test
  void aTaskMarkThatCannotBeAuditedIsNotSentAndLeavesTheTaskOpen() throws Exception {
    String cookie = login();
    audit.close(); // as a full disk would: every write fails

    HttpResponse<String> r = post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}", null);

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(intakeBodies).isEmpty();
    assertThat(views.worklist(Caller.localUser(), Filters.NONE).openTasks()).as("not waiting for confirmation").hasSize(1);
  }

  @Test
  void anEventTheIntakeRefusesLeavesTheTaskOpen() throws Exception {
    String cookie = login();
    intakeStatus.set(400);
    HttpResponse<String> r = post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"MISSED\"}", null);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Json.MAPPER.readTree(r.body()).path("intakeStatus").asInt()).isEqualTo(400);
    JsonNode worklist = Json.MAPPER.readTree(get("/api/v1/worklist", cookie).body());
    assertThat(worklist.path("openTasks").get(0).path("taskId").asText()).isEqualTo(taskId.toString());
  }

  @Test
  void crossOriginWritesAreRefused() throws Exception {
    String cookie = login();
    HttpResponse<String> r = post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}",
        "https://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(intakeBodies).isEmpty();
    assertThat(post("/api/v1/tasks/" + taskId + "/done", cookie, "application/json", "{\"outcome\":\"ATTENDED\"}", base)
        .statusCode()).isEqualTo(202);
  }

  @Test
  void aProjectLeadGetsAggregatesOnly() throws Exception {
    HttpRequest overview = request("/api/v1/overview").header("Authorization", "Bearer project-lead").build();
    HttpResponse<String> r = http.send(overview, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(r.body()).path("participants").asLong()).isEqualTo(1);
    assertThat(r.body()).doesNotContain(SECRET_PARTICIPANT);
    for (String path : List.of("/api/v1/worklist", "/api/v1/review", "/api/v1/tasks")) {
      HttpRequest req = request(path).header("Authorization", "Bearer project-lead").build();
      assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(403);
    }
    HttpRequest mark = request("/api/v1/tasks/" + taskId + "/done")
        .header("Authorization", "Bearer project-lead").POST(HttpRequest.BodyPublishers.ofString("{\"outcome\":\"ATTENDED\"}")).build();
    assertThat(http.send(mark, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  @Test
  void theStreamSendsTheViewAndItsChangesAndAuditsThem() throws Exception {
    String cookie = login();
    try (EventStream stream = openStream("/api/v1/stream?view=worklist", cookie)) {
      JsonNode first = stream.nextEvent("view", TIMEOUT);
      assertThat(first.path("view").asText()).isEqualTo("worklist");
      assertThat(first.path("data").path("openTasks")).hasSize(1);

      model.putTask(taskId.toString(), task(taskId, TaskKind.ATTENDANCE_NOT_RECORDED, SECRET_PARTICIPANT, "0403", "s-12", "m-1",
          NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1)), TaskState.DONE));
      model.publishChanges();
      JsonNode second = stream.nextEvent("view", TIMEOUT);
      assertThat(second.path("data").path("openTasks")).isEmpty();
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(auditLines()).filteredOn(l -> l.path("channel").asText().equals("stream")).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void oneCallerHoldsAtMostAFewLivePagesAtOnce() throws Exception {
    String cookie = login();
    List<EventStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < LiveUpdates.MAX_STREAMS_PER_CALLER; i++) {
        EventStream stream = openStream("/api/v1/stream?view=worklist", cookie);
        open.add(stream);
        assertThat(stream.nextEvent("view", TIMEOUT).path("view").asText()).isEqualTo("worklist");
      }
      try (EventStream oneTooMany = openStream("/api/v1/stream?view=worklist", cookie)) {
        JsonNode refusal = oneTooMany.nextEvent("failure", TIMEOUT);
        assertThat(refusal.path("error").asText()).contains("at most " + LiveUpdates.MAX_STREAMS_PER_CALLER + " live pages");
        assertThat(refusal.path("limit").asBoolean()).as("the page is told not to reconnect").isTrue();
      }
    } finally {
      for (EventStream stream : open) {
        stream.close();
      }
    }
  }

  @Test
  void aStreamEndsWhenItsSessionIsLoggedOut() throws Exception {
    String cookie = login();
    try (EventStream stream = openStream("/api/v1/stream?view=worklist", cookie)) {
      assertThat(stream.nextEvent("view", TIMEOUT).path("view").asText()).isEqualTo("worklist");

      HttpRequest logout = request("/logout").header("Cookie", cookie)
          .header("Origin", base).POST(HttpRequest.BodyPublishers.noBody()).build();
      http.send(logout, HttpResponse.BodyHandlers.discarding());
      model.putTask(taskId.toString(), task(taskId, TaskKind.ATTENDANCE_NOT_RECORDED, SECRET_PARTICIPANT, "0403", "s-12", "m-1",
          NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1)), TaskState.DONE));
      model.publishChanges();

      // the next push finds the session gone: a failure event, then the stream ends, with no further view
      List<String> rest = stream.linesUntilEnd(TIMEOUT);
      assertThat(rest).doesNotContain("event: view").contains("event: failure");
    }
  }

  @Test
  void aFilterOfTheWrongShapeIsRefusedNamingTheParameterAndNeverReachesTheAuditOrTheLog() throws Exception {
    String cookie = login();
    String identityNumber = "01019912345";
    Map<String, String> bad = Map.of("office", identityNumber, "coordinator", "Kari Nordmann", "cohort", identityNumber);
    for (Map.Entry<String, String> filter : bad.entrySet()) {
      String query = filter.getKey() + "=" + URLEncoder.encode(filter.getValue(), StandardCharsets.UTF_8);
      HttpResponse<String> read = get("/api/v1/worklist?" + query, cookie);
      assertThat(read.statusCode()).as(query).isEqualTo(400);
      assertThat(read.body()).as(query).contains(filter.getKey() + " must be ").doesNotContain(filter.getValue());

      // a stream answers with a failure event the page shows (a browser's EventSource cannot read a 400), then ends
      try (EventStream stream = openStream("/api/v1/stream?view=worklist&" + query, cookie)) {
        List<String> lines = stream.linesUntilEnd(TIMEOUT);
        assertThat(lines).as(query).contains("event: failure").noneMatch(line -> line.startsWith("event: view"));
        assertThat(String.join("\n", lines)).as(query).contains(filter.getKey() + " must be ").doesNotContain(filter.getValue());
      }
    }
    assertThat(live.connections()).isZero();
    Path auditFile = dir.resolve("audit.log");
    String audited = Files.exists(auditFile) ? Files.readString(auditFile) : "";
    assertThat(audited).doesNotContain(identityNumber).doesNotContain("Kari");
    assertThat(appLog.list).allSatisfy(event ->
        assertThat(event.getFormattedMessage()).doesNotContain(identityNumber).doesNotContain("Kari"));
  }

  private EventStream openStream(String path, String cookie) throws Exception {
    HttpRequest request = request(path).header("Cookie", cookie).header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return new EventStream(response.body());
  }
}
