package no.followup.common.streams;

import io.micrometer.core.instrument.MeterRegistry;
import no.followup.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.rules.IdShapes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letter handling for Kafka Streams (KIP-1034): a record that cannot be deserialized or
 * processed is skipped and a <em>pointer</em> to it goes to the dead-letter topic, so the
 * application keeps running and an operator can find the record in its source topic.
 *
 * <p>The built-in handlers copy the failed record's key and value into the dead-letter record. Our
 * payloads carry health data, so these handlers never copy the value: the dead-letter record has
 * <ul>
 *   <li>key: the source record's key bytes (a pseudonymous participant id), or null;</li>
 *   <li>value: a small JSON pointer {@code {"sourceTopic","partition","offset","errorClass","errorMessage"}};</li>
 *   <li>headers: the same facts under Kafka's standard {@code __streams.errors.*} names (no stack trace).</li>
 * </ul>
 * The error message is cut to {@value #MAX_MESSAGE_CHARS} characters. Logs carry only the source
 * topic, partition, offset and the error class; never a key, value or message.
 *
 * <p>The dead-letter topic is {@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}, else
 * {@link Topics#DEAD_LETTER}. {@link StreamsDefaults} installs all three handlers.
 */
public final class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  public static final int MAX_MESSAGE_CHARS = 500;

  // Kafka's own dead-letter header names (ExceptionHandlerUtils), so generic tooling understands them.
  public static final String HEADER_ERROR_CLASS = "__streams.errors.exception";
  public static final String HEADER_ERROR_MESSAGE = "__streams.errors.message";
  public static final String HEADER_SOURCE_TOPIC = "__streams.errors.topic";
  public static final String HEADER_SOURCE_PARTITION = "__streams.errors.partition";
  public static final String HEADER_SOURCE_OFFSET = "__streams.errors.offset";

  private DeadLetters() {}

  /** Builds the payload-free dead-letter record pointing at a source record (topic, partition, offset). */
  public static ProducerRecord<byte[], byte[]> pointer(
      String deadLetterTopic, byte[] sourceKey, String sourceTopic, int partition, long offset, Throwable error) {
    String errorClass = error.getClass().getName();
    String message = truncate(error.getMessage());
    Headers headers = new RecordHeaders();
    headers.add(HEADER_ERROR_CLASS, utf8(errorClass));
    headers.add(HEADER_ERROR_MESSAGE, utf8(message));
    headers.add(HEADER_SOURCE_TOPIC, utf8(sourceTopic == null ? "" : sourceTopic));
    headers.add(HEADER_SOURCE_PARTITION, utf8(String.valueOf(partition)));
    headers.add(HEADER_SOURCE_OFFSET, utf8(String.valueOf(offset)));
    String json = "{\"sourceTopic\":" + jsonString(sourceTopic)
        + ",\"partition\":" + partition
        + ",\"offset\":" + offset
        + ",\"errorClass\":" + jsonString(errorClass)
        + ",\"errorMessage\":" + jsonString(message) + "}";
    return new ProducerRecord<>(deadLetterTopic, null, keptKey(sourceKey), utf8(json), headers);
  }

  /**
   * The source record's key, when it is an id ({@link IdShapes}): what an operator looks the record
   * up by. Any other key is left out (the pointer still names topic, partition and offset): a record
   * anyone can write may be keyed by an identity number, a name or a megabyte of anything.
   */
  public static byte[] keptKey(byte[] sourceKey) {
    if (sourceKey == null || sourceKey.length > IdShapes.MAX_ID_LENGTH) {
      return null;
    }
    // ids are ASCII, so one byte is one character; ISO-8859-1 maps any other byte to a non-id character
    return IdShapes.isPseudonymousId(new String(sourceKey, StandardCharsets.ISO_8859_1)) ? sourceKey : null;
  }

  static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // Five flat fields: a hand-written escaper keeps this module free of a JSON library.
  static String jsonString(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String topicFrom(Map<String, ?> configs) {
    Object configured = configs == null ? null : configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    return configured == null || configured.toString().isBlank() ? Topics.DEAD_LETTER.name() : configured.toString();
  }

  private static List<ProducerRecord<byte[], byte[]>> pointerFor(String topic, ErrorHandlerContext context, Exception e) {
    return List.of(pointer(topic, context.sourceRawKey(), context.topic(), context.partition(), context.offset(), e));
  }

  /** Skips a record that cannot be deserialized, leaving a pointer on the dead-letter topic. */
  public static final class DeserializationHandler implements DeserializationExceptionHandler {
    private String topic = Topics.DEAD_LETTER.name();
    private MeterRegistry metrics = ServiceMetrics.registryFrom(null);

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topicFrom(configs);
      metrics = ServiceMetrics.registryFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
      if (registryUnavailable(e)) {
        logRetry(record.topic(), record.partition(), record.offset());
        return Response.fail();
      }
      log.warn("Undecodable record skipped to dead letters: topic={} partition={} offset={} error={}",
          record.topic(), record.partition(), record.offset(), e.getClass().getName());
      ServiceMetrics.deadLettered(metrics, record.topic());
      return Response.resume(List.of(
          pointer(topic, record.key(), record.topic(), record.partition(), record.offset(), e)));
    }
  }

  /** Skips a record whose processing threw, leaving a pointer on the dead-letter topic. */
  public static final class ProcessingHandler implements ProcessingExceptionHandler {
    private String topic = Topics.DEAD_LETTER.name();
    private MeterRegistry metrics = ServiceMetrics.registryFrom(null);

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topicFrom(configs);
      metrics = ServiceMetrics.registryFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
      if (registryUnavailable(e)) {
        logRetry(context.topic(), context.partition(), context.offset());
        return Response.fail();
      }
      if (outputSchemaRefused(e)) {
        // a processor that encodes its output itself (the status fold) meets it here, not in production
        logOutputSchemaRefused(context, e);
        return Response.fail();
      }
      log.warn("Record failed in processor {} and was skipped to dead letters: topic={} partition={} offset={} error={}",
          context.processorNodeId(), context.topic(), context.partition(), context.offset(), e.getClass().getName());
      ServiceMetrics.deadLettered(metrics, context.topic());
      return Response.resume(pointerFor(topic, context, e));
    }
  }

  /**
   * For output records: a record we cannot serialize is skipped with a pointer (it would fail the
   * same way forever); a retriable send error is retried; any other send error stops the task, as
   * Kafka's default handler does, but with a payload-free pointer instead of a copy.
   */
  public static final class ProductionHandler implements ProductionExceptionHandler {
    private String topic = Topics.DEAD_LETTER.name();
    private MeterRegistry metrics = ServiceMetrics.registryFrom(null);

    @Override
    public void configure(Map<String, ?> configs) {
      topic = topicFrom(configs);
      metrics = ServiceMetrics.registryFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
      if (e instanceof RetriableException) {
        return Response.retry();
      }
      log.error("Could not write to {} for source topic={} partition={} offset={}: {}",
          record.topic(), context.topic(), context.partition(), context.offset(), e.getClass().getName());
      ServiceMetrics.deadLettered(metrics, context.topic());
      return Response.fail(pointerFor(topic, context, e));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext context, ProducerRecord record, Exception e, SerializationExceptionOrigin origin) {
      if (registryUnavailable(e)) {
        logRetry(context.topic(), context.partition(), context.offset());
        return Response.fail();
      }
      if (outputSchemaRefused(e)) {
        logOutputSchemaRefused(context, e);
        return Response.fail();
      }
      log.warn("Could not serialize a {} for {}; skipped to dead letters: source topic={} partition={} offset={} error={}",
          origin, record.topic(), context.topic(), context.partition(), context.offset(), e.getClass().getName());
      ServiceMetrics.deadLettered(metrics, context.topic());
      return Response.resume(pointerFor(topic, context, e));
    }
  }

  /**
   * The schema comes from the service's own classes, not the record: every output of its type would
   * fail alike, so skipping would drop them all. The task stops until the release and its registry
   * are in step again.
   */
  private static void logOutputSchemaRefused(ErrorHandlerContext context, Exception e) {
    log.error("The schema registry does not hold (or refuses) the schema of what this service writes: register the"
        + " schemas of this release (register-schemas) and restart. Source topic={} partition={} offset={}, not"
        + " skipped: {}", context.topic(), context.partition(), context.offset(), e.getMessage());
  }

  /**
   * True when writing failed because the registry does not hold the writer's schema under the
   * subject, or refuses it as incompatible: a release and its registry out of step, not a bad record.
   */
  public static boolean outputSchemaRefused(Throwable e) {
    return SchemaRegistryException.among(e)
        .map(registry -> registry.isSchemaNotFound() || registry.isSubjectNotFound() || registry.isIncompatible())
        .orElse(false);
  }

  /**
   * True when {@code e} comes from a schema registry that could not answer now
   * ({@link SchemaRegistryException#isTransient}): the record is fine and will read the same once
   * the registry answers, so it must be retried, not dead-lettered (after a restart the schema
   * caches are empty and every record needs the registry).
   */
  public static boolean registryUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof no.followup.common.crypto.KeysUnavailableException) {
        return true; // the data keys of sealed payloads could not be read: the record is fine, retry it
      }
      if (t instanceof SchemaRegistryException registry) {
        return registry.isTransient();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * The handlers answer "fail" for such a record: the stream thread stops without committing, the
   * application replaces it (its uncaught-exception handler) and, under exactly-once, reads the
   * record again from the last commit.
   */
  private static void logRetry(String topic, int partition, long offset) {
    log.error("Schema registry unavailable while handling topic={} partition={} offset={}; failing the stream thread to retry",
        topic, partition, offset);
  }
}
