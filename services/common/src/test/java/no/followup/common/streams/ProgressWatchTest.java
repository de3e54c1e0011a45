package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProgressWatchTest {

  private static final TopicPartition EVENTS_0 = new TopicPartition("followup.events.v1", 0);
  private static final TopicPartition EVENTS_1 = new TopicPartition("followup.events.v1", 1);
  private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");

  private final ProgressWatch watch = new ProgressWatch(Duration.ofSeconds(60), 3, Duration.ofMinutes(2));

  @Test
  void recordsWaitingBehindAnOffsetThatDoesNotMoveIsAStallOnceTheGraceIsOver() {
    watch.observe(T0, Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 5L));
    watch.observe(T0.plusSeconds(59), Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 5L));
    assertThat(watch.problem(T0.plusSeconds(59))).isEmpty();

    watch.observe(T0.plusSeconds(60), Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 5L));
    assertThat(watch.problem(T0.plusSeconds(60))).hasValueSatisfying(reason ->
        assertThat(reason).contains("followup.events.v1-0", "5 records waiting", "60 s"));
  }

  @Test
  void aMovingOffsetIsProgressEvenWithRecordsWaiting() {
    for (int second = 0; second <= 300; second += 30) {
      watch.observe(T0.plusSeconds(second), Map.of(EVENTS_0, 100L + second), Map.of(EVENTS_0, 1000L));
    }
    assertThat(watch.problem(T0.plusSeconds(300))).isEmpty();
  }

  @Test
  void anIdlePartitionIsNotStalledHoweverLongItsOffsetStays() {
    // e.g. a transactional topic: the committed offset stays below the end (a commit marker), the consumer's lag is 0
    watch.observe(T0, Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 0L));
    watch.observe(T0.plusSeconds(600), Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 0L));
    assertThat(watch.problem(T0.plusSeconds(600))).isEmpty();
  }

  @Test
  void theStallEndsWhenTheOffsetMovesAndOnlyTheStuckPartitionIsNamed() {
    watch.observe(T0, Map.of(EVENTS_0, 41L, EVENTS_1, 7L), Map.of(EVENTS_0, 5L, EVENTS_1, 2L));
    watch.observe(T0.plusSeconds(90), Map.of(EVENTS_0, 41L, EVENTS_1, 9L), Map.of(EVENTS_0, 5L, EVENTS_1, 2L));
    assertThat(watch.problem(T0.plusSeconds(90))).hasValueSatisfying(reason ->
        assertThat(reason).contains("followup.events.v1-0").doesNotContain("followup.events.v1-1"));

    watch.observe(T0.plusSeconds(95), Map.of(EVENTS_0, 42L, EVENTS_1, 9L), Map.of(EVENTS_0, 4L, EVENTS_1, 0L));
    assertThat(watch.problem(T0.plusSeconds(95))).isEmpty();
  }

  @Test
  void aPartitionThatMovedToAnotherInstanceIsForgotten() {
    watch.observe(T0, Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 5L));
    watch.observe(T0.plusSeconds(30), Map.of(), Map.of(EVENTS_1, 0L));
    // back again after the grace: its clock starts over
    watch.observe(T0.plusSeconds(70), Map.of(EVENTS_0, 41L), Map.of(EVENTS_0, 5L));
    assertThat(watch.problem(T0.plusSeconds(70))).isEmpty();
  }

  @Test
  void threadsReplacedAgainAndAgainAreAProblemUntilTheWindowPasses() {
    watch.threadReplaced(T0);
    watch.threadReplaced(T0.plusSeconds(10));
    assertThat(watch.problem(T0.plusSeconds(10))).isEmpty();

    watch.threadReplaced(T0.plusSeconds(20));
    assertThat(watch.problem(T0.plusSeconds(20))).hasValueSatisfying(reason ->
        assertThat(reason).contains("replaced 3 times in the last 120 s"));

    assertThat(watch.problem(T0.plusSeconds(121))).isEmpty();
  }
}
