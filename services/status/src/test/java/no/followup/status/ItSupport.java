package no.followup.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producers, consumers, HTTP and expected values for the integration tests. */
public final class ItSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** The sign-in of every instance the tests start, as in the local stack: one token for all. */
  private static final LocalToken TOKEN = LocalToken.generate();

  private ItSupport() {}

  static StatusConfig config(String bootstrap, String registryUrl, String applicationId, Path stateDir) {
    return StatusConfig.defaults(bootstrap, registryUrl)
        .withApplicationId(applicationId)
        .withStateDir(stateDir)
        .withHttp("127.0.0.1", 0)
        .withTopics(3, (short) 1)
        .withSignIn(SignIn.local(TOKEN));
  }

  static void publish(String bootstrap, String registryUrl, List<FollowUpEvent> events) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        "schema.registry.url", registryUrl);
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    try (var producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      for (FollowUpEvent e : events) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), null, e.getRecordedAt().toEpochMilli(),
            e.getParticipantId(), e));
      }
      producer.flush();
    }
  }

  /** A read_committed consumer of {@code topic} from the beginning. */
  static <V extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, V> consumer(
      String bootstrap, String registryUrl, String topic, Class<V> type) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        "schema.registry.url", registryUrl);
    SpecificAvroDeserializer<V> deserializer = new SpecificAvroDeserializer<>(type);
    deserializer.configure(config, false);
    KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
    consumer.subscribe(Set.of(topic));
    return consumer;
  }

  /** Polls once and folds the records into {@code latest} (a tombstone removes the key). */
  static <V> void pollInto(KafkaConsumer<String, V> consumer, Map<String, V> latest) {
    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(300))) {
      if (r.value() == null) {
        latest.remove(r.key());
      } else {
        latest.put(r.key(), r.value());
      }
    }
  }

  /** Every tally the events should produce, computed without Kafka: fold, contributions, sums. */
  static Map<String, Tally> expectedTallies(List<FollowUpEvent> events, Instant now, ZoneId zone) {
    return ExpectedTallies.tallies(events, now, zone);
  }

  /**
   * Real time moved back to the latest 12:00 in Oslo. It moves, as it must: the application's
   * Kafka Streams times its commits with it. Its date stays the same however long a test runs, so
   * expected 30-day figures hold at any hour; and it is never ahead of real time, so record
   * timestamps taken from it are never refused as coming from the future.
   */
  static Clock latestNoonInOslo() {
    ZoneId oslo = ZoneId.of("Europe/Oslo");
    ZonedDateTime now = ZonedDateTime.now(oslo);
    ZonedDateTime noon = now.toLocalDate().atTime(LocalTime.NOON).atZone(oslo);
    return Clock.offset(Clock.systemUTC(), Duration.between(now, noon.isAfter(now) ? noon.minusDays(1) : noon));
  }

  /** The tallies without the moment each was computed ({@code asOf}), which a moving clock decides. */
  static Map<String, Tally> withoutAsOf(Map<String, Tally> tallies) {
    Map<String, Tally> out = new TreeMap<>();
    tallies.forEach((key, tally) -> out.put(key, Tally.newBuilder(tally).setAsOf(Instant.EPOCH).build()));
    return out;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN.value()).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(int port, String path) throws Exception {
    HttpResponse<String> response = get(port, path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
