package no.followup.intake;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker answers, checked in the background every few seconds (describeCluster), so
 * that a readiness probe gets the cached answer at once instead of waiting on a dead broker.
 */
final class BrokerReadiness implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerReadiness.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final Admin admin;
  private final ScheduledExecutorService scheduler;
  private volatile boolean ready;

  BrokerReadiness(Admin admin, Duration interval) {
    this.admin = admin;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "intake-readiness");
      t.setDaemon(true);
      return t;
    });
    check();
    scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean ready() {
    return ready;
  }

  private void check() {
    boolean now;
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
          .clusterId().get(CHECK_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      now = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      now = false;
    }
    if (now != ready) {
      log.info("Broker {}", now ? "reachable: ready" : "not reachable: not ready");
    }
    ready = now;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
