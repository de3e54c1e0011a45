package no.followup.dashboard;

import static no.followup.dashboard.LiveBrowser.SLOW;
import static no.followup.dashboard.LiveBrowser.OSLO;
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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.ClientCredentials;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.SignIn;
import no.followup.common.auth.TestIssuer;
import no.followup.delivery.DeliveryApp;
import no.followup.delivery.DeliveryConfig;
import no.followup.events.FollowUpEvent;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.reminders.ReminderRules;
import no.followup.reminders.RemindersApp;
import no.followup.reminders.RemindersConfig;
import no.followup.status.StatusApp;
import no.followup.status.StatusConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The participant page and its forms in a real headless Chromium, over the whole pipeline in this
 * JVM (one stack for the class): what a coordinator records on the page goes through the intake and
 * comes back live on this page and on the other views, never by a reload; an invalid form shows the
 * intake's error beside its field and writes nothing; a form sent twice is one event on the topic;
 * and a coordinator signed in with their own token cannot open another coordinator's participant.
 */
class ParticipantFormsBrowserIT {

  static final String OFFICE = "0403";
  static final String COORDINATOR = "s-12";
  static final String OTHER_COORDINATOR = "s-13";
  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter LOCAL_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;
  static IntakeApp intake;
  static StatusApp status;
  static RemindersApp reminders;
  static DeliveryApp delivery;
  static DashboardApp dashboard;
  static TestIssuer issuer;
  /** The same topics read by a dashboard whose people sign in with OIDC access tokens. */
  static DashboardApp oidcDashboard;
  static WebDriver driver;
  static Clock clock;
  static String base;
  static String intakeUrl;
  static final HttpClient http = HttpClient.newHttpClient();
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
    reminders = RemindersApp.start(RemindersConfig.defaults(bootstrap, registry.url(), dir.resolve("reminders"))
        .withTopicPartitions(1)
        .withRules(ReminderRules.defaults().withGracePeriod(Duration.ofMinutes(10)).withMissesBeforeHomeVisit(5)));
    delivery = DeliveryApp.start(DeliveryConfig.defaults(bootstrap, registry.url(), dir.resolve("delivery")));
    clock = latestNoonInOslo(Clock.systemUTC());
    DashboardConfig.StatusService statusApi = new DashboardConfig.StatusService("http://127.0.0.1:" + status.port(), "");
    dashboard = DashboardApp.start(DashboardConfig.defaults(bootstrap, registry.url(), intakeUrl, dir.resolve("dashboard"))
        .withHttp("127.0.0.1", 0).withTopics(true, 1, (short) 1).withClock(clock).withStatus(statusApi)
        .withSignIn(DashboardSignIn.local(TOKEN, false)));
    base = "http://127.0.0.1:" + dashboard.port();

    issuer = TestIssuer.start();
    issuer.registerClient("followup-dashboard-client", "dashboard-secret", "followup-intake");
    oidcDashboard = DashboardApp.start(DashboardConfig.defaults(bootstrap, registry.url(), intakeUrl, dir.resolve("oidc-dashboard"))
        .withHttp("127.0.0.1", 0).withTopics(false, 1, (short) 1).withClock(clock).withStatus(statusApi)
        .withSignIn(DashboardSignIn.oidc(OidcSettings.of(issuer.issuer(), "followup-dashboard"), null,
            new ClientCredentials.Settings(issuer.issuer(), "followup-dashboard-client", "dashboard-secret", ""))));

    driver = chrome(dir.resolve("chrome-profile"));
    signIn();
    // warm the chain up (first records pay for schema lookups, producers and transactions)
    publish(enrol("p-warm", COORDINATOR));
    openParticipant("p-warm");
  }

  @AfterAll
  static void down() {
    quitAndClose(driver, oidcDashboard, dashboard, delivery, reminders, status, intake, registry, broker, issuer);
  }


  @Test
  void aMeetingScheduledOnThePageAppearsInMeetingsTodayWithoutAReload() throws Exception {
    publish(enrol("p-f1", COORDINATOR));
    openParticipant("p-f1");
    // the work list in its own tab, marked to prove it never reloads
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get(base + "/?view=worklist&office=" + OFFICE);
    awaitLive(driver);
    String worklist = driver.getWindowHandle();
    mark(driver, "worklist-page");
    // the participant page, reached from the row of the monthly review
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get(base + "/?view=review");
    awaitLive(driver);
    clickWhenPresent(driver, By.cssSelector("#review-table tr[data-participant='p-f1'] td.participant a"));
    await().atMost(SLOW).ignoreExceptions().until(() -> driver.getCurrentUrl().contains("/participants/p-f1"));
    awaitSummary();
    mark(driver, "participant-page");

    openForm("MeetingScheduled");
    String startsAt = local(clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES));
    setValue("#field-payload-startsAt", startsAt);
    setValue("#field-payload-kind", "HOME_VISIT");
    String meetingId = value("#field-payload-meetingId");
    assertThat(meetingId).startsWith("m-");
    click("#form-submit");
    awaitRecorded();
    long recorded = System.nanoTime();

    within(recorded, () -> exists("#upcoming-meetings tr[data-meeting='" + meetingId + "']"));
    within(recorded, () -> exists("#timeline li[data-type='MeetingScheduled']"));
    assertThat(text("#timeline li[data-type='MeetingScheduled'] .event-details")).contains("Hjemmebesøk");
    assertMarked(driver, "participant-page");
    driver.switchTo().window(worklist);
    within(recorded, () -> exists("#meetings-today tr[data-participant='p-f1'][data-meeting='" + meetingId + "']"));
    // shown at the hour entered, in Oslo
    assertThat(text("#meetings-today tr[data-meeting='" + meetingId + "'] .time").replace('.', ':')).isEqualTo(startsAt.substring(11));
    assertMarked(driver, "worklist-page");
    closeOtherTabs(worklist);
  }

  @Test
  void aMissRecordedOnThePageBringsTheReachOutTask() throws Exception {
    // a few minutes ago for the reminders service, whose timers run on the system clock: its grace
    // period has not passed, so the miss recorded below is what decides the follow-up
    publish(enrol("p-f2", COORDINATOR), scheduled("p-f2", "m-f2", Instant.now().minus(Duration.ofMinutes(3))));
    openParticipant("p-f2");
    // reached by the search on the pseudonymous id
    driver.get(base + "/?view=worklist");
    awaitLive(driver);
    driver.findElement(By.id("search-id")).sendKeys("p-f2");
    driver.findElement(By.id("search-submit")).click();
    await().atMost(SLOW).ignoreExceptions().until(() -> driver.getCurrentUrl().contains("/participants/p-f2"));
    awaitSummary();
    await().atMost(SLOW).ignoreExceptions().until(() -> exists("#timeline li[data-type='MeetingScheduled']"));
    mark(driver, "participant-page");

    openForm("MeetingMissed");
    setValue("#field-payload-meetingId", "m-f2");
    click("#form-submit");
    awaitRecorded();
    long recorded = System.nanoTime();

    within(recorded, () -> exists("#participant-tasks tr[data-kind='REACH_OUT_AFTER_MISS']"));
    within(recorded, () -> exists("#timeline li[data-type='MeetingMissed']"));
    assertThat(text("#summary-meetings dd")).startsWith("0 / 1 / 1");
    assertMarked(driver, "participant-page");
  }

  @Test
  void aScoreRecordedOnThePageChangesTheOverviewsCoopFigures() throws Exception {
    ObjectNode first = event("p-f3", "FunctionScoreRecorded", clock.instant().minus(Duration.ofDays(60)));
    for (String chart : CHARTS) {
      ((ObjectNode) first.get("payload")).put(chart, 4);
    }
    publish(enrol("p-f3", COORDINATOR), first);
    openParticipant("p-f3");
    await().atMost(SLOW).ignoreExceptions().until(() -> exists("#score-table tbody tr"));
    String participantPage = driver.getWindowHandle();
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get(base + "/?view=overview");
    awaitLive(driver);
    String overview = driver.getWindowHandle();
    mark(driver, "overview-page");
    long improvedBefore = Long.parseLong(text("#coop-change tr[data-key='coopImproved'] td.count"));
    driver.switchTo().window(participantPage);

    openForm("FunctionScoreRecorded");
    assertThat(text("#event-form")).contains("5 er verst").contains("Hvor mye kroppslige smerter");
    for (String chart : CHARTS) {
      click("#field-payload-" + chart + "-2"); // each chart's radio "2"
    }
    click("#form-submit");
    awaitRecorded();
    long recorded = System.nanoTime();

    within(recorded, () -> ((Number) ((JavascriptExecutor) driver).executeScript(
        "return document.querySelectorAll('#score-table tbody tr').length;")).intValue() == 2);
    assertThat(text("#score-table tbody tr:last-child .average")).isEqualTo("2");
    assertThat(driver.findElements(By.cssSelector("#section-coop svg .score-point"))).hasSize(2);
    driver.switchTo().window(overview);
    within(recorded, () -> Long.parseLong(text("#coop-change tr[data-key='coopImproved'] td.count")) == improvedBefore + 1);
    assertMarked(driver, "overview-page");
    closeOtherTabs(overview);
  }

  @Test
  void anInvalidFormShowsTheIntakesErrorBesideTheFieldAndWritesNothing() throws Exception {
    publish(enrol("p-f4", COORDINATOR));
    openParticipant("p-f4");

    openForm("MeetingScheduled");
    String eventId = attribute("#event-form", "data-event-id");
    setValue("#field-payload-kind", "OFFICE"); // no time
    click("#form-submit");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(attribute("#action-status", "data-result")).isEqualTo("failed"));
    assertThat(text("#error-field-payload-startsAt")).startsWith("✗").isNotEqualTo("✗");
    assertThat(attribute("#field-payload-startsAt", "aria-invalid")).isEqualTo("true");
    assertThat(text("#error-field-payload-kind")).isEmpty();
    // the form stays open for the correction, with the same eventId; nothing reached the topic
    assertThat(attribute("#event-form", "data-event-id")).isEqualTo(eventId);
    assertThat(eventsWithId(eventId)).isZero();
  }

  @Test
  void aFormSentTwiceIsOneEventOnTheTopic() throws Exception {
    publish(enrol("p-f5", COORDINATOR));
    openParticipant("p-f5");

    openForm("ContactMade");
    String eventId = attribute("#event-form", "data-event-id");
    String occurredAt = value("#field-occurredAt");
    setValue("#field-payload-channel", "PHONE");
    click("#field-payload-reached-true");
    // a double click, then a retry of the same form as a flaky connection would send it
    ((JavascriptExecutor) driver).executeScript(
        "const b = document.querySelector('#form-submit'); b.click(); b.click();");
    awaitRecorded();
    Object retried = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('/api/v1/participants/p-f5/events', {method: 'POST', credentials: 'same-origin',"
            + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify(arguments[0])})"
            + ".then(r => done(r.status)).catch(e => done(String(e)));",
        Map.of("eventId", eventId, "type", "ContactMade", "occurredAt", occurredAt,
            "payload", Map.of("channel", "PHONE", "reached", "true")));
    assertThat(retried).isEqualTo(202L);

    await().atMost(SLOW).ignoreExceptions().until(() -> exists("#timeline li[data-event-id='" + eventId + "']"));
    assertThat(eventsWithId(eventId)).isEqualTo(1);
    assertThat(driver.findElements(By.cssSelector("#timeline li[data-type='ContactMade']"))).hasSize(1);
  }

  @Test
  void aCoordinatorCannotOpenAnotherCoordinatorsParticipant() throws Exception {
    publish(enrol("p-f6", COORDINATOR), enrol("p-f7", OTHER_COORDINATOR));
    String oidcBase = "http://127.0.0.1:" + oidcDashboard.port();
    String token = issuer.staffToken("followup-dashboard", COORDINATOR, List.of("COORDINATOR"), List.of(OFFICE));
    await().atMost(SLOW).untilAsserted(() -> assertThat(apiStatus(oidcBase, "/api/v1/participants/p-f6", token)).isEqualTo(200));

    // the API: another coordinator's participant is not there, just as an unknown one
    assertThat(apiStatus(oidcBase, "/api/v1/participants/p-f7", token)).isEqualTo(404);
    assertThat(apiStatus(oidcBase, "/api/v1/participants/p-nobody", token)).isEqualTo(404);
    HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(oidcBase + "/api/v1/participants/p-f7/events"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"MeetingMissed\","
            + "\"occurredAt\":\"" + local(clock.instant()) + "\",\"payload\":{\"meetingId\":\"m-1\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(404);

    // the page, in the browser with the coordinator's token on every request
    ChromeDriver chrome = (ChromeDriver) driver;
    chrome.executeCdpCommand("Network.enable", Map.of());
    chrome.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Bearer " + token)));
    try {
      driver.get(oidcBase + "/participants/p-f7");
      await().atMost(SLOW).ignoreExceptions().until(() -> exists("#not-found"));
      assertThat(driver.findElements(By.id("section-summary"))).isEmpty();
      assertThat(driver.getPageSource()).doesNotContain(OTHER_COORDINATOR);
      driver.get(oidcBase + "/participants/p-f6");
      await().atMost(SLOW).ignoreExceptions().until(() -> text("#summary-coordinator dd").equals(COORDINATOR));
    } finally {
      chrome.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
    }
    assertThat(Files.readString(dir.resolve("oidc-dashboard").resolve("audit.log")))
        .contains("\"view\":\"participant\"").contains("p-f6").doesNotContain("p-f7");
  }

  @Test
  void theSignOutButtonOfThePageEndsTheSession() throws Exception {
    // a form post of the page itself: it must carry this site's Origin, or the cross-origin check refuses it
    publish(enrol("p-f8", COORDINATOR));
    openParticipant("p-f8");
    String cookie = "followup_session=" + driver.manage().getCookieNamed("followup_session").getValue();

    click("#logout");

    await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/login"));
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me")).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    signIn(); // for the other tests of the class
  }

  private static void signIn() {
    driver.get(base + "/login?next=" + URLEncoder.encode("/?view=worklist", StandardCharsets.UTF_8));
    driver.findElement(By.id("token")).sendKeys(TOKEN.value());
    driver.findElement(By.id("login-submit")).click();
    awaitLive(driver);
  }

  // ---- events --------------------------------------------------------------------------------------

  static final List<String> CHARTS = List.of("physicalFitness", "feelings", "dailyActivities", "socialActivities",
      "changeInHealth", "overallHealth", "pain");

  private static ObjectNode event(String participantId, String type, Instant occurredAt) {
    ObjectNode e = JSON.createObjectNode();
    e.put("eventId", UUID.randomUUID().toString());
    e.put("participantId", participantId);
    e.put("officeId", OFFICE);
    e.put("cohortId", "it-forms");
    e.putObject("actor").put("role", "ACTIVITY_COORDINATOR").put("staffId", COORDINATOR);
    e.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
    e.put("type", type);
    e.putObject("payload");
    return e;
  }

  private static ObjectNode enrol(String participantId, String coordinator) {
    ObjectNode e = event(participantId, "ParticipantEnrolled", clock.instant().minus(Duration.ofDays(90)));
    ((ObjectNode) e.get("payload")).put("coordinatorId", coordinator).putArray("targetGroups").add("YOUTH_UNDER_30");
    return e;
  }

  private static ObjectNode scheduled(String participantId, String meetingId, Instant startsAt) {
    ObjectNode e = event(participantId, "MeetingScheduled", clock.instant().minus(Duration.ofHours(20)));
    ((ObjectNode) e.get("payload")).put("meetingId", meetingId).put("startsAt", startsAt.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("kind", "OFFICE");
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

  /** How many records on the events topic carry this eventId (read committed, from the beginning to the end). */
  private static long eventsWithId(String eventId) {
    SpecificAvroSerde<FollowUpEvent> serde = new SpecificAvroSerde<>(FollowUpEvent.class);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    try (KafkaConsumer<String, FollowUpEvent> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde.deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, FollowUpEvent>> found = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          if (r.value() != null && eventId.equals(r.value().getEventId().toString())) {
            found.add(r);
          }
        });
      }
      return found.size();
    }
  }

  // ---- page ----------------------------------------------------------------------------------------

  private static int apiStatus(String root, String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(root + path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String local(Instant instant) {
    return instant.atZone(OSLO).format(LOCAL_MINUTES);
  }

  /** Opens the participant's page once the dashboard knows the participant (a page opened before says "not found"). */
  private static void openParticipant(String participantId) {
    String cookie = "followup_session=" + driver.manage().getCookieNamed("followup_session").getValue();
    await().atMost(SLOW).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v1/participants/" + participantId)).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));
    driver.get(base + "/participants/" + participantId);
    awaitSummary();
  }

  private static void awaitSummary() {
    try {
      await().atMost(SLOW).ignoreExceptions().until(() -> exists("#section-summary") && exists("#timeline li"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the participant page did not show; it says: "
          + ((JavascriptExecutor) driver).executeScript("return document.body.innerText;"), e);
    }
  }

  private static void openForm(String type) {
    clickWhenPresent(driver, By.id("record-" + type));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> type.equals(attribute("#event-form", "data-type")));
  }

  private static void awaitRecorded() {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(attribute("#action-status", "data-result")).isEqualTo("recorded"));
  }

  /** Sets a field's value as a person would, with the events a page listens for. */
  private static void setValue(String css, String value) {
    ((JavascriptExecutor) driver).executeScript("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
        + "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));", css, value);
  }

  private static void click(String css) {
    clickWhenPresent(driver, By.cssSelector(css));
  }

  private static boolean exists(String css) {
    return (Boolean) ((JavascriptExecutor) driver).executeScript("return document.querySelector(arguments[0]) !== null;", css);
  }

  private static String text(String css) {
    Object text = ((JavascriptExecutor) driver).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    if (text == null) {
      throw new AssertionError("no element " + css);
    }
    return text.toString().trim();
  }

  private static String value(String css) {
    return String.valueOf(((JavascriptExecutor) driver).executeScript("return document.querySelector(arguments[0]).value;", css));
  }

  private static String attribute(String css, String name) {
    Object value = ((JavascriptExecutor) driver).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    return value == null ? null : value.toString();
  }

  private static void closeOtherTabs(String keep) {
    for (String handle : driver.getWindowHandles()) {
      if (!handle.equals(keep)) {
        driver.switchTo().window(handle).close();
      }
    }
    driver.switchTo().window(keep);
  }
}
