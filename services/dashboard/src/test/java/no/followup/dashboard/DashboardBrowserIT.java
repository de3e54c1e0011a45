package no.followup.dashboard;

import static no.followup.dashboard.LiveBrowser.OSLO;
import static no.followup.dashboard.LiveBrowser.SLOW;
import static no.followup.dashboard.LiveBrowser.assertMarked;
import static no.followup.dashboard.LiveBrowser.assumeChromium;
import static no.followup.dashboard.LiveBrowser.awaitLive;
import static no.followup.dashboard.LiveBrowser.chrome;
import static no.followup.dashboard.LiveBrowser.clickWhenPresent;
import static no.followup.dashboard.LiveBrowser.latestNoonInOslo;
import static no.followup.dashboard.LiveBrowser.mark;
import static no.followup.dashboard.LiveBrowser.quitAndClose;
import static no.followup.dashboard.LiveBrowser.startRegistry;
import static no.followup.dashboard.LiveBrowser.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
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
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.delivery.DeliveryApp;
import no.followup.delivery.DeliveryConfig;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.reminders.ReminderRules;
import no.followup.reminders.RemindersApp;
import no.followup.reminders.RemindersConfig;
import no.followup.status.StatusApp;
import no.followup.status.StatusConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * The whole pipeline in this JVM (broker, registry, intake, status, reminders, delivery, dashboard)
 * driven through a real headless Chromium: events published through the intake API show up on
 * open pages without a reload, a task is marked done from the page, and unauthenticated requests
 * are refused.
 */
class DashboardBrowserIT {

  static final String OFFICE = "0403";
  static final String COORDINATOR = "s-12";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;
  static IntakeApp intake;
  static StatusApp status;
  static RemindersApp reminders;
  static DeliveryApp delivery;
  static DashboardApp dashboard;
  static WebDriver driver;
  /** The dashboard's clock; events are timed from it. See {@link LiveBrowser#latestNoonInOslo}. */
  static Clock clock;
  static String base;
  static String intakeUrl;
  static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  /** One token for the whole setup, as in the local stack: the sign-in page, the intake, the status API. */
  static final LocalToken TOKEN = LocalToken.generate();

  @BeforeAll
  static void up() throws Exception {
    assumeChromium("the browser test");
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      new TopicProvisioner(1, (short) 1).ensure(admin, Topics.ALL);
    }
    registry = startRegistry(bootstrap);
    intake = IntakeApp.start(IntakeConfig.defaults(bootstrap, registry.url()).withPort(0).withTopics(true, 1, (short) 1)
        .withSignIn(SignIn.local(TOKEN)));
    intakeUrl = "http://127.0.0.1:" + intake.port();
    status = StatusApp.start(StatusConfig.defaults(bootstrap, registry.url()).withStateDir(dir.resolve("status"))
        .withHttp("127.0.0.1", 0).withTopics(1, (short) 1).withSignIn(SignIn.local(TOKEN)));
    // a short grace period, so a meeting a quarter of an hour ago is already overdue for attendance
    reminders = RemindersApp.start(RemindersConfig.defaults(bootstrap, registry.url(), dir.resolve("reminders"))
        .withTopicPartitions(1)
        .withRules(ReminderRules.defaults().withGracePeriod(Duration.ofMinutes(10)).withMissesBeforeHomeVisit(5)));
    delivery = DeliveryApp.start(DeliveryConfig.defaults(bootstrap, registry.url(), dir.resolve("delivery")));
    clock = latestNoonInOslo(Clock.systemUTC());
    dashboard = DashboardApp.start(DashboardConfig.defaults(bootstrap, registry.url(), intakeUrl, dir.resolve("dashboard"))
        .withHttp("127.0.0.1", 0).withTopics(true, 1, (short) 1).withClock(clock)
        // plain http on this machine: a Secure cookie would not come back
        .withSignIn(DashboardSignIn.local(TOKEN, false)));
    base = "http://127.0.0.1:" + dashboard.port();
    driver = chrome(dir.resolve("chrome-profile"));
  }

  @AfterAll
  static void down() {
    quitAndClose(driver, dashboard, delivery, reminders, status, intake, registry, broker);
  }


  @Test
  void eventsShowUpLiveOnTheOpenPageAndATaskIsMarkedDoneFromIt() throws Exception {
    // unauthenticated requests are refused
    assertThat(get("/api/v1/overview", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/stream?view=worklist", null).statusCode()).isEqualTo(401);
    assertThat(get("/?view=overview", null).statusCode()).isEqualTo(302);

    // sign in with the local token
    driver.get(base + "/login?next=" + URLEncoder.encode("/?view=overview", StandardCharsets.UTF_8));
    driver.findElement(By.id("token")).sendKeys(TOKEN.value());
    driver.findElement(By.id("login-submit")).click();
    awaitLive(driver);
    assertThat(driver.getCurrentUrl()).contains("view=overview");
    assertThat(driver.findElement(By.id("local-mode")).isDisplayed()).isTrue();
    String session = "followup_session=" + driver.manage().getCookieNamed("followup_session").getValue();
    Cookie cookie = driver.manage().getCookieNamed("followup_session");
    assertThat(cookie.isHttpOnly()).isTrue();
    String overviewTab = driver.getWindowHandle();

    // warm the whole chain up (first records pay for schema lookups, producers and transactions)
    publish(enrol("p-warm"), scheduled("p-warm", "m-warm", clock.instant().minus(Duration.ofMinutes(15))));
    await().atMost(SLOW).untilAsserted(() -> assertThat(text("#participants-count .card-value")).isEqualTo("1"));
    await().atMost(SLOW).untilAsserted(() -> assertThat(openTasks("p-warm")).hasSize(1));

    // a second tab with the coordinator's work list; both pages are marked to prove they never reload
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get(base + "/?view=worklist&office=" + OFFICE + "&coordinator=" + COORDINATOR);
    awaitLive(driver);
    String worklistTab = driver.getWindowHandle();
    mark(driver, "worklist-page");
    driver.switchTo().window(overviewTab);
    mark(driver, "overview-page");
    assertThat(count("situation-table", "JOB_OR_APPRENTICESHIP")).isEqualTo("0");

    // enrol, a meeting today, a job started: the tally and "meetings today" change live
    Instant inAnHour = clock.instant().plus(Duration.ofHours(1)); // after 13:00 in Oslo: today for hours yet
    publish(enrol("p-a"), scheduled("p-a", "m-today", inAnHour), jobStarted("p-a"));
    long published = System.nanoTime();
    within(published, () -> "1".equals(count("situation-table", "JOB_OR_APPRENTICESHIP")));
    within(published, () -> "2".equals(text("#participants-count .card-value")));
    driver.switchTo().window(worklistTab);
    within(published, () -> !driver.findElements(By.cssSelector("#meetings-today tr[data-participant='p-a']")).isEmpty());
    assertThat(text("#meetings-today tr[data-participant='p-a'] .state")).isEqualTo("Avtalt");
    assertMarked(driver, "worklist-page");

    // a meeting a quarter of an hour ago without attendance: a task to record it appears live
    publish(enrol("p-b"), scheduled("p-b", "m-overdue", clock.instant().minus(Duration.ofMinutes(15))));
    published = System.nanoTime();
    within(published, () -> !driver.findElements(taskRow("p-b", "ATTENDANCE_NOT_RECORDED")).isEmpty());
    // a missed meeting: a reach-out task appears live, and the participant is on the missed list
    publish(enrol("p-c"), scheduled("p-c", "m-missed", clock.instant().minus(Duration.ofMinutes(2))), missed("p-c", "m-missed"));
    published = System.nanoTime();
    within(published, () -> !driver.findElements(taskRow("p-c", "REACH_OUT_AFTER_MISS")).isEmpty());
    assertThat(driver.findElements(By.cssSelector("#missed tr[data-participant='p-c']"))).isNotEmpty();
    assertMarked(driver, "worklist-page");

    // mark the attendance task done from the page: the event goes through the intake, the task leaves the open list
    String taskId = taskIdOf("p-b", "ATTENDANCE_NOT_RECORDED");
    clickWhenPresent(driver, By.cssSelector("#open-tasks tr[data-task-id='" + taskId + "'] button[data-outcome='ATTENDED']"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(driver.findElement(By.id("action-status")).getAttribute("data-result")).isEqualTo("marked"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(driver.findElements(By.cssSelector("#open-tasks tr[data-task-id='" + taskId + "']"))).isEmpty());
    // confirmed by the pipeline: reminders resolves the task, delivery marks it DONE, the page drops it
    await().atMost(SLOW).untilAsserted(() -> {
      assertThat(driver.findElements(By.cssSelector("#awaiting-confirmation tr[data-task-id='" + taskId + "']"))).isEmpty();
      assertThat(taskState(session, taskId)).isEqualTo("DONE");
    });
    // the reach-out task: a phone call that reached the participant
    String reachOut = taskIdOf("p-c", "REACH_OUT_AFTER_MISS");
    clickWhenPresent(driver, By.cssSelector("#open-tasks tr[data-task-id='" + reachOut + "'] button[data-outcome='REACHED']"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(driver.findElements(By.cssSelector("#open-tasks tr[data-task-id='" + reachOut + "']"))).isEmpty());
    // the ContactMade it published resolves the reach-out in the reminders service: DONE on the tasks topic
    await().atMost(SLOW).untilAsserted(() -> assertThat(taskState(session, reachOut)).isEqualTo("DONE"));
    assertMarked(driver, "worklist-page");
    driver.switchTo().window(overviewTab);
    assertMarked(driver, "overview-page");

    // the cohort is defined by an event: the overview shows its goal, and its printable report its tables
    publish(cohortDefined());
    published = System.nanoTime();
    within(published, () -> text("#outcome-table tr[data-key='it-cohort'] .goal").contains("60"));
    assertThat(text("#outcome-table tr[data-key='it-cohort'] th")).contains("IT-prosjektet");
    driver.findElement(By.cssSelector("#outcome-table tr[data-key='it-cohort'] a.report-link")).click();
    awaitLive(driver);
    assertThat(driver.getCurrentUrl()).contains("view=report").contains("cohort=it-cohort");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(text("#report-title")).contains("IT-prosjektet (it-cohort)");
      assertThat(text("#report-groups tr[data-key='YOUTH_UNDER_30'] .taken-in")).isEqualTo("4");
      assertThat(text("#report-groups tr[data-key='ALL'] .reached")).isEqualTo("0");
      assertThat(text("#report-groups tr[data-key='ALL'] .goal")).contains("60");
      assertThat(count("report-situations", "JOB_OR_APPRENTICESHIP")).isEqualTo("1");
    });
    assertThat(driver.findElement(By.id("report-print")).isDisplayed()).isTrue();

    // the session cookie is the only way in: without it the API refuses
    assertThat(get("/api/v1/worklist", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/worklist", session).statusCode()).isEqualTo(200);
    // every participant-level read went to the audit log
    assertThat(Files.readString(dir.resolve("dashboard").resolve("audit.log"))).contains("\"view\":\"worklist\"").contains("p-b");
  }

  // ---- events --------------------------------------------------------------------------------------

  @Test
  void aSecondInstanceBesideTheFirstTakesTheSameSessionCookieAndShowsTheSameRows() throws Exception {
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(TOKEN.value(), StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    publish(enrol("p-on-both"));
    // its own state directory, as every instance needs; behind a load balancer either may answer
    try (DashboardApp second = DashboardApp.start(DashboardConfig.defaults(broker.bootstrapServers(), registry.url(), intakeUrl,
        dir.resolve("dashboard-2")).withHttp("127.0.0.1", 0).withTopics(false, 1, (short) 1).withClock(clock)
        .withSignIn(DashboardSignIn.local(TOKEN, false)))) {
      for (String instance : List.of(base, "http://127.0.0.1:" + second.port())) {
        await().atMost(SLOW).untilAsserted(() -> {
          HttpResponse<String> review = http.send(HttpRequest.newBuilder(URI.create(instance + "/api/v1/review"))
              .timeout(Duration.ofSeconds(10)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
          assertThat(review.statusCode()).as(instance).isEqualTo(200);
          assertThat(review.body()).contains("\"p-on-both\"");
        });
      }
    }
  }

  private static ObjectNode event(String participantId, String type, Instant occurredAt) {
    ObjectNode e = JSON.createObjectNode();
    e.put("eventId", UUID.randomUUID().toString());
    e.put("participantId", participantId);
    e.put("officeId", OFFICE);
    e.put("cohortId", "it-cohort");
    e.putObject("actor").put("role", "ACTIVITY_COORDINATOR").put("staffId", COORDINATOR);
    e.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
    e.put("type", type);
    e.putObject("payload");
    return e;
  }

  private static ObjectNode cohortDefined() {
    ObjectNode e = event("cohort:it-cohort", "CohortDefined", clock.instant().minus(Duration.ofDays(2)));
    LocalDate today = LocalDate.ofInstant(clock.instant(), OSLO);
    ObjectNode payload = (ObjectNode) e.get("payload");
    payload.put("name", "IT-prosjektet").put("periodStart", today.minusDays(30).toString())
        .put("periodEnd", today.plusDays(365).toString()).put("workOrEducationGoal", 0.6);
    payload.putArray("offices").add(OFFICE);
    payload.putArray("targetGroups").add("YOUTH_UNDER_30");
    payload.putArray("reportingDates").add(today.plusDays(365).toString());
    ((ObjectNode) e.get("actor")).put("role", "PROJECT_LEAD");
    return e;
  }

  private static ObjectNode enrol(String participantId) {
    ObjectNode e = event(participantId, "ParticipantEnrolled", clock.instant().minus(Duration.ofDays(1)));
    ((ObjectNode) e.get("payload")).put("coordinatorId", COORDINATOR).putArray("targetGroups").add("YOUTH_UNDER_30");
    return e;
  }

  private static ObjectNode scheduled(String participantId, String meetingId, Instant startsAt) {
    ObjectNode e = event(participantId, "MeetingScheduled", clock.instant().minus(Duration.ofHours(20)));
    ((ObjectNode) e.get("payload")).put("meetingId", meetingId).put("startsAt", startsAt.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("kind", "OFFICE");
    return e;
  }

  private static ObjectNode jobStarted(String participantId) {
    ObjectNode e = event(participantId, "JobStarted", clock.instant().minus(Duration.ofMinutes(5)));
    ((ObjectNode) e.get("payload")).put("kind", "ORDINARY");
    return e;
  }

  private static ObjectNode missed(String participantId, String meetingId) {
    ObjectNode e = event(participantId, "MeetingMissed", clock.instant().minus(Duration.ofMinutes(1)));
    ((ObjectNode) e.get("payload")).put("meetingId", meetingId);
    return e;
  }

  private static void publish(ObjectNode... events) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("events");
    for (ObjectNode e : events) {
      list.add(e);
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(intakeUrl + "/api/v1/events/batch"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TOKEN.value())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  // ---- page and API --------------------------------------------------------------------------------

  private static HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (path.startsWith("/api/v1/stream")) {
      b.header("Accept", "text/event-stream");
      // the stream stays open when authenticated, and the request timeout covers only the wait for
      // the status line: take it and hang up instead of reading a body that never ends
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      r.body().close();
      return new StatusOnly(r);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> openTasks(String participantId) throws Exception {
    String cookie = "followup_session=" + driver.manage().getCookieNamed("followup_session").getValue();
    JsonNode tasks = JSON.readTree(get("/api/v1/tasks", cookie).body()).path("tasks");
    return java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
        .filter(t -> participantId.equals(t.path("participantId").asText())).toList();
  }

  private static String taskState(String cookie, String taskId) throws Exception {
    JsonNode tasks = JSON.readTree(get("/api/v1/tasks?state=all", cookie).body()).path("tasks");
    for (JsonNode t : tasks) {
      if (taskId.equals(t.path("taskId").asText())) {
        return t.path("state").asText();
      }
    }
    return "ABSENT";
  }

  /** The task id of an open task row, read in one step in the page (see {@link #text}). */
  private static String taskIdOf(String participantId, String kind) {
    Object id = ((JavascriptExecutor) driver).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute('data-task-id') : null;",
        "#open-tasks tr[data-participant='" + participantId + "'][data-kind='" + kind + "']");
    assertThat(id).as("open task of " + participantId + " of kind " + kind).isNotNull();
    return id.toString();
  }

  private static By taskRow(String participantId, String kind) {
    return By.cssSelector("#open-tasks tr[data-participant='" + participantId + "'][data-kind='" + kind + "']");
  }

  /**
   * Reads an element's text in one step in the page: live updates re-render sections, so an element
   * found first and read afterwards can already have been replaced (a stale element).
   */
  private static String text(String css) {
    Object text = ((JavascriptExecutor) driver).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    if (text == null) {
      throw new AssertionError("no element " + css);
    }
    return text.toString().trim();
  }

  private static String count(String table, String key) {
    return text("#" + table + " tr[data-key='" + key + "'] td.count");
  }

  /** An HttpResponse whose body was not read (an event stream). */
  private record StatusOnly(HttpResponse<InputStream> response) implements HttpResponse<String> {
    @Override public int statusCode() { return response.statusCode(); }
    @Override public HttpRequest request() { return response.request(); }
    @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
    @Override public java.net.http.HttpHeaders headers() { return response.headers(); }
    @Override public String body() { return ""; }
    @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return response.sslSession(); }
    @Override public URI uri() { return response.uri(); }
    @Override public HttpClient.Version version() { return response.version(); }
  }
}
