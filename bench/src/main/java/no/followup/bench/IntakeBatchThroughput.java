package no.followup.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.events.FollowUpEvent;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.intake.event.EventJsonWriter;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The intake's batch API (JSON over HTTP, validation, one Kafka transaction per batch; its default
 * settings) against a plain producer with the same Avro serde and the same producer settings
 * writing the same events to a topic of the same broker. Request bodies are built before the
 * clock starts: the clients' JSON work is not the intake's cost. A few batches of other events warm
 * the intake (JIT, transactional producers) and the plain producer first.
 */
final class IntakeBatchThroughput {

  static final int BATCH_SIZE = 500;
  static final int CLIENTS = 4;
  private static final int WARM_UP_BATCHES = 8;
  private static final String PLAIN_TOPIC = "bench.plain-events";

  private final Path workDir;
  private final int events;

  IntakeBatchThroughput(Path workDir, int events) {
    this.workDir = workDir;
    this.events = events;
  }

  List<Row> run() throws Exception {
    int batches = Math.max(1, events / BATCH_SIZE);
    SyntheticHistories warmUp = new SyntheticHistories("p-warm", BATCH_SIZE, WARM_UP_BATCHES);
    SyntheticHistories measured = new SyntheticHistories("p-intake", BATCH_SIZE, batches);
    System.err.printf("intake: %,d events in batches of %d from %d clients%n", measured.size(), BATCH_SIZE, CLIENTS);
    LocalToken token = LocalToken.generate();
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("intake"));
         IntakeApp intake = IntakeApp.start(IntakeConfig.defaults(broker.bootstrapServers(), broker.registryUrl())
             .withPort(0).withSignIn(SignIn.local(token)))) {
      broker.createTopic(PLAIN_TOPIC);
      URI batchUri = URI.create("http://127.0.0.1:" + intake.port() + "/api/v1/events/batch");
      post(batchUri, token, bodies(warmUp));
      double intakeRate = measured.size() / Timing.seconds(post(batchUri, token, bodies(measured)));
      System.err.printf("  intake: %,.0f events/s%n", intakeRate);

      produce(broker, warmUp);
      double plainRate = measured.size() / Timing.seconds(produce(broker, measured));
      System.err.printf("  plain producer: %,.0f events/s%n", plainRate);
      return List.of(new Row(String.format("intake batch API, batches of %d, %d clients", BATCH_SIZE, CLIENTS),
          Row.rate(intakeRate), Row.rate(plainRate) + " (plain producer, same serde)", Row.ratio(intakeRate / plainRate),
          Row.NONE, Row.Verdict.NONE));
    }
  }

  /** One request body per batch: every participant's event {@code i} in batch {@code i}. */
  private static List<String> bodies(SyntheticHistories histories) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    EventJsonWriter json = new EventJsonWriter();
    List<String> bodies = new ArrayList<>();
    for (int batch = 0; batch < histories.eventsPerParticipant(); batch++) {
      ObjectNode body = mapper.createObjectNode();
      ArrayNode array = body.putArray("events");
      for (int participant = 0; participant < histories.participants(); participant++) {
        array.add(json.write(histories.event(participant, batch)));
      }
      bodies.add(mapper.writeValueAsString(body));
    }
    return bodies;
  }

  /** Posts the bodies from {@link #CLIENTS} concurrent clients; returns the nanoseconds until the last was accepted. */
  private static long post(URI uri, LocalToken token, List<String> bodies) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(clients.submit(() -> {
          for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token.value())
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
              throw new IllegalStateException("intake answered " + response.statusCode() + ": " + response.body());
            }
          }
          return null;
        }));
      }
      for (Future<?> client : running) {
        client.get();
      }
      return System.nanoTime() - start;
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * Writes the events with the intake's producer settings (acks=all, idempotent, linger.ms 5) but
   * no HTTP, JSON or transactions; returns the nanoseconds until all were acknowledged.
   */
  private static long produce(BenchBroker broker, SyntheticHistories histories) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        "schema.registry.url", broker.registryUrl());
    SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>();
    values.configure(config, false);
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
      long start = System.nanoTime();
      for (int batch = 0; batch < histories.eventsPerParticipant(); batch++) {
        for (int participant = 0; participant < histories.participants(); participant++) {
          FollowUpEvent event = histories.event(participant, batch);
          producer.send(new ProducerRecord<>(PLAIN_TOPIC, event.getParticipantId(), event), (metadata, failure) -> {
            if (failure != null) {
              failed.compareAndSet(null, failure);
            }
          });
        }
      }
      producer.flush();
      long elapsed = System.nanoTime() - start;
      if (failed.get() != null) {
        throw new IllegalStateException("plain producer failed: " + failed.get().getMessage(), failed.get());
      }
      return elapsed;
    }
  }
}
