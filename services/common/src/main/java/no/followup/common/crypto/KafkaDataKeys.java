package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.keys.ParticipantDataKey;
import no.followup.registry.SchemaRegistryException;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The data keys on {@link Topics#PARTICIPANT_KEYS}: a compacted topic keyed {@code <participantId>|<keyId>},
 * each value a {@link ParticipantDataKey} whose keyset is wrapped by the master key, and a marker
 * under {@code <participantId>|erased} once the participant is erased. Each key has its own record,
 * so two intake instances that issue a key for the same participant at once both keep theirs.
 *
 * <p>Read with a consumer of its own (all partitions assigned, read_committed, no group). A lookup
 * that misses reads the topic up to its current end before answering: the intake writes a key, and
 * waits for the broker to acknowledge it, before it writes the first event sealed with it, so a
 * consumer that sees the event finds the key. A missing key then means an erased participant.
 */
public final class KafkaDataKeys implements DataKeys, AutoCloseable {

  static final String ERASED_SUFFIX = "|erased";
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(15);
  /**
   * How old what {@link #erasedAmong} knows may be: it reads the topic again when it last did so
   * longer ago. Reading it for every call would cost each intake request a round trip to the broker,
   * under this object's lock; a second is the most an erasure by another intake instance goes unseen.
   */
  static final Duration ERASURES_SEEN_WITHIN = Duration.ofSeconds(1);

  private final Aead master;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final SpecificAvroDeserializer<ParticipantDataKey> reader = new SpecificAvroDeserializer<>(ParticipantDataKey.class);
  private final SpecificAvroSerializer<ParticipantDataKey> writer = new SpecificAvroSerializer<>();
  private final Map<String, Map<String, byte[]>> wrappedByParticipant = new HashMap<>();
  private final Map<String, Aead> unwrapped = new HashMap<>();
  private final Set<String> erased = new HashSet<>();
  private List<TopicPartition> partitions;
  /** {@link System#nanoTime()} when the topic's end was last read to; meaningful once {@link #partitions} is set. */
  private long caughtUpAt;

  private KafkaDataKeys(KafkaConnection kafka, Map<String, ?> serdeConfig, Aead master, Clock clock, boolean issuer) {
    this.master = master;
    this.clock = clock;
    reader.configure(serdeConfig, false);
    writer.configure(serdeConfig, false);
    this.consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
    this.producer = issuer ? new KafkaProducer<>(kafka.clientConfig(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new ByteArraySerializer()) : null;
  }

  /** For a consumer of sealed events: looks keys up, issues none. */
  public static KafkaDataKeys reader(KafkaConnection kafka, Map<String, ?> serdeConfig, Aead master) {
    return new KafkaDataKeys(kafka, serdeConfig, master, Clock.systemUTC(), false);
  }

  /** For the intake: issues keys and erases them. */
  public static KafkaDataKeys issuer(KafkaConnection kafka, Map<String, ?> serdeConfig, Aead master, Clock clock) {
    return new KafkaDataKeys(kafka, serdeConfig, master, clock, true);
  }

  @Override
  public synchronized Optional<Aead> find(String participantId, String keyId) {
    if (erased.contains(participantId)) {
      return Optional.empty();
    }
    String id = participantId + "|" + keyId;
    Aead known = unwrapped.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    byte[] wrapped = wrapped(participantId, keyId);
    if (wrapped == null) {
      catchUp();
      wrapped = erased.contains(participantId) ? null : wrapped(participantId, keyId);
    }
    if (wrapped == null) {
      return Optional.empty();
    }
    try {
      Aead aead = DataKeyWrapping.unwrap(wrapped, master, participantId, keyId);
      unwrapped.put(id, aead);
      return Optional.of(aead);
    } catch (GeneralSecurityException notOurs) {
      return Optional.empty(); // wrapped with another master key, or moved from another participant
    }
  }

  @Override
  public synchronized IssuedKey keyFor(String participantId) {
    requireIssuer();
    if (!wrappedByParticipant.containsKey(participantId) && !erased.contains(participantId)) {
      catchUp();
    }
    if (erased.contains(participantId)) {
      // a late event for an erased participant: sealed with a key nobody keeps
      return new IssuedKey("discarded", DataKeyWrapping.aead(DataKeyWrapping.newDataKey()));
    }
    Map<String, byte[]> keys = wrappedByParticipant.get(participantId);
    if (keys != null && !keys.isEmpty()) {
      String keyId = keys.keySet().iterator().next();
      return new IssuedKey(keyId, find(participantId, keyId).orElseThrow());
    }
    String keyId = HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(UUID.randomUUID().getMostSignificantBits()).array());
    var dataKey = DataKeyWrapping.newDataKey();
    byte[] wrapped = DataKeyWrapping.wrap(dataKey, master, participantId, keyId);
    ParticipantDataKey record = ParticipantDataKey.newBuilder().setParticipantId(participantId).setKeyId(keyId)
        .setWrappedKeyset(ByteBuffer.wrap(wrapped)).setErasedAt(null).build();
    await(List.of(send(participantId + "|" + keyId, record)));
    wrappedByParticipant.computeIfAbsent(participantId, p -> new HashMap<>()).put(keyId, wrapped);
    Aead aead = DataKeyWrapping.aead(dataKey);
    unwrapped.put(participantId + "|" + keyId, aead);
    return new IssuedKey(keyId, aead);
  }

  @Override
  public synchronized void erase(String participantId) {
    requireIssuer();
    catchUp();
    // the marker is written before the keys are deleted: a reader that finds a key gone finds the
    // marker too (they may lie in different partitions), and a payload without its key and without
    // a marker is an error (EventSealer#unseal), not an erasure
    await(List.of(send(participantId + ERASED_SUFFIX, ParticipantDataKey.newBuilder().setParticipantId(participantId)
        .setKeyId("erased").setWrappedKeyset(null).setErasedAt(clock.instant()).build())));
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (String keyId : wrappedByParticipant.getOrDefault(participantId, Map.of()).keySet()) {
      sends.add(send(participantId + "|" + keyId, null));
    }
    await(sends);
    forget(participantId);
    erased.add(participantId);
  }

  @Override
  public synchronized Set<String> erasedAmong(Collection<String> participantIds) {
    // an id never seen is no different: what was read less than a second ago holds for it too, and
    // ids without keys (cohorts, specialists, participants not yet enrolled) would otherwise cost a read each
    if (partitions == null || System.nanoTime() - caughtUpAt > ERASURES_SEEN_WITHIN.toNanos()) {
      catchUp();
    }
    return participantIds.stream().filter(erased::contains).collect(Collectors.toUnmodifiableSet());
  }

  private Future<RecordMetadata> send(String key, ParticipantDataKey value) {
    String topic = Topics.PARTICIPANT_KEYS.name();
    return producer.send(new ProducerRecord<>(topic, key, value == null ? null : writer.serialize(topic, value)));
  }

  private void await(List<Future<RecordMetadata>> sends) {
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get(CATCH_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new KeysUnavailableException("the key topic did not acknowledge", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeysUnavailableException("interrupted while writing a key", e);
    }
  }

  private void requireIssuer() {
    if (producer == null) {
      throw new IllegalStateException("a reader of data keys issues none");
    }
  }

  private byte[] wrapped(String participantId, String keyId) {
    Map<String, byte[]> keys = wrappedByParticipant.get(participantId);
    return keys == null ? null : keys.get(keyId);
  }

  private void forget(String participantId) {
    wrappedByParticipant.remove(participantId);
    unwrapped.keySet().removeIf(id -> id.startsWith(participantId + "|"));
  }

  /** Reads the topic up to where it ends now. */
  private void catchUp() {
    try {
      if (partitions == null) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.PARTICIPANT_KEYS.name(), CATCH_UP_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new KeysUnavailableException("the key topic " + Topics.PARTICIPANT_KEYS.name() + " does not exist", null);
        }
        partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
      }
      long startedAt = System.nanoTime();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP_TIMEOUT);
      long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
      while (!reached(end)) {
        if (System.nanoTime() > deadline) {
          throw new KeysUnavailableException("the key topic was not read to its end in time", null);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          apply(record);
        }
      }
      caughtUpAt = startedAt;
    } catch (KafkaException e) {
      throw new KeysUnavailableException("the key topic could not be read", e);
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String key = record.key();
    int bar = key == null ? -1 : key.lastIndexOf('|');
    if (bar < 1) {
      return; // not a key record of ours
    }
    String participantId = key.substring(0, bar);
    if (key.endsWith(ERASED_SUFFIX)) {
      // the wrapped keys stay known until their own tombstones are read: an erasure interrupted after
      // its marker, asked again, still has them to delete; none opens anything meanwhile (find)
      erased.add(participantId);
      unwrapped.keySet().removeIf(id -> id.startsWith(participantId + "|"));
      return;
    }
    String keyId = key.substring(bar + 1);
    if (record.value() == null) {
      Map<String, byte[]> keys = wrappedByParticipant.get(participantId);
      if (keys != null) {
        keys.remove(keyId);
        if (keys.isEmpty()) {
          wrappedByParticipant.remove(participantId); // an erased participant leaves nothing behind
        }
      }
      unwrapped.remove(key);
      return;
    }
    ParticipantDataKey value;
    try {
      value = reader.deserialize(record.topic(), record.value());
    } catch (RuntimeException unreadable) {
      if (registryUnavailable(unreadable)) {
        throw new KeysUnavailableException("the schema registry is unavailable", unreadable);
      }
      return; // not a key: it opens nothing
    }
    if (value.getWrappedKeyset() != null) {
      ByteBuffer buffer = value.getWrappedKeyset().duplicate();
      byte[] wrapped = new byte[buffer.remaining()];
      buffer.get(wrapped);
      wrappedByParticipant.computeIfAbsent(participantId, p -> new HashMap<>()).put(keyId, wrapped);
    }
  }

  /** The registry could not be asked (the intake runs without Kafka Streams, so not through DeadLetters). */
  private static boolean registryUnavailable(Throwable e) {
    return SchemaRegistryException.among(e).map(SchemaRegistryException::isTransient).orElse(false);
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
