package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.registry.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private static final byte[] KEY = "p-1a2b".getBytes(StandardCharsets.UTF_8);
  // stands in for a health payload: it must never reach the dead-letter record
  private static final byte[] PAYLOAD = "SECRET-HEALTH-SCORE-5".getBytes(StandardCharsets.UTF_8);

  @Test
  void undecodableRecordResumesWithAPointerAndNoPayload() {
    var handler = new DeadLetters.DeserializationHandler();
    handler.configure(Map.of());
    var record = new ConsumerRecord<>("followup.events.v1", 2, 41L, KEY, PAYLOAD);

    DeserializationExceptionHandler.Response response =
        handler.handleError(context(), record, new SerializationException("Unknown magic byte!"));

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
    assertThat(dlq.topic()).isEqualTo(Topics.DEAD_LETTER.name());
    assertThat(dlq.key()).isEqualTo(KEY);
    assertThat(new String(dlq.value(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"sourceTopic\":\"followup.events.v1\",\"partition\":2,\"offset\":41,"
            + "\"errorClass\":\"org.apache.kafka.common.errors.SerializationException\","
            + "\"errorMessage\":\"Unknown magic byte!\"}");
    assertThat(header(dlq.headers(), DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo("followup.events.v1");
    assertThat(header(dlq.headers(), DeadLetters.HEADER_SOURCE_PARTITION)).isEqualTo("2");
    assertThat(header(dlq.headers(), DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("41");
    assertThat(header(dlq.headers(), DeadLetters.HEADER_ERROR_CLASS)).isEqualTo(SerializationException.class.getName());
    assertThat(header(dlq.headers(), DeadLetters.HEADER_ERROR_MESSAGE)).isEqualTo("Unknown magic byte!");
    assertNoPayload(dlq);
  }

  @Test
  void aRecordThatFailsOnlyBecauseTheRegistryIsDownIsRetriedNotDeadLettered() {
    var registryDown = new SerializationException("Could not fetch schema id 7",
        SchemaRegistryException.unreachable("fetching schema id 7", new java.net.ConnectException("refused")));
    var deserialization = new DeadLetters.DeserializationHandler();
    deserialization.configure(Map.of());
    var record = new ConsumerRecord<>("followup.events.v1", 2, 41L, KEY, PAYLOAD);

    DeserializationExceptionHandler.Response response = deserialization.handleError(context(), record, registryDown);
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();

    var processing = new DeadLetters.ProcessingHandler();
    processing.configure(Map.of());
    assertThat(processing.handleError(context(), new Record<>("p-1a2b", "decoded", 0L), registryDown).result())
        .isEqualTo(ProcessingExceptionHandler.Result.FAIL);

    // a schema id the registry does not know is the record's fault: dead letter as before
    var unknownId = new SerializationException("Unknown schema id 7",
        new SchemaRegistryException(404, 40403, "Schema 7 not found"));
    assertThat(deserialization.handleError(context(), record, unknownId).result())
        .isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(DeadLetters.registryUnavailable(unknownId)).isFalse();
    assertThat(DeadLetters.registryUnavailable(registryDown)).isTrue();

    // expired credentials and a throttling registry say nothing about the record either: retried
    for (int status : new int[] {401, 403, 408, 429}) {
      var refused = new SerializationException("Could not fetch schema id 7",
          new SchemaRegistryException(status, -1, "try later"));
      assertThat(deserialization.handleError(context(), record, refused).result()).as("HTTP %d", status)
          .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    }
  }

  @Test
  void processingFailureResumesWithAPointerToTheSourceRecord() {
    var handler = new DeadLetters.ProcessingHandler();
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "custom-dlq"));

    ProcessingExceptionHandler.Response response = handler.handleError(
        context(), new Record<>("p-1a2b", "decoded", 0L), new IllegalStateException("x".repeat(2000)));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
    assertThat(dlq.topic()).isEqualTo("custom-dlq");
    assertThat(dlq.key()).isEqualTo(KEY);
    assertThat(header(dlq.headers(), DeadLetters.HEADER_ERROR_MESSAGE)).hasSize(DeadLetters.MAX_MESSAGE_CHARS);
    assertThat(header(dlq.headers(), DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("41");
    assertNoPayload(dlq);
  }

  @Test
  void aKeyThatIsNotAnIdIsLeftOutOfThePointer() {
    byte[][] hostileKeys = {
        "Ola Nordmann".getBytes(StandardCharsets.UTF_8),
        "12345678901".getBytes(StandardCharsets.UTF_8),
        "123456.78901".getBytes(StandardCharsets.UTF_8),
        "p-".concat("x".repeat(1_000_000)).getBytes(StandardCharsets.UTF_8),
        "p-\u00f8".getBytes(StandardCharsets.UTF_8)};
    for (byte[] key : hostileKeys) {
      ProducerRecord<byte[], byte[]> dlq = DeadLetters.pointer("dlq", key, "followup.events.v1", 0, 7, new IllegalStateException());
      assertThat(dlq.key()).as("key of %d bytes", key.length).isNull();
      assertThat(header(dlq.headers(), DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("7");
    }
    assertThat(DeadLetters.pointer("dlq", KEY, "followup.events.v1", 0, 7, new IllegalStateException()).key()).isEqualTo(KEY);
  }

  @Test
  void productionErrorsRetryWhenRetriableAndNeverCopyThePayload() {
    var handler = new DeadLetters.ProductionHandler();
    handler.configure(Map.of());
    var out = new ProducerRecord<>("followup.tallies.v1", KEY, PAYLOAD);

    assertThat(handler.handleError(context(), out, new TimeoutException("slow")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);

    ProductionExceptionHandler.Response fatal = handler.handleError(context(), out, new IllegalStateException("boom"));
    assertThat(fatal.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertNoPayload(fatal.deadLetterQueueRecords().get(0));

    ProductionExceptionHandler.Response serialization = handler.handleSerializationError(
        context(), out, new SerializationException("bad"), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
    assertThat(serialization.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertNoPayload(serialization.deadLetterQueueRecords().get(0));
  }

  /** A release whose output schema the registry does not hold would otherwise drop every record it writes. */
  @Test
  void anOutputSchemaTheRegistryDoesNotHoldOrRefusesStopsTheTaskInsteadOfDroppingEveryRecord() {
    var handler = new DeadLetters.ProductionHandler();
    handler.configure(Map.of());
    var out = new ProducerRecord<>("followup.tallies.v1", KEY, PAYLOAD);
    var value = ProductionExceptionHandler.SerializationExceptionOrigin.VALUE;

    SerializationException notRegistered = new SerializationException("Schema Tally is not registered",
        new SchemaRegistryException(404, 40403, "Schema not found"));
    SerializationException noSubject = new SerializationException("Schema Tally is not registered",
        new SchemaRegistryException(404, 40401, "Subject not found"));
    SerializationException incompatible = new SerializationException("Schema Tally is incompatible",
        SchemaRegistryException.incompatible("READER_FIELD_MISSING_DEFAULT_VALUE"));
    for (SerializationException deployment : List.of(notRegistered, noSubject, incompatible)) {
      assertThat(handler.handleSerializationError(context(), out, deployment, value).result())
          .as(deployment.getCause().getMessage()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }
    // a processor that encodes its output itself (the status fold) meets the same refusal there
    var processing = new DeadLetters.ProcessingHandler();
    processing.configure(Map.of());
    assertThat(processing.handleError(context(), new Record<>("p-1", "x", 0L), notRegistered).result())
        .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    // a record Avro cannot write is the record's own fault: skipped with a pointer, as before
    assertThat(handler.handleSerializationError(context(), out, new SerializationException("Could not write a Tally"), value)
        .result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
  }

  @Test
  void messagesAreEscapedIntoValidJson() {
    assertThat(DeadLetters.jsonString("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    assertThat(DeadLetters.jsonString(null)).isEqualTo("null");
    assertThat(DeadLetters.truncate(null)).isEmpty();
  }

  private static void assertNoPayload(ProducerRecord<byte[], byte[]> dlq) {
    assertThat(contains(dlq.value(), PAYLOAD)).as("payload copied into value").isFalse();
    for (Header h : dlq.headers()) {
      assertThat(contains(h.value(), PAYLOAD)).as("payload copied into header " + h.key()).isFalse();
      assertThat(h.key()).doesNotContain("stacktrace");
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return false;
    }
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  private static String header(Headers headers, String key) {
    return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      @Override public String topic() { return "followup.events.v1"; }
      @Override public int partition() { return 2; }
      @Override public long offset() { return 41L; }
      @Override public Headers headers() { return new RecordHeaders(); }
      @Override public String processorNodeId() { return "status-fold"; }
      @Override public TaskId taskId() { return new TaskId(0, 2); }
      @Override public long timestamp() { return 0L; }
      @Override public byte[] sourceRawKey() { return KEY; }
      @Override public byte[] sourceRawValue() { return PAYLOAD; }
    };
  }
}
