package no.followup.common;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every service's main keeps its app running until the JVM is told to stop (SIGTERM, Ctrl-C). */
public final class RunUntilShutdown {

  private static final Logger log = LoggerFactory.getLogger(RunUntilShutdown.class);

  private RunUntilShutdown() {}

  /**
   * Closes {@code app} in a shutdown hook and blocks until it is closed. The closing happens inside
   * the hook because the JVM waits for its hooks, not for the main thread.
   */
  public static int closeOnShutdown(AutoCloseable app, String name) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        app.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", name, e.getClass().getName());
      } finally {
        closed.countDown();
      }
    }, name + "-shutdown"));
    closed.await();
    return 0;
  }
}
