package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLedgerTest {

  static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");
  @TempDir Path dir;

  @Test
  void decisionsSurviveAReopenAndTheLatestWins() {
    Path file = dir.resolve("ledger.jsonl");
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      ledger.record(new DeliveryLedger.Entry("r-1", DeliveryLedger.State.ATTEMPTING, NOW, 0, null, null));
      ledger.record(new DeliveryLedger.Entry("r-1", DeliveryLedger.State.SENT, NOW, 1, "msg-1", null));
      ledger.record(new DeliveryLedger.Entry("r-2", DeliveryLedger.State.ATTEMPTING, NOW, 0, null, null));
    }
    try (DeliveryLedger reopened = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      assertThat(reopened.get("r-1")).hasValueSatisfying(e -> {
        assertThat(e.state()).isEqualTo(DeliveryLedger.State.SENT);
        assertThat(e.gatewayMessageId()).isEqualTo("msg-1");
      });
      assertThat(reopened.get("r-2").map(DeliveryLedger.Entry::state)).hasValue(DeliveryLedger.State.ATTEMPTING);
      assertThat(reopened.get("r-3")).isEmpty();
    }
  }

  @Test
  void aLineTornByACrashIsSkippedAndAppendingGoesOn() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      ledger.record(new DeliveryLedger.Entry("r-1", DeliveryLedger.State.SENT, NOW, 1, "msg-1", null));
    }
    Files.writeString(file, "{\"reminderId\":\"r-2\",\"sta", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      assertThat(ledger.get("r-1")).isPresent();
      assertThat(ledger.get("r-2")).isEmpty();
      ledger.record(new DeliveryLedger.Entry("r-3", DeliveryLedger.State.SENT, NOW, 1, "msg-3", null));
    }
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      assertThat(ledger.get("r-3")).isPresent();
    }
  }

  @Test
  void compactsAtStartDroppingSupersededAndExpiredEntries() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      ledger.record(new DeliveryLedger.Entry("old", DeliveryLedger.State.SENT, NOW.minus(Duration.ofDays(100)), 1, "m", null));
      ledger.record(new DeliveryLedger.Entry("r-1", DeliveryLedger.State.ATTEMPTING, NOW, 0, null, null));
      ledger.record(new DeliveryLedger.Entry("r-1", DeliveryLedger.State.SENT, NOW, 1, "msg-1", null));
    }
    try (DeliveryLedger ledger = DeliveryLedger.open(file, Duration.ofDays(90), NOW)) {
      assertThat(ledger.size()).isEqualTo(1);
      assertThat(ledger.get("old")).isEmpty();
    }
    assertThat(Files.readAllLines(file)).hasSize(1);
  }
}
