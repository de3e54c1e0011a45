package no.followup.intake.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.events.FollowUpEvent;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to {@link Topics#EVENTS}, keyed by participantId, values in the registry's Avro
 * wire format.
 *
 * <p>Single events go through one shared idempotent producer (acks=all); the caller waits for the
 * acknowledgement. Batches go through transactional producers so that a batch is committed
 * all-or-nothing (consumers read with {@code isolation.level=read_committed}). A transactional
 * producer runs one transaction at a time, so batches take a producer from a small pool and give it
 * back afterwards: up to pool-size batches run in parallel, the rest wait (bounded by the ack
 * timeout) instead of serialising behind a single lock. A producer whose transaction failed is
 * closed and replaced by a fresh one with the same transactional.id, whose initialisation aborts
 * whatever the failed one left open.
 *
 * <p>Timeouts are chosen so a caller hears back within about the ack timeout when the broker is down:
 * {@code delivery.timeout.ms} = ack timeout, {@code max.block.ms} and {@code request.timeout.ms} half of it.
 */
public final class KafkaEventPublisher implements EventPublisher {

  private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);
  /** Bounds how long a crashed batch's open transaction can hold back read_committed consumers. */
  private static final int TRANSACTION_TIMEOUT_MS = 30_000;

  private final String topic = Topics.EVENTS.name();
  private final Map<String, Object> baseConfig;
  private final SchemaRegistryClient registry;
  private final Map<String, Object> serdeConfig;
  private final Duration ackTimeout;
  private final Producer<String, FollowUpEvent> producer;
  private final BlockingQueue<TransactionalProducer> pool;
  private final List<TransactionalProducer> all = new ArrayList<>();

  /**
   * @param registry shared registry client (one cache for every producer)
   * @param transactionalIdPrefix unique per running instance: two live producers with one transactional.id fence each other
   */
  public KafkaEventPublisher(KafkaConnection kafka, SchemaRegistryClient registry, boolean autoRegisterSchemas,
      Duration ackTimeout, int transactionalProducers, String transactionalIdPrefix) {
    this.registry = registry;
    this.ackTimeout = ackTimeout;
    this.serdeConfig = Map.of(
        AvroSerdeConfig.SCHEMA_REGISTRY_URL, "unused: the client is given",
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, String.valueOf(autoRegisterSchemas));
    long half = Math.max(1_000, ackTimeout.toMillis() / 2);
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, half);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) half);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ackTimeout.toMillis(), half + 5));
    config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    this.baseConfig = Map.copyOf(config);

    Map<String, Object> single = new HashMap<>(baseConfig);
    single.put(ProducerConfig.CLIENT_ID_CONFIG, "followup-intake");
    // Every single-event request waits for its own acknowledgement, so lingering only adds latency;
    // records of concurrent requests still share batches while earlier sends are in flight.
    single.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = newProducer(single);

    this.pool = new ArrayBlockingQueue<>(transactionalProducers);
    for (int i = 0; i < transactionalProducers; i++) {
      TransactionalProducer p = new TransactionalProducer(transactionalIdPrefix + "-" + i);
      all.add(p);
      pool.add(p);
    }
  }

  /**
   * Binds the single-event producer's metrics (the batch API's transactional producers are created
   * and replaced as they fail, so their client metrics would come and go).
   */
  public void bindMetrics(ServiceMetrics metrics) {
    metrics.bindProducer(producer);
  }

  /** A transactional.id prefix unique to this process. */
  public static String uniqueTransactionalIdPrefix() {
    return "followup-intake-" + UUID.randomUUID();
  }

  @Override
  public void publish(FollowUpEvent event) throws EventStoreUnavailableException, EventTooLargeException {
    try {
      Future<RecordMetadata> ack = producer.send(record(event));
      ack.get(ackTimeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      refuseIfTooLarge(cause);
      throw unavailable(cause);
    } catch (KafkaException e) {
      refuseIfTooLarge(e);
      throw unavailable(e);
    } catch (TimeoutException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
  }

  @Override
  public void publishAll(List<FollowUpEvent> events) throws EventStoreUnavailableException, EventTooLargeException {
    if (events.isEmpty()) {
      return;
    }
    TransactionalProducer p;
    try {
      p = pool.poll(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
    if (p == null) {
      throw new EventStoreUnavailableException("every transactional producer is busy", null);
    }
    try {
      p.write(events);
    } catch (KafkaException e) {
      refuseIfTooLarge(e);
      throw unavailable(e);
    } finally {
      pool.add(p);
    }
  }

  private ProducerRecord<String, FollowUpEvent> record(FollowUpEvent event) {
    return new ProducerRecord<>(topic, event.getParticipantId(), event);
  }

  private Producer<String, FollowUpEvent> newProducer(Map<String, Object> config) {
    SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>(registry);
    values.configure(serdeConfig, false);
    return new KafkaProducer<>(config, new StringSerializer(), values);
  }

  /**
   * Throws when {@code failure} is, or was caused by, the producer or broker refusing a record as too
   * large: retrying cannot help, so it must not be answered like an outage. A failed transactional send
   * reaches the caller wrapped in the commit's exception, hence the walk down the causes.
   */
  private static void refuseIfTooLarge(Throwable failure) throws EventTooLargeException {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        // the message states sizes and limits only, never event values
        log.warn("Event store refused a record as too large: {}", t.getMessage());
        throw new EventTooLargeException("event too large for the event store", t);
      }
    }
  }

  private static EventStoreUnavailableException unavailable(Throwable cause) {
    // the class and message say what failed (timeout, registry); they never carry event values
    log.warn("Event store did not acknowledge: {}: {}", cause.getClass().getSimpleName(), cause.getMessage());
    return new EventStoreUnavailableException("event store unavailable", cause);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    for (TransactionalProducer p : all) {
      p.discard();
    }
  }

  /** One transactional.id; its producer is created and initialised on first use and after a failure. */
  private final class TransactionalProducer {
    private final String transactionalId;
    private Producer<String, FollowUpEvent> producer;

    TransactionalProducer(String transactionalId) {
      this.transactionalId = transactionalId;
    }

    void write(List<FollowUpEvent> events) {
      if (producer == null) {
        Map<String, Object> config = new HashMap<>(baseConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        producer = newProducer(config);
        try {
          producer.initTransactions();
        } catch (KafkaException e) {
          discard();
          throw e;
        }
      }
      try {
        producer.beginTransaction();
        for (FollowUpEvent event : events) {
          producer.send(record(event));
        }
        // flushes, and fails if any send failed: then nothing of the batch is visible
        producer.commitTransaction();
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // the broker is out of reach, so an abort would only wait as long again; the replacement's
        // initTransactions aborts the open transaction once the broker is back
        discard();
        throw e;
      } catch (KafkaException e) {
        if (!abortQuietly()) {
          discard();
        }
        throw e;
      }
    }

    private boolean abortQuietly() {
      try {
        producer.abortTransaction();
        return true;
      } catch (KafkaException e) {
        log.debug("Could not abort transaction of {}: {}", transactionalId, e.toString());
        return false;
      }
    }

    void discard() {
      if (producer != null) {
        producer.close(Duration.ZERO);
        producer = null;
      }
    }
  }
}
