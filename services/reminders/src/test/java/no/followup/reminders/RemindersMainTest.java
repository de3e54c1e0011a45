package no.followup.reminders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RemindersMainTest {

  /** The expected values are the README's ("Reminders and delivery"), written out here on purpose. */
  @Test
  void defaultsAreTheDocumentedRules() {
    RemindersMain main = new RemindersMain();
    new CommandLine(main).parseArgs();
    RemindersConfig config = main.config();
    ReminderRules rules = config.rules();
    assertThat(rules.leadTime()).isEqualTo(Duration.ofHours(24));
    assertThat(rules.sameMorningReminder()).isFalse();
    assertThat(rules.earlyMeetingBefore()).isEqualTo(LocalTime.of(12, 0));
    assertThat(rules.sameMorningAt()).isEqualTo(LocalTime.of(8, 0));
    assertThat(rules.quietHours()).isEqualTo(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), ZoneId.of("Europe/Oslo")));
    assertThat(rules.gracePeriod()).isEqualTo(Duration.ofHours(2));
    assertThat(rules.missesBeforeHomeVisit()).isEqualTo(2);
    assertThat(rules.inactivityAfter()).isEqualTo(Duration.ofDays(14));
    assertThat(rules.monthlyReview()).isFalse();
    assertThat(rules.monthlyReviewDay()).isEqualTo(1);
    assertThat(rules.monthlyReviewAt()).isEqualTo(LocalTime.of(9, 0));
    assertThat(rules.historyCutoff()).isEqualTo(Duration.ofDays(7));
    // not in the README: the default documented on ReminderRules.meetingRetention
    assertThat(rules.meetingRetention()).isEqualTo(Duration.ofDays(120));
    assertThat(config.topology().punctuationInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.topology().eventDedupRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.httpPort()).isEqualTo(8083);
    assertThat(config.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void everyRuleCanBeSet() {
    RemindersMain main = new RemindersMain();
    new CommandLine(main).parseArgs("--lead-time", "PT48H", "--same-morning-reminder", "true", "--quiet-hours-start", "22:00",
        "--quiet-hours-end", "07:30", "--grace-period", "PT1H", "--misses-before-home-visit", "3", "--inactivity-after", "P21D",
        "--monthly-review", "true", "--monthly-review-day", "5", "--streams-property", "consumer.session.timeout.ms=6000");
    RemindersConfig config = main.config();
    ReminderRules rules = config.rules();
    assertThat(rules.leadTime()).isEqualTo(Duration.ofHours(48));
    assertThat(rules.sameMorningReminder()).isTrue();
    assertThat(rules.quietHours().start()).isEqualTo(LocalTime.of(22, 0));
    assertThat(rules.quietHours().end()).isEqualTo(LocalTime.of(7, 30));
    assertThat(rules.gracePeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(rules.missesBeforeHomeVisit()).isEqualTo(3);
    assertThat(rules.inactivityAfter()).isEqualTo(Duration.ofDays(21));
    assertThat(rules.monthlyReview()).isTrue();
    assertThat(rules.monthlyReviewDay()).isEqualTo(5);
    assertThat(config.streamsOverrides()).containsEntry("consumer.session.timeout.ms", "6000");
  }

  @Test
  void withoutAMasterKeyTheServiceDoesNotStartUnlessToldItIsALocalSetup() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new RemindersMain());
    cli.setErr(new java.io.PrintWriter(err, true));

    // no FOLLOWUP_MASTER_KEY in the test's environment: the check comes before any connection is tried
    assertThat(cli.execute("--bootstrap-servers", "127.0.0.1:9")).isNotZero();
    assertThat(err.toString()).contains("FOLLOWUP_MASTER_KEY is not set", "--without-master-key");
  }
}
