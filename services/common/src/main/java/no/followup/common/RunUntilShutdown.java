package no.followup.common;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every service's main keeps its app running until the JVM is told to stop (SIGTERM, Ctrl-C). */
public final class RunUntilShutdown {

  private static final Logger log = LoggerFactory.getLogger(RunUntilShutdown.class);

  /**
   * How long closing an app may take before the process is halted. Closing waits for the app's
   * threads, and a thread stuck for good (say, on a poison record) would otherwise keep the JVM
   * from ever finishing its shutdown, so SIGTERM and Ctrl-C would stop nothing. A second short of
   * the 15 s a shutdown is promised to take, which leaves time to log the stuck part and halt.
   */
  static final Duration CLOSE_DEADLINE = Duration.ofSeconds(14);

  /** Exit status of a process halted because closing its app overran the deadline. */
  static final int HALTED_STATUS = 1;

  private RunUntilShutdown() {}

  /**
   * Closes {@code app} in a shutdown hook and blocks until it is closed. The closing happens inside
   * the hook because the JVM waits for its hooks, not for the main thread. A close that has not
   * finished within {@link #CLOSE_DEADLINE} is logged with where it is stuck, and the process halts.
   */
  public static int closeOnShutdown(AutoCloseable app, String name) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        closeWithin(CLOSE_DEADLINE, app, name, Runtime.getRuntime()::halt);
      } finally {
        closed.countDown();
      }
    }, name + "-shutdown"));
    closed.await();
    return 0;
  }

  /**
   * Closes {@code app} on a thread of its own and waits for it at most {@code deadline}; if it is
   * still closing then, logs that thread's stack (the part of the app that does not stop) and calls
   * {@code halt} with {@link #HALTED_STATUS}.
   */
  static void closeWithin(Duration deadline, AutoCloseable app, String name, IntConsumer halt) {
    Thread closing = new Thread(() -> {
      try {
        app.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", name, e.getClass().getName());
      }
    }, name + "-close");
    closing.start();
    try {
      closing.join(deadline.toMillis());
    } catch (InterruptedException e) {
      // nobody interrupts a shutdown hook; if someone does, the deadline is as good as reached
      Thread.currentThread().interrupt();
    }
    if (closing.isAlive()) {
      log.error("Stopping {} did not finish within {} s; halting the process. Stuck closing at:{}",
          name, deadline.toMillis() / 1000.0, stackOf(closing));
      halt.accept(HALTED_STATUS);
    }
  }

  private static String stackOf(Thread thread) {
    return Arrays.stream(thread.getStackTrace()).map(frame -> "\n\tat " + frame).collect(Collectors.joining());
  }
}
