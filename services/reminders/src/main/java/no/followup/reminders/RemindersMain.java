package no.followup.reminders;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import no.followup.common.crypto.MasterKey;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.MasterKeyRequirement;
import no.followup.common.cli.SchemaRegistrationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Runs the reminders application until SIGTERM. Durations are ISO-8601 (PT24H, P14D), times HH:mm. */
@Command(name = "followup-reminders", mixinStandardHelpOptions = true,
    description = "Reminders before meetings and follow-up tasks after misses and silences (Kafka Streams).")
public final class RemindersMain implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Mixin SchemaRegistrationOptions schemas;

  @Option(names = "--application-id", defaultValue = "${env:REMINDERS_APPLICATION_ID:-followup-reminders}")
  String applicationId;

  @Option(names = "--instance-id", defaultValue = "${env:INSTANCE_ID:-1}",
      description = "This instance's id: unique per instance, the same across its restarts (default: ${DEFAULT-VALUE}).")
  String instanceId;

  @Option(names = "--state-dir", defaultValue = "${env:STATE_DIR:-./data/reminders}")
  Path stateDir;

  @Option(names = "--http-host", defaultValue = "${env:HTTP_HOST:-127.0.0.1}")
  String httpHost;

  @Option(names = {"--http-port", "--port"}, defaultValue = "${env:HTTP_PORT:-8083}")
  int port;

  @Option(names = "--topic-partitions", defaultValue = "${env:TOPIC_PARTITIONS:-3}")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "${env:TOPIC_REPLICATION_FACTOR:-1}")
  short replicationFactor;

  @Option(names = "--lead-time", defaultValue = "${env:REMINDERS_LEAD_TIME:-PT24H}", description = "Reminder before a meeting.")
  Duration leadTime;

  @Option(names = "--same-morning-reminder", defaultValue = "${env:REMINDERS_SAME_MORNING:-false}", arity = "1")
  boolean sameMorning;

  @Option(names = "--same-morning-at", defaultValue = "${env:REMINDERS_SAME_MORNING_AT:-08:00}")
  LocalTime sameMorningAt;

  @Option(names = "--early-meeting-before", defaultValue = "${env:REMINDERS_EARLY_MEETING_BEFORE:-12:00}")
  LocalTime earlyMeetingBefore;

  @Option(names = "--quiet-hours-start", defaultValue = "${env:REMINDERS_QUIET_START:-21:00}")
  LocalTime quietStart;

  @Option(names = "--quiet-hours-end", defaultValue = "${env:REMINDERS_QUIET_END:-08:00}")
  LocalTime quietEnd;

  @Option(names = "--zone", defaultValue = "${env:REMINDERS_ZONE:-Europe/Oslo}")
  ZoneId zone;

  @Option(names = "--grace-period", defaultValue = "${env:REMINDERS_GRACE_PERIOD:-PT2H}")
  Duration gracePeriod;

  @Option(names = "--misses-before-home-visit", defaultValue = "${env:REMINDERS_MISSES_BEFORE_HOME_VISIT:-2}")
  int missesBeforeHomeVisit;

  @Option(names = "--inactivity-after", defaultValue = "${env:REMINDERS_INACTIVITY_AFTER:-P14D}")
  Duration inactivityAfter;

  @Option(names = "--monthly-review", defaultValue = "${env:REMINDERS_MONTHLY_REVIEW:-false}", arity = "1")
  boolean monthlyReview;

  @Option(names = "--monthly-review-day", defaultValue = "${env:REMINDERS_MONTHLY_REVIEW_DAY:-1}")
  int monthlyReviewDay;

  @Option(names = "--monthly-review-at", defaultValue = "${env:REMINDERS_MONTHLY_REVIEW_AT:-09:00}")
  LocalTime monthlyReviewAt;

  @Option(names = "--history-cutoff", defaultValue = "${env:REMINDERS_HISTORY_CUTOFF:-P7D}")
  Duration historyCutoff;

  @Option(names = "--meeting-retention", defaultValue = "${env:REMINDERS_MEETING_RETENTION:-P120D}")
  Duration meetingRetention;

  @Option(names = "--punctuation-interval", defaultValue = "${env:REMINDERS_PUNCTUATION_INTERVAL:-PT0.1S}")
  Duration punctuationInterval;

  @Option(names = "--event-dedup-retention", defaultValue = "${env:REMINDERS_EVENT_DEDUP_RETENTION:-P30D}")
  Duration eventDedupRetention;

  @Option(names = "--commit-interval", defaultValue = "${env:REMINDERS_COMMIT_INTERVAL:-PT0.1S}")
  Duration commitInterval;

  @Option(names = "--without-master-key", defaultValue = "${env:REMINDERS_WITHOUT_MASTER_KEY:-false}", arity = "0..1",
      description = "Run without FOLLOWUP_MASTER_KEY, not reading sealed payloads: a local or test setup only.")
  boolean withoutMasterKey;

  @Spec CommandSpec spec;

  @Option(names = "--streams-property", description = "Extra Kafka Streams setting, key=value (repeatable).")
  Map<String, String> streamsProperties = new LinkedHashMap<>();

  RemindersConfig config() {
    ReminderRules rules = new ReminderRules(leadTime, sameMorning, sameMorningAt, earlyMeetingBefore,
        new QuietHours(quietStart, quietEnd, zone), gracePeriod, missesBeforeHomeVisit, inactivityAfter, monthlyReview,
        monthlyReviewDay, monthlyReviewAt, historyCutoff, meetingRetention);
    return new RemindersConfig(kafka.connection(), kafka.schemaRegistryUrl(), schemas.autoRegisterSchemas(), applicationId, stateDir, httpHost, port, partitions,
        replicationFactor, commitInterval, Duration.ofMinutes(5), rules,
        new RemindersTopology.Options(punctuationInterval, eventDedupRetention), streamsProperties, Clock.systemUTC(), instanceId);
  }

  @Override
  public Integer call() throws InterruptedException {
    MasterKeyRequirement.check(spec.commandLine(), withoutMasterKey, MasterKey.fromConfiguration().isPresent(),
        "the reminders service must read sealed payloads: without the key it misses every enrolment and exit, and"
            + " would send SMS after an exit (--without-master-key for a local or test setup)");
    RemindersApp app = RemindersApp.start(config());
    return RunUntilShutdown.closeOnShutdown(app, "reminders");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new RemindersMain()).execute(args));
  }
}
