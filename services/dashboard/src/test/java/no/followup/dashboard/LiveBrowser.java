package no.followup.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import no.followup.registry.server.LocalSchemaRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What the browser tests share: a headless Chromium, the stack's clock and registry, and waiting on
 * the dashboard's live pages (which re-render sections while a test reads them).
 */
final class LiveBrowser {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /**
   * How long a published event may take to show on an open page. The way there crosses two
   * exactly-once Kafka Streams applications (transactions committed on an interval), the
   * dashboard's consumer and its push tick, on 2 cores shared with the broker and the browser: a
   * margin that holds on such a machine, not a latency benchmark. The pages are marked, so an
   * update that came by reloading would fail regardless. 30 s, not 10: the suite runs two modules'
   * integration tests at once, and a reach-out task crosses three exactly-once hops (reminders,
   * delivery, the dashboard); 10 s was exceeded once under that load.
   */
  static final Duration LIVE = Duration.ofSeconds(30);
  static final Duration SLOW = Duration.ofSeconds(60);
  static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  private LiveBrowser() {
  }

  /** Skips the calling test where Debian's Chromium and its driver are not installed. */
  static void assumeChromium(String what) {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        what + " needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them");
  }

  /** Debian's Chromium and driver, named explicitly so Selenium Manager never looks for (or downloads) anything. */
  static WebDriver chrome(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows", "--window-size=1280,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  /**
   * Real time moved back to the latest 12:00 in Oslo. The dashboard's "today" then has hours to go
   * whenever the test runs: on the system clock, a meeting "later today" published shortly before
   * midnight belongs to tomorrow by the time the page shows it. The clock is only ever behind real
   * time, so everything timed from it is in the past for the intake (which refuses events from the
   * future) and for the reminders service, whose timers run on the system clock: a meeting a
   * quarter of an hour ago on this clock is at least that long ago for the reminders too.
   */
  static Clock latestNoonInOslo(Clock system) {
    ZonedDateTime now = ZonedDateTime.now(system.withZone(OSLO));
    ZonedDateTime noon = now.toLocalDate().atTime(LocalTime.NOON).atZone(OSLO);
    return Clock.offset(system, Duration.between(now, noon.isAfter(now) ? noon.minusDays(1) : noon));
  }

  /**
   * Starts the local registry; retried because its schema topic can be reported missing for a moment
   * right after the registry created it on a freshly started broker.
   */
  static LocalSchemaRegistry startRegistry(String bootstrap) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return LocalSchemaRegistry.start(bootstrap, 0);
      } catch (IllegalStateException e) {
        if (attempt == 3) {
          throw e;
        }
        Thread.sleep(1_000);
      }
    }
  }

  /** Quits the browser, then closes the apps in the order given, each even when another failed to close. */
  static void quitAndClose(WebDriver driver, AutoCloseable... apps) {
    if (driver != null) {
      driver.quit();
    }
    for (AutoCloseable app : apps) {
      if (app != null) {
        try {
          app.close();
        } catch (Exception e) {
          System.err.println("failed to stop " + app + ": " + e);
        }
      }
    }
  }

  static void awaitLive(WebDriver driver) {
    await().atMost(SLOW).ignoreExceptions().untilAsserted(() ->
        assertThat(driver.findElement(By.id("live-status")).getAttribute("data-state")).isEqualTo("live"));
  }

  /** Marks the open page, so that {@link #assertMarked} fails once it has been reloaded. */
  static void mark(WebDriver driver, String marker) {
    ((JavascriptExecutor) driver).executeScript("window.__noReload = arguments[0];", marker);
  }

  static void assertMarked(WebDriver driver, String marker) {
    assertThat(((JavascriptExecutor) driver).executeScript("return window.__noReload;")).as("page not reloaded").isEqualTo(marker);
  }

  /** Waits until the condition holds, failing when that takes longer than {@link #LIVE} from {@code sinceNanos}. */
  static void within(long sinceNanos, Callable<Boolean> condition) {
    Duration left = LIVE.minus(Duration.ofNanos(System.nanoTime() - sinceNanos));
    await().atMost(left.isNegative() ? Duration.ofMillis(1) : left).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(condition);
  }

  /** Clicks an element of a live page, retrying when a re-render replaced it between finding and clicking. */
  static void clickWhenPresent(WebDriver driver, By by) {
    AtomicReference<RuntimeException> last = new AtomicReference<>();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        try {
          driver.findElement(by).click();
          return true;
        } catch (RuntimeException e) {
          last.set(e);
          return false;
        }
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("could not click " + by + ": " + last.get(), e);
    }
  }
}
