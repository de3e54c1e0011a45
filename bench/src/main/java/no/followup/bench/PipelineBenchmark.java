package no.followup.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import no.followup.common.Topics;
import no.followup.common.streams.StreamsDefaults;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.intake.IntakeApp;
import no.followup.intake.IntakeConfig;
import no.followup.intake.event.EventJsonWriter;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.status.topology.StatusTopology;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the pipeline's hot paths in one run and reports each as a ratio against a baseline
 * measured in the same run, so the figures mean something on a shared 2-core machine where
 * absolute numbers drift. Not a unit test: run it on purpose, read the table.
 *
 * <ol>
 *   <li>Serde: our Confluent-wire-format serde (schema id cached) vs plain Avro binary.</li>
 *   <li>Schema id cache: warm serializer vs one that must ask the registry over HTTP every time.</li>
 *   <li>Intake: events per second in batches of 100 vs one event per request, real broker.</li>
 *   <li>Status: cost per event for participants with long histories vs short ones (the status is
 *       re-folded from the participant's whole ordered history on every event).</li>
 * </ol>
 */
@Command(name = "pipeline-benchmark", mixinStandardHelpOptions = true)
public final class PipelineBenchmark implements Callable<Integer> {

  @Option(names = "--serde-ops", defaultValue = "200000") int serdeOps;
  @Option(names = "--cold-ops", defaultValue = "300") int coldOps;
  @Option(names = "--intake-events", defaultValue = "2000") int intakeEvents;
  @Option(names = "--status-events", defaultValue = "4000") int statusEvents;

  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("followup-bench");
    System.out.printf("followup benchmark, %d cores, java %s, max heap %d MiB%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(work.resolve("kafka")));
         LocalSchemaRegistry registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0)) {
      serde(registry.url());
      schemaIdCache(registry.url());
      intake(broker.bootstrapServers(), registry.url());
    }
    status(work.resolve("status"));

    System.out.printf("%n%-58s %14s %14s %9s%n", "measurement", "subject", "baseline", "ratio");
    rows.forEach(r -> System.out.printf("%-58s %14s %14s %9s%n", (Object[]) r));
    return 0;
  }

  /** Against the registry's REST API, as in production: after the first record everything is cached. */
  private void serde(String registryUrl) throws Exception {
    Map<String, Object> config = Map.of("schema.registry.url", registryUrl);
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    SpecificAvroDeserializer<FollowUpEvent> deserializer = new SpecificAvroDeserializer<>(FollowUpEvent.class);
    deserializer.configure(config, false);
    FollowUpEvent event = meetingScheduled("p-bench", 1, Instant.parse("2026-01-05T09:00:00Z"));

    SpecificDatumWriter<FollowUpEvent> writer = new SpecificDatumWriter<>(FollowUpEvent.getClassSchema(), new FollowUpEvent().getSpecificData());
    SpecificDatumReader<FollowUpEvent> reader = new SpecificDatumReader<>(FollowUpEvent.getClassSchema(), FollowUpEvent.getClassSchema(), new FollowUpEvent().getSpecificData());
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = null;
    BinaryDecoder decoder = null;

    for (int round = 0; round < 2; round++) { // the first round warms the JIT; the second is measured
      long t0 = System.nanoTime();
      for (int i = 0; i < serdeOps; i++) {
        byte[] bytes = serializer.serialize(Topics.EVENTS.name(), event);
        if (deserializer.deserialize(Topics.EVENTS.name(), bytes) == null) {
          throw new IllegalStateException("round trip lost the record");
        }
      }
      long ours = System.nanoTime() - t0;
      t0 = System.nanoTime();
      for (int i = 0; i < serdeOps; i++) {
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(event, encoder);
        encoder.flush();
        decoder = DecoderFactory.get().binaryDecoder(buffer.toByteArray(), decoder);
        if (reader.read(null, decoder) == null) {
          throw new IllegalStateException("round trip lost the record");
        }
      }
      long plain = System.nanoTime() - t0;
      if (round == 1) {
        rows.add(new String[] {"serde round trip, ns/op (ours / plain Avro binary)",
            fmt(ours / (double) serdeOps), fmt(plain / (double) serdeOps), fmt(ours / (double) plain) + "x"});
      }
    }
  }

  private void schemaIdCache(String registryUrl) {
    Map<String, Object> config = Map.of("schema.registry.url", registryUrl);
    FollowUpEvent event = meetingScheduled("p-bench", 1, Instant.parse("2026-01-05T09:00:00Z"));
    SpecificAvroSerializer<FollowUpEvent> warm = new SpecificAvroSerializer<>();
    warm.configure(config, false);
    warm.serialize(Topics.EVENTS.name(), event);
    long t0 = System.nanoTime();
    for (int i = 0; i < coldOps; i++) {
      // a fresh serializer has a fresh client and an empty cache: one registry round trip per record
      SpecificAvroSerializer<FollowUpEvent> cold = new SpecificAvroSerializer<>();
      cold.configure(config, false);
      cold.serialize(Topics.EVENTS.name(), event);
    }
    long coldNanos = System.nanoTime() - t0;
    int warmOps = coldOps * 100;
    t0 = System.nanoTime();
    for (int i = 0; i < warmOps; i++) {
      warm.serialize(Topics.EVENTS.name(), event);
    }
    long warmNanos = System.nanoTime() - t0;
    double coldPer = coldNanos / (double) coldOps;
    double warmPer = warmNanos / (double) warmOps;
    rows.add(new String[] {"serialize, us/op (registry lookup each time / cached id)",
        fmt(coldPer / 1000), fmt(warmPer / 1000), fmt(coldPer / warmPer) + "x"});
  }

  private void intake(String bootstrap, String registryUrl) throws Exception {
    try (IntakeApp intake = IntakeApp.start(IntakeConfig.defaults(bootstrap, registryUrl).withPort(0))) {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper mapper = new ObjectMapper();
      EventJsonWriter json = new EventJsonWriter();
      String base = "http://127.0.0.1:" + intake.port() + "/api/v1/events";
      Instant start = Instant.now().minus(Duration.ofDays(30));

      // warm-up: JIT, producer connections, transactional producers
      post(http, base + "/batch", batchBody(mapper, json, "p-warm", 0, 200, start));
      for (int i = 0; i < 100; i++) {
        post(http, base, mapper.writeValueAsString(json.write(meetingScheduled("p-warm", 1000 + i, start))));
      }

      long t0 = System.nanoTime();
      for (int i = 0; i < intakeEvents; i++) {
        post(http, base, mapper.writeValueAsString(json.write(meetingScheduled("p-single-" + (i % 50), i, start))));
      }
      double singlePerSec = intakeEvents / ((System.nanoTime() - t0) / 1e9);

      int batchSize = 100;
      t0 = System.nanoTime();
      for (int offset = 0; offset < intakeEvents; offset += batchSize) {
        post(http, base + "/batch", batchBody(mapper, json, "p-batch", offset, batchSize, start));
      }
      double batchPerSec = intakeEvents / ((System.nanoTime() - t0) / 1e9);
      rows.add(new String[] {"intake, events/s accepted (batches of 100 / one per request)",
          fmt(batchPerSec), fmt(singlePerSec), fmt(batchPerSec / singlePerSec) + "x"});
    }
  }

  private static String batchBody(ObjectMapper mapper, EventJsonWriter json, String prefix, int offset, int size, Instant start)
      throws Exception {
    ObjectNode body = mapper.createObjectNode();
    ArrayNode events = body.putArray("events");
    for (int i = 0; i < size; i++) {
      events.add(json.write(meetingScheduled(prefix + "-" + ((offset + i) % 50), offset + i, start)));
    }
    return mapper.writeValueAsString(body);
  }

  private static void post(HttpClient http, String url, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("intake answered " + response.statusCode() + ": " + response.body());
    }
  }

  private void status(Path stateDir) throws Exception {
    statusCostPerEvent(stateDir.resolve("warm-up"), statusEvents / 10); // JIT and RocksDB warm-up, not reported
    double shortHistories = statusCostPerEvent(stateDir.resolve("short"), statusEvents / 10);
    double longHistories = statusCostPerEvent(stateDir.resolve("long"), 10);
    rows.add(new String[] {"status, us/event (" + statusEvents / 10 + " vs 10 participants; " + 10 + " vs "
        + statusEvents / 10 + " events each)", fmt(longHistories), fmt(shortHistories),
        fmt(longHistories / shortHistories) + "x"});
  }

  /** Pipes {@code statusEvents} events spread over {@code participants} through the status topology. */
  private double statusCostPerEvent(Path stateDir, int participants) throws Exception {
    Instant start = Instant.parse("2025-01-06T09:00:00Z");
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://bench-status");
    var topology = StatusTopology.build(new StatusTopology.Options(ZoneId.of("Europe/Oslo"), Map.of(),
        Duration.ofHours(1), java.time.Clock.systemUTC()), serdeConfig);
    Properties props = StreamsDefaults.builder("bench-status", "127.0.0.1:9")
        .stateDir(stateDir)
        .schemaRegistryUrl("mock://bench-status")
        .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
        .build();
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(serdeConfig, false);
    List<FollowUpEvent> events = new ArrayList<>();
    int perParticipant = statusEvents / participants;
    for (int p = 0; p < participants; p++) {
      String id = "p-" + Integer.toHexString(0x100000 + p);
      events.add(enrolled(id, start));
      for (int i = 1; i < perParticipant; i++) {
        Instant at = start.plus(Duration.ofDays(i));
        events.add(i % 2 == 1 ? meetingScheduled(id, i, at) : attended(id, i - 1, at));
      }
    }
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, FollowUpEvent> input =
          driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), serializer);
      // interleave participants the way live traffic does, so every event lands on a grown history
      List<FollowUpEvent> interleaved = new ArrayList<>(events.size());
      for (int i = 0; i < perParticipant; i++) {
        for (int p = 0; p < participants; p++) {
          interleaved.add(events.get(p * perParticipant + i));
        }
      }
      long t0 = System.nanoTime();
      for (FollowUpEvent event : interleaved) {
        input.pipeInput(event.getParticipantId(), event);
      }
      return (System.nanoTime() - t0) / 1000.0 / interleaved.size();
    }
  }

  private static FollowUpEvent envelope(String participantId, Instant at, Object payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId("3421")
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-bench"))
        .setOccurredAt(at)
        .setRecordedAt(at.plusSeconds(600))
        .setCohortId("bench")
        .setPayload(payload)
        .build();
  }

  private static FollowUpEvent enrolled(String participantId, Instant at) {
    return envelope(participantId, at, new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), "s-bench", null));
  }

  private static FollowUpEvent meetingScheduled(String participantId, int n, Instant at) {
    return envelope(participantId, at, new MeetingScheduled("m-" + n, at.plus(Duration.ofDays(2)), MeetingKind.OFFICE));
  }

  private static FollowUpEvent attended(String participantId, int n, Instant at) {
    return envelope(participantId, at, new MeetingAttended("m-" + n));
  }

  private static String fmt(double value) {
    return value >= 100 ? String.format("%.0f", value) : String.format("%.2f", value);
  }
}
