package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxSmsGatewayTest {

  /** 03:00 in Oslo: the outbox stamps lines with the injected clock, not the machine's. */
  private static final Clock AT_NIGHT = Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void writesEachKeyOnceEvenAcrossRestartsAndMasksNumbers() throws Exception {
    Path outbox = dir.resolve("outbox.jsonl");
    SmsGateway.Accepted first;
    try (OutboxSmsGateway gateway = new OutboxSmsGateway(outbox, AT_NIGHT)) {
      first = gateway.send(new SmsMessage("r-1", "+4791234567", "Hei! Husk avtalen."));
      assertThat(gateway.send(new SmsMessage("r-1", "+4791234567", "Hei! Husk avtalen."))).isEqualTo(first);
      gateway.send(new SmsMessage("r-2", "+4791234567", "Hei igjen."));
    }
    try (OutboxSmsGateway reopened = new OutboxSmsGateway(outbox, AT_NIGHT)) {
      assertThat(reopened.send(new SmsMessage("r-1", "+4791234567", "Hei! Husk avtalen."))).isEqualTo(first);
      assertThat(reopened.size()).isEqualTo(2);
    }
    String content = Files.readString(outbox);
    assertThat(content.lines()).hasSize(2);
    assertThat(content).doesNotContain("91234567").contains("Hei! Husk avtalen.");
    assertThat(content.lines()).allSatisfy(line -> assertThat(line).contains("\"at\":\"2026-12-01T02:00:00Z\""));
  }
}
