package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromptCommitsTest {

  static final Duration MIN_GAP = Duration.ofMillis(100);
  static final long COMMIT_INTERVAL_MS = 200;
  static final long NOW = 1_800_000_000_000L;

  PromptCommits commits;
  MockProcessorContext<Object, Object> context;
  PromptCommits.OfTask task;

  @BeforeEach
  void start() {
    commits = new PromptCommits(MIN_GAP);
    context = newContext();
    task = commits.forTask(context);
  }

  @Test
  void aLiveRecordAsksForACommitAtOnce() {
    task.processed(NOW - 5);

    assertThat(context.committed()).isTrue();
  }

  @Test
  void aRecordOlderThanTheCommitIntervalLeavesTheCommitToTheInterval() {
    task.processed(NOW - COMMIT_INTERVAL_MS - 1);
    punctuateAt(context, NOW + 1_000);

    assertThat(context.committed()).isFalse();
  }

  @Test
  void aRecordFromAClockAheadCountsAsLive() {
    task.processed(NOW + 60_000);

    assertThat(context.committed()).isTrue();
  }

  @Test
  void withinTheGapTheRequestWaitsForThePunctuation() {
    task.processed(NOW);
    context.resetCommit();

    context.setCurrentSystemTimeMs(NOW + 5);
    task.processed(NOW + 5);
    assertThat(context.committed()).as("a second request within the gap").isFalse();

    punctuateAt(context, NOW + MIN_GAP.toMillis() - 1);
    assertThat(context.committed()).as("a punctuation still within the gap").isFalse();

    punctuateAt(context, NOW + MIN_GAP.toMillis());
    assertThat(context.committed()).as("the held request, at the first punctuation after the gap").isTrue();

    context.resetCommit();
    punctuateAt(context, NOW + 3 * MIN_GAP.toMillis());
    assertThat(context.committed()).as("nothing held any more").isFalse();
  }

  @Test
  void afterTheGapALiveRecordAsksAtOnceAgain() {
    task.processed(NOW);
    context.resetCommit();

    context.setCurrentSystemTimeMs(NOW + MIN_GAP.toMillis());
    task.processed(NOW + MIN_GAP.toMillis() - 3);

    assertThat(context.committed()).isTrue();
  }

  @Test
  void theTasksOfAnInstanceShareTheGap() {
    MockProcessorContext<Object, Object> otherContext = newContext();
    PromptCommits.OfTask other = commits.forTask(otherContext);

    task.processed(NOW);
    other.processed(NOW);
    assertThat(context.committed()).isTrue();
    assertThat(otherContext.committed()).as("the other task, within the gap").isFalse();

    punctuateAt(otherContext, NOW + MIN_GAP.toMillis());
    assertThat(otherContext.committed()).as("the other task, after the gap").isTrue();
  }

  @Test
  void thePunctuationRunsOnTheWallClockEveryGap() {
    assertThat(context.scheduledPunctuators()).singleElement().satisfies(punctuator -> {
      assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
      assertThat(punctuator.getInterval()).isEqualTo(MIN_GAP);
    });
  }

  private static MockProcessorContext<Object, Object> newContext() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "prompt-commits-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config);
    context.setCurrentSystemTimeMs(NOW);
    return context;
  }

  private static void punctuateAt(MockProcessorContext<Object, Object> context, long wallClockMs) {
    context.setCurrentSystemTimeMs(wallClockMs);
    for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
      punctuator.getPunctuator().punctuate(wallClockMs);
    }
  }
}
