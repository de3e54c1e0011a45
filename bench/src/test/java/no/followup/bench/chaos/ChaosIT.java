package no.followup.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short version of the chaos suite that every build runs: two instances each of status,
 * reminders, delivery and the dashboard (each its own JVM, static membership), one kill cycle that
 * kills one instance of every kind with SIGKILL (4 kills) together with a hard broker restart,
 * every kind of poison record on every input topic, a load through the intake meanwhile, and the
 * office lists of both status instances asked throughout. One cycle, not more: a cycle's cost is
 * starting JVMs on 2 cores, and 8 service JVMs leave room in the suite's time for one; longer runs
 * are a command (see the README).
 */
class ChaosIT {

  @Test
  @Timeout(value = 9, unit = java.util.concurrent.TimeUnit.MINUTES)
  void nothingAcknowledgedIsLostOrCountedTwiceEveryDueItemGetsExactlyOneReminderAndTheSurvivorsKeepServing() throws Exception {
    // under target/, not a temporary directory: the services' logs stay there for whoever reads a red build
    Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chaos-it")), "run-");
    ChaosVerifier.Result result = ChaosSuite.run(new ChaosSuite.Settings(workDir, 60, 1, Duration.ofSeconds(2)));
    System.out.println(result.table());

    assertThat(result.killCycles()).isEqualTo(1);
    assertThat(result.brokerRestarts()).isEqualTo(1);
    // 60 participants x 3 events, every tenth meeting sent twice by the client, the probe's
    // enrolment and meeting after the poison, and one enrolment per cycle for the dashboard's push
    assertThat(result.eventsAcknowledged()).isEqualTo(60 * 3 + 6 + 2 + 1);
    assertThat(result.lost()).isZero();
    assertThat(result.countedTwice()).isZero();
    assertThat(result.dueItemsWithReminder()).isEqualTo(60);
    assertThat(result.maxRemindersPerItem()).isEqualTo(1);
    assertThat(result.dueItemsWithSms()).isEqualTo(60);
    // over the outboxes of both delivery instances: the ledger in Kafka holds across a partition that
    // moves to the other instance (an instance away longer than its 45 s session)
    assertThat(result.maxSmsPerItem()).isEqualTo(1);
    assertThat(result.poisonRecordsDeadLettered()).isEqualTo(result.poisonRecords()).isEqualTo(14);
    assertThat(result.poisonToNextEventHandled()).isNotNull().isLessThanOrEqualTo(ChaosVerifier.POISON_TO_NEXT_EVENT_LIMIT);

    MultiInstanceFindings instances = result.instances();
    OfficeListWatcher.Findings lists = instances.lists();
    assertThat(instances.instancesPerKind()).isEqualTo(2);
    // the office lists of both status instances: a complete 200 or a 503 with Retry-After, never a
    // partial 200, and a 503 only while an instance is away
    assertThat(lists.complete()).as("complete lists").isPositive();
    assertThat(lists.partial()).as("partial lists; first fault: %s", lists.firstFault()).isZero();
    assertThat(lists.unavailableWithoutRetryAfter()).as("503 without Retry-After").isZero();
    assertThat(lists.otherStatus()).as("other answers; first fault: %s", lists.firstFault()).isZero();
    assertThat(lists.unavailableWhileAllUp()).as("503 while every instance was up; first fault: %s", lists.firstFault()).isZero();
    assertThat(lists.noAnswerWhileAllUp()).as("no answer while every instance was up").isZero();
    // the surviving dashboard pushed each cycle's change while the other was killed
    assertThat(instances.dashboardPushes()).hasSize(1).doesNotContainNull()
        .allSatisfy(push -> assertThat(push).isLessThanOrEqualTo(MultiInstanceFindings.PUSH_LIMIT));
    assertThat(result.passed()).isTrue();
  }
}
