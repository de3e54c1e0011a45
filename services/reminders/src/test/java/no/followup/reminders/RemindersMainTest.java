package no.followup.reminders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RemindersMainTest {

  @Test
  void defaultsAreTheDocumentedRules() {
    RemindersMain main = new RemindersMain();
    new CommandLine(main).parseArgs();
    RemindersConfig config = main.config();
    assertThat(config.rules()).isEqualTo(ReminderRules.defaults());
    assertThat(config.httpPort()).isEqualTo(8083);
    assertThat(config.topology()).isEqualTo(RemindersTopology.Options.defaults());
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
}
