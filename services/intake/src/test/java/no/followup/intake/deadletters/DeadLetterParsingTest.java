package no.followup.intake.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import no.followup.common.Topics;
import no.followup.common.streams.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterParsingTest {

  @Test
  void aRecordIsNamedByTheShortOrFullNameOfItsTopicWithPartitionAndOffset() {
    assertThat(SourceRecord.parse("events/2/41")).isEqualTo(new SourceRecord(Topics.EVENTS.name(), 2, 41));
    assertThat(SourceRecord.parse("followup.reminders.v1/0/7")).isEqualTo(new SourceRecord(Topics.REMINDERS.name(), 0, 7));
    assertThat(new SourceRecord(Topics.EVENTS.name(), 2, 41)).hasToString("events/2/41");
    assertThatThrownBy(() -> SourceRecord.parse("events/2")).hasMessageContaining("<topic>/<partition>/<offset>");
    assertThatThrownBy(() -> SourceRecord.parse("events/two/41")).hasMessageContaining("whole numbers");
    assertThatThrownBy(() -> SourceRecord.parse("events/-1/41")).hasMessageContaining("0 or more");
  }

  @Test
  void aPointerTheServicesWriteReadsBackAndAnythingElseOnTheTopicIsSkipped() {
    ProducerRecord<byte[], byte[]> written = DeadLetters.pointer(Topics.DEAD_LETTER.name(), "p-7f3a9c".getBytes(StandardCharsets.UTF_8),
        Topics.EVENTS.name(), 2, 41, new SerializationException("Unknown schema id 9"));
    DeadLetter read = DeadLetterLog.parsePointer(onTopic(written.value(), 1_764_000_000_000L));

    assertThat(read.source()).isEqualTo(new SourceRecord(Topics.EVENTS.name(), 2, 41));
    assertThat(read.errorClass()).isEqualTo(SerializationException.class.getName());
    assertThat(read.cause()).isEqualTo("SerializationException");
    assertThat(read.errorMessage()).isEqualTo("Unknown schema id 9");
    assertThat(read.at()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));

    assertThat(DeadLetterLog.parsePointer(onTopic("not json".getBytes(StandardCharsets.UTF_8), 0))).isNull();
    assertThat(DeadLetterLog.parsePointer(onTopic("{\"sourceTopic\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0))).isNull();
    assertThat(DeadLetterLog.parsePointer(onTopic(null, 0))).isNull();
  }

  @Test
  void aRedriveMarkKeepsAnIdKeyAndLeavesAnyOtherOut() {
    Redrive redrive = new Redrive(new SourceRecord(Topics.EVENTS.name(), 2, 41), 1, 900, Instant.parse("2026-12-01T10:00:00Z"));

    ProducerRecord<byte[], byte[]> byId = DeadLetterLog.mark(Topics.DEAD_LETTER.name(), "p-7f3a9c".getBytes(StandardCharsets.UTF_8), redrive);
    ProducerRecord<byte[], byte[]> byIdentityNumber = DeadLetterLog.mark(Topics.DEAD_LETTER.name(),
        "01017012345".getBytes(StandardCharsets.UTF_8), redrive);
    ProducerRecord<byte[], byte[]> byName = DeadLetterLog.mark(Topics.DEAD_LETTER.name(), "Kari Nordmann".getBytes(StandardCharsets.UTF_8), redrive);

    assertThat(byId.key()).asString(StandardCharsets.UTF_8).isEqualTo("p-7f3a9c");
    assertThat(byIdentityNumber.key()).isNull();
    assertThat(byName.key()).isNull();
    assertThat(DeadLetterLog.parseMark(byName.value())).isEqualTo(redrive);
  }

  private static ConsumerRecord<byte[], byte[]> onTopic(byte[] value, long timestamp) {
    return new ConsumerRecord<>(Topics.DEAD_LETTER.name(), 0, 5, timestamp, TimestampType.CREATE_TIME, 0, value == null ? 0 : value.length,
        null, value, new RecordHeaders(), Optional.empty());
  }
}
