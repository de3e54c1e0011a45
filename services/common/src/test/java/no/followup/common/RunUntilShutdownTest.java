package no.followup.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import no.followup.common.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunUntilShutdownTest {

  @RegisterExtension
  final LogCapture logged = LogCapture.of(RunUntilShutdown.class);
  /** Stands in for Runtime.halt: records the status instead of ending the test JVM. */
  private final CompletableFuture<Integer> halted = new CompletableFuture<>();

  @Test
  void haltsWhenClosingOverrunsTheDeadlineAndLogsWhereItIsStuck() {
    StuckApp app = new StuckApp();
    Duration deadline = Duration.ofMillis(300);
    try {
      long started = System.nanoTime();
      RunUntilShutdown.closeWithin(deadline, app, "stuck-service", halted::complete);
      Duration waited = Duration.ofNanos(System.nanoTime() - started);

      assertThat(halted).isCompletedWithValue(RunUntilShutdown.HALTED_STATUS);
      assertThat(waited).isGreaterThanOrEqualTo(deadline);
      assertThat(logged.events()).singleElement().satisfies(event -> {
        assertThat(event.getLevel()).isEqualTo(Level.ERROR);
        assertThat(event.getFormattedMessage())
            .contains("Stopping stuck-service did not finish within 0.3 s")
            .contains("StuckApp.close");
      });
    } finally {
      app.release();
    }
  }

  @Test
  void returnsAsSoonAsTheAppIsClosedWithoutHalting() {
    AtomicBoolean closed = new AtomicBoolean();

    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> RunUntilShutdown.closeWithin(Duration.ofMinutes(1), () -> closed.set(true), "quick-service", halted::complete));

    assertThat(closed).isTrue();
    assertThat(halted).isNotDone();
    assertThat(logged.events()).isEmpty();
  }

  @Test
  void aCloseThatFailsIsLoggedWithoutHalting() {
    RunUntilShutdown.closeWithin(Duration.ofMinutes(1), () -> {
      throw new IllegalStateException("participant p-123 in the message");
    }, "failing-service", halted::complete);

    assertThat(halted).isNotDone();
    assertThat(logged.events()).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage())
          .isEqualTo("Stopping failing-service failed: java.lang.IllegalStateException")
          .doesNotContain("p-123");
    });
  }

  /** An app whose close waits for something that does not come, like a stream thread stuck on a record. */
  private static final class StuckApp implements AutoCloseable {
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void close() throws InterruptedException {
      released.await();
    }

    void release() {
      released.countDown();
    }
  }
}
