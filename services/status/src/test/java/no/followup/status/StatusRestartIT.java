package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.demo.DemoScenario;
import no.followup.status.demo.DemoScenarioTest;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarting the status application mid-stream loses and double-counts nothing: the demo is
 * published in three parts; the application is closed while still working through the first,
 * restarted on the same state, closed again, and started a third time on an empty state directory
 * (everything restored from changelogs). The final tallies equal a recount of all events, and a
 * small office, its events spread over the three parts, ends with the tallies counted by hand.
 */
class StatusRestartIT {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("broker")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void restartingMidStreamLosesAndDoubleCountsNothing() throws Exception {
    Clock clock = ItSupport.latestNoonInOslo();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String bootstrap = broker.bootstrapServers();
    StatusConfig cfg = ItSupport.config(bootstrap, registry.url(), "status-restart-it", dir.resolve("state"));
    // every third event of the hand-counted office goes with each part, so its participants'
    // histories are cut by the restarts
    List<FollowUpEvent> demo = DemoScenario.generate(7, now);
    List<FollowUpEvent> handCounted = HandCountedOffice.events(now);
    List<List<FollowUpEvent>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    int third = demo.size() / 3;
    for (int part = 0; part < 3; part++) {
      parts.get(part).addAll(demo.subList(part * third, part == 2 ? demo.size() : (part + 1) * third));
    }
    for (int i = 0; i < handCounted.size(); i++) {
      parts.get(i % 3).add(handCounted.get(i));
    }
    List<FollowUpEvent> events = new ArrayList<>(demo);
    events.addAll(handCounted);
    Map<String, Tally> expected = ItSupport.expectedTallies(events, now, cfg.zone());

    try (KafkaConsumer<String, Tally> tallies = ItSupport.consumer(bootstrap, registry.url(), Topics.TALLIES.name(), Tally.class)) {
      Map<String, Tally> latest = new HashMap<>();

      try (StatusApp first = StatusApp.start(cfg, clock)) {
        ItSupport.publish(bootstrap, registry.url(), parts.get(0));
        // close while the first part is still being worked through
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          ItSupport.pollInto(tallies, latest);
          return !latest.isEmpty();
        });
      }

      try (StatusApp second = StatusApp.start(cfg, clock)) {
        ItSupport.publish(bootstrap, registry.url(), parts.get(1));
        List<FollowUpEvent> soFar = new ArrayList<>(parts.get(0));
        soFar.addAll(parts.get(1));
        Map<String, Tally> expectedSoFar = ItSupport.expectedTallies(soFar, now, cfg.zone());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          ItSupport.pollInto(tallies, latest);
          assertThat(ItSupport.withoutAsOf(latest)).isEqualTo(ItSupport.withoutAsOf(expectedSoFar));
        });
      }

      // a new instance on an empty state directory: the stores come back from their changelogs
      StatusConfig freshState = cfg.withStateDir(dir.resolve("state-after-loss"));
      try (StatusApp thirdRun = StatusApp.start(freshState, clock)) {
        ItSupport.publish(bootstrap, registry.url(), parts.get(2));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          ItSupport.pollInto(tallies, latest);
          assertThat(ItSupport.withoutAsOf(latest)).isEqualTo(ItSupport.withoutAsOf(expected));
        });
        DemoScenarioTest.assertOptimistFigures(latest.get("cohort:optimist"));
        HandCountedOffice.assertCountedByHand(latest.get("office:" + HandCountedOffice.OFFICE));
        HandCountedOffice.assertSecondCoordinatorCountedByHand(latest.get("coordinator:" + HandCountedOffice.COORDINATOR_2));
        assertThat(ItSupport.getJson(thirdRun.port(), "/api/v1/cohorts/optimist/tally").get("coopWonca").get("pairs").asLong())
            .isEqualTo(9);
      }
    }
  }
}
