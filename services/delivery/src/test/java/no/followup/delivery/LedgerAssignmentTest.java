package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class LedgerAssignmentTest {

  static final Set<TopicPartition> PARTITIONS = Set.of(new TopicPartition("followup.reminders.v1", 0));
  static final Duration EACH = Duration.ofMillis(10);

  @Test
  void offsetsStillPendingAfterOneWaitAreWaitedForAgain() {
    PendingOffsets consumer = new PendingOffsets(2);

    LedgerAssignment.awaitStableOffsets(consumer, PARTITIONS, EACH, 3);

    assertThat(consumer.calls.get()).isEqualTo(3);
  }

  @Test
  void offsetsStillPendingAfterEveryWaitEndTheWaitingWithTheTimeout() {
    PendingOffsets consumer = new PendingOffsets(5);

    assertThatThrownBy(() -> LedgerAssignment.awaitStableOffsets(consumer, PARTITIONS, EACH, 3))
        .isInstanceOf(TimeoutException.class);
    assertThat(consumer.calls.get()).isEqualTo(3);
  }

  @Test
  void theWaitsTogetherStayWithinTheConsumersPollInterval() {
    Duration maxPollInterval = Duration.ofMinutes(5); // the consumer default, which delivery keeps
    assertThat(LedgerAssignment.PREVIOUS_OWNER_WAIT.multipliedBy(LedgerAssignment.PREVIOUS_OWNER_WAITS))
        .isLessThan(maxPollInterval);
  }

  /** A consumer whose committed offsets stay pending (a timeout) for the first {@code pendingCalls} asks. */
  static final class PendingOffsets extends MockConsumer<byte[], byte[]> {
    final AtomicInteger calls = new AtomicInteger();
    final int pendingCalls;

    PendingOffsets(int pendingCalls) {
      super(AutoOffsetResetStrategy.EARLIEST.name());
      this.pendingCalls = pendingCalls;
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
      if (calls.incrementAndGet() <= pendingCalls) {
        throw new TimeoutException("still pending");
      }
      return Map.of();
    }
  }
}
