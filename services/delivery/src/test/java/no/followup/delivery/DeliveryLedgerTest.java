package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import no.followup.reminders.DeliveryLedgerEntry;
import no.followup.reminders.LedgerState;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

  static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");
  static final String R1 = UUID.randomUUID().toString();
  static final String R2 = UUID.randomUUID().toString();

  static DeliveryLedger.Entry entry(String id, DeliveryLedger.State state, String participantId) {
    return new DeliveryLedger.Entry(id, state, NOW, 1, null, null, participantId);
  }

  @Test
  void aReassignedPartitionIsReplacedByItsContentAndARevokedOneForgotten() {
    DeliveryLedger ledger = new DeliveryLedger();
    ledger.put(0, entry(R1, DeliveryLedger.State.ATTEMPTING, "p-1"));
    ledger.put(1, entry(R2, DeliveryLedger.State.SENT, "p-2"));

    // partition 0 comes back after another instance decided R1
    ledger.load(0, List.of(entry(R1, DeliveryLedger.State.OUTCOME_UNKNOWN, "p-1")));
    assertThat(ledger.get(R1).map(DeliveryLedger.Entry::state)).hasValue(DeliveryLedger.State.OUTCOME_UNKNOWN);

    ledger.retain(Set.of(0));
    assertThat(ledger.get(R2)).isEmpty();
    assertThat(ledger.size()).isOne();
  }

  @Test
  void entriesOfAParticipantSpanPartitionsAndATombstoneRemovesOne() {
    DeliveryLedger ledger = new DeliveryLedger();
    ledger.put(0, entry(R1, DeliveryLedger.State.SENT, "p-1"));
    ledger.put(2, DeliveryLedger.Entry.task(R2, "p-1", NOW));
    ledger.put(2, entry(UUID.randomUUID().toString(), DeliveryLedger.State.SENT, "p-other"));
    assertThat(ledger.entriesOf("p-1")).extracting(DeliveryLedger.Entry::reminderId).containsExactlyInAnyOrder(R1, R2);
    ledger.remove(R1);
    assertThat(ledger.entriesOf("p-1")).extracting(DeliveryLedger.Entry::reminderId).containsExactly(R2);
  }

  @Test
  void entriesTravelAsTheirAvroRecordAndAnUnknownStateIsNeverTakenForNothing() {
    DeliveryLedger.Entry sent = new DeliveryLedger.Entry(R1, DeliveryLedger.State.SENT, NOW, 2, "msg-1", null, "p-1");
    assertThat(LedgerTopic.fromAvro(LedgerTopic.toAvro(sent))).isEqualTo(sent);
    for (DeliveryLedger.State state : DeliveryLedger.State.values()) {
      assertThat(LedgerTopic.toAvro(entry(R1, state, "p-1")).getState().name()).isEqualTo(state.name());
    }
    DeliveryLedgerEntry fromANewerVersion = DeliveryLedgerEntry.newBuilder(LedgerTopic.toAvro(sent)).setState(LedgerState.UNKNOWN).build();
    assertThat(LedgerTopic.fromAvro(fromANewerVersion).state()).isEqualTo(DeliveryLedger.State.OUTCOME_UNKNOWN);
  }
}
