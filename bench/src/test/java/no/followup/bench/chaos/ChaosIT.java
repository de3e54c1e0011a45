package no.followup.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short version of the chaos suite that every build runs: 3 kill cycles (status, reminders and
 * delivery, each its own JVM, all killed with SIGKILL every cycle: 9 kills), one hard broker
 * restart, every kind of poison record on every input topic, a load through the intake meanwhile.
 * Longer runs are a command (see the README).
 */
class ChaosIT {

  @Test
  @Timeout(value = 9, unit = java.util.concurrent.TimeUnit.MINUTES)
  void nothingAcknowledgedIsLostOrCountedTwiceAndEveryDueItemGetsExactlyOneReminder() throws Exception {
    // under target/, not a temporary directory: the services' logs stay there for whoever reads a red build
    Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-it")), "run-");
    ChaosVerifier.Result result = ChaosSuite.run(new ChaosSuite.Settings(workDir, 60, 3, Duration.ofSeconds(2)));
    System.out.println(result.table());

    assertThat(result.killCycles()).isEqualTo(3);
    assertThat(result.brokerRestarts()).isEqualTo(1);
    // 60 participants x 3 events, every tenth meeting sent twice by the client, and the probe's
    // enrolment and meeting after the poison
    assertThat(result.eventsAcknowledged()).isEqualTo(60 * 3 + 6 + 2);
    assertThat(result.lost()).isZero();
    assertThat(result.countedTwice()).isZero();
    assertThat(result.dueItemsWithReminder()).isEqualTo(60);
    assertThat(result.maxRemindersPerItem()).isEqualTo(1);
    assertThat(result.dueItemsWithSms()).isEqualTo(60);
    assertThat(result.maxSmsPerItem()).isEqualTo(1);
    assertThat(result.poisonRecordsDeadLettered()).isEqualTo(result.poisonRecords()).isEqualTo(14);
    assertThat(result.poisonToNextEventHandled()).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(result.passed()).isTrue();
  }
}
