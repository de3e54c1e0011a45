package no.followup.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.status.StatusApp;
import no.followup.status.StatusConfig;
import no.followup.demo.DemoScenario;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Takes the README's screenshots: the overview with the demo scenario, 1280x900, saved where the
 * system property {@code dashboard.screenshot} says, and beside it {@code dashboard-participant.png}, the
 * page of the demo participant with the most COOP/WONCA measurements (its top 2300 pixels, 1024
 * wide: a tablet held sideways, with a form open), e.g.
 * {@code ./mvnw -o -pl services/dashboard verify -Dit.test=DashboardScreenshotIT -Ddashboard.screenshot=$PWD/docs/dashboard-overview.png}.
 */
@EnabledIfSystemProperty(named = "dashboard.screenshot", matches = ".+")
class DashboardScreenshotIT {

  @TempDir Path dir;

  @Test
  void overviewOfTheDemoScenario() throws Exception {
    LiveBrowser.assumeChromium("the screenshot");
    Path target = Path.of(System.getProperty("dashboard.screenshot")).toAbsolutePath();
    Instant now = Instant.now();
    List<FollowUpEvent> events = DemoScenario.generate(2020L, now);
    Set<String> enrolled = new HashSet<>();
    for (FollowUpEvent e : events) {
      if (e.getPayload() instanceof ParticipantEnrolled) {
        enrolled.add(e.getParticipantId());
      } else if (e.getPayload() instanceof ParticipantErased) {
        enrolled.remove(e.getParticipantId());
      }
    }

    LocalToken token = LocalToken.generate();
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        new TopicProvisioner(1, (short) 1).ensure(admin, Topics.ALL);
      }
      try (LocalSchemaRegistry registry = LiveBrowser.startRegistry(bootstrap);
          StatusApp status = StatusApp.start(StatusConfig.defaults(bootstrap, registry.url()).withStateDir(dir.resolve("status"))
              .withHttp("127.0.0.1", 0).withTopics(1, (short) 1).withSignIn(SignIn.local(token)));
          DashboardApp dashboard = DashboardApp.start(DashboardConfig.defaults(bootstrap, registry.url(), "http://127.0.0.1:9",
              dir.resolve("dashboard")).withHttp("127.0.0.1", 0).withTopics(true, 1, (short) 1)
              .withStatus(new DashboardConfig.StatusService("http://127.0.0.1:" + status.port(), ""))
              .withSignIn(DashboardSignIn.local(token, false)))) {
        SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url()), false);
        try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), serializer)) {
          for (FollowUpEvent e : events) {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.getParticipantId(), e));
          }
          producer.flush();
        }

        String base = "http://127.0.0.1:" + dashboard.port();
        WebDriver driver = LiveBrowser.chrome(dir.resolve("chrome-profile"));
        try {
          driver.get(base + "/login?next=" + URLEncoder.encode("/?view=overview", StandardCharsets.UTF_8));
          driver.findElement(By.id("token")).sendKeys(token.value());
          driver.findElement(By.id("login-submit")).click();
          String cookie = "followup_session=" + driver.manage().getCookieNamed("followup_session").getValue();
          HttpClient http = HttpClient.newHttpClient();
          ObjectMapper json = new ObjectMapper();
          await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/overview"))
                .timeout(Duration.ofSeconds(10)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.readTree(r.body()).path("participants").asLong()).isEqualTo(enrolled.size());
          });
          // let the last updates reach the page, then photograph it
          await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
              driver.findElement(By.cssSelector("#participants-count .card-value")).getText()).isEqualTo(String.valueOf(enrolled.size())));
          driver.manage().window().setSize(new Dimension(1280, 900));
          Thread.sleep(500); // layout settles after the resize; nothing to poll for
          byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
          Files.createDirectories(target.getParent());
          Files.write(target, png);
          assertThat(png.length).isGreaterThan(10_000);
          participantPage(driver, base, mostMeasured(events, enrolled), target.resolveSibling("dashboard-participant.png"));
          String extra = System.getProperty("dashboard.screenshot.extra");
          if (extra != null && !extra.isBlank()) {
            // whole pages of every view, for reviewing the layout
            for (String view : List.of("overview", "worklist", "review", "tasks")) {
              driver.manage().window().setSize(new Dimension(1280, 900));
              driver.get(base + "/?view=" + view + ("review".equals(view) ? "&lang=en" : ""));
              await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                  assertThat(driver.findElement(By.id("live-status")).getAttribute("data-state")).isEqualTo("live"));
              long height = (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
                  .executeScript("return document.documentElement.scrollHeight;");
              driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 150, 8000)));
              Thread.sleep(500);
              Files.write(Path.of(extra).resolve(view + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            }
          }
        } finally {
          driver.quit();
        }
      }
    }
  }

  /**
   * The participant with the most COOP/WONCA measurements (ties: the first in the scenario). In the
   * demo only the finished OPTIMIST cohort was measured twice, so the page shows a whole path to its exit.
   */
  private static String mostMeasured(List<FollowUpEvent> events, Set<String> enrolled) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (FollowUpEvent e : events) {
      if (e.getPayload() instanceof FunctionScoreRecorded && enrolled.contains(e.getParticipantId())) {
        counts.merge(e.getParticipantId(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static void participantPage(WebDriver driver, String base, String participantId, Path file) throws Exception {
    driver.manage().window().setSize(new Dimension(1024, 900));
    driver.get(base + "/participants/" + participantId);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      assertThat(driver.findElements(By.cssSelector("#score-table tbody tr")).size()).isGreaterThanOrEqualTo(2);
      assertThat(driver.findElements(By.cssSelector("#timeline li"))).isNotEmpty();
    });
    // the forms as a coordinator sees them: one open
    driver.findElement(By.id("record-MeetingScheduled")).click();
    // the top of the page: the form, the status, tasks, meetings, the chart and the newest events
    driver.manage().window().setSize(new Dimension(1024, 2300));
    ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0);");
    Thread.sleep(500); // layout settles after the resize; nothing to poll for
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(file, png);
    assertThat(png.length).isGreaterThan(10_000);
  }
}
