package no.followup.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.intake.cli.FollowupCli;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.status.StatusApp;
import no.followup.status.StatusConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A dead letter re-driven end to end: the status service skips an event whose schema its registry
 * cannot find; once the schema is found again, {@code followup dead-letters redrive} puts the event
 * back and status counts it; a second re-drive copies nothing.
 */
class DeadLetterRedriveIT {

  private static final LocalToken TOKEN = LocalToken.generate();
  private static final String PARTICIPANT = "p-redrive-" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @Test
  void aSkippedEventIsRedrivenOnceItsCauseIsFixedAndASecondRedriveCopiesNothing() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
         LocalSchemaRegistry registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
         HidingRegistryProxy statusRegistry = new HidingRegistryProxy(registry.url())) {
      String bootstrap = broker.bootstrapServers();
      statusRegistry.hide(FollowUpEvent.getClassSchema().getFullName());

      StatusConfig config = StatusConfig.defaults(bootstrap, statusRegistry.url()).withApplicationId("status-redrive-it")
          .withStateDir(dir.resolve("status")).withHttp("127.0.0.1", 0).withTopics(3, (short) 1).withSignIn(SignIn.local(TOKEN));
      try (StatusApp status = StatusApp.start(config, Clock.systemUTC())) {
        publish(bootstrap, registry.url(), enrolment(PARTICIPANT));

        // status skipped it: one open dead letter, and no status for the participant
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> openDeadLetter(bootstrap), found -> found != null);
        assertThat(statusCode(status.port(), PARTICIPANT)).isEqualTo(404);
        Run shown = run("dead-letters", "show", id, "--bootstrap-servers", bootstrap);
        assertThat(shown.exit()).isZero();
        assertThat(shown.out()).contains("error       org.apache.kafka.common.errors.SerializationException").contains("Unknown schema id").contains("state       open");

        // a re-drive before the cause is fixed is refused; nothing is copied
        Run tooEarly = run("dead-letters", "redrive", id, "--bootstrap-servers", bootstrap,
            "--schema-registry-url", statusRegistry.url());
        assertThat(tooEarly.exit()).isEqualTo(1);
        assertThat(tooEarly.out()).contains(id + ": not re-driven: still unreadable");

        statusRegistry.showAll();
        Run redrive = run("dead-letters", "redrive", id, "--bootstrap-servers", bootstrap, "--schema-registry-url", registry.url());
        assertThat(redrive.exit()).as(redrive.err()).isZero();
        assertThat(redrive.out()).contains(id + ": re-driven to events/");
        await().atMost(Duration.ofSeconds(60)).until(() -> statusCode(status.port(), PARTICIPANT) == 200);

        // twice is once: by name, and by selection
        Run again = run("dead-letters", "redrive", id, "--bootstrap-servers", bootstrap, "--schema-registry-url", registry.url());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains(id + ": already re-driven");
        Run all = run("dead-letters", "redrive", "--all", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry.url());
        assertThat(all.out()).contains(id + ": already re-driven");
        assertThat(recordsWithKey(bootstrap, PARTICIPANT)).as("the original and one copy").isEqualTo(2);

        Run list = run("dead-letters", "list", "--bootstrap-servers", bootstrap);
        assertThat(list.out()).contains("1 dead letters, 1 re-driven").contains("SerializationException (1)")
            .contains(id + "  ").contains("re-driven").doesNotContain(PARTICIPANT).doesNotContain("s-redrive");
      }
    }
  }

  private static FollowUpEvent enrolment(String participantId) {
    Instant now = Instant.now();
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID()).setParticipantId(participantId).setOfficeId("0403")
        .setActor(new Actor(StaffRole.COUNSELLOR, "s-redrive1")).setOccurredAt(now).setRecordedAt(now)
        .setPayload(new ParticipantEnrolled(List.of(TargetGroup.OTHER), "s-redrive2", null)).build();
  }

  private static void publish(String bootstrap, String registryUrl, FollowUpEvent event) throws Exception {
    SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>();
    values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"),
        new StringSerializer(), values)) {
      producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getParticipantId(), event)).get();
    }
  }

  /** The id of the one open dead letter {@code list} shows, or null while there is none. */
  private static String openDeadLetter(String bootstrap) {
    Run list = run("dead-letters", "list", "--open", "--source-topic", "events", "--bootstrap-servers", bootstrap);
    return list.out().lines().map(String::trim).filter(line -> line.startsWith("events/")).map(line -> line.split("\\s+")[0])
        .findFirst().orElse(null);
  }

  private static int statusCode(int port, String participantId) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/participants/"
        + participantId)).header("Authorization", "Bearer " + TOKEN.value()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int recordsWithKey(String bootstrap, String key) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      int found = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(new String(record.key()))) {
            found++;
          }
        }
      }
      return found;
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FollowupCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
