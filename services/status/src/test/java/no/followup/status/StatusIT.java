package no.followup.status;

import static no.followup.status.ItSupport.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.metrics.PrometheusText;
import no.followup.common.streams.DeadLetters;
import no.followup.events.Actor;
import no.followup.events.CohortDefined;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.demo.DemoScenario;
import no.followup.status.demo.DemoScenarioTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status application against a real broker and registry: the demo replay, HTTP, dead letters
 * and two instances sharing the work. The tests share the broker and its topics, and each
 * application reads every event on the topic, but they share no participant, office, staff
 * member or application id, so each asserts only on its own keys and they hold in any order.
 */
class StatusIT {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("broker")));
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void replayingTheDemoGivesTheOptimistFiguresOnTheTalliesTopicAndOverHttp() throws Exception {
    Clock clock = ItSupport.latestNoonInOslo();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    StatusConfig cfg = ItSupport.config(broker.bootstrapServers(), registry.url(), "status-it", dir.resolve("state"));
    List<FollowUpEvent> events = new ArrayList<>(DemoScenario.generate(42, now));
    events.addAll(HandCountedOffice.events(now));
    Map<String, Tally> expected = ItSupport.expectedTallies(events, now, cfg.zone());

    try (StatusApp app = StatusApp.start(cfg, clock);
         KafkaConsumer<String, Tally> tallies = ItSupport.consumer(broker.bootstrapServers(), registry.url(),
             Topics.TALLIES.name(), Tally.class)) {
      assertThat(getJson(app.port(), "/health/ready").get("status").asText()).isEqualTo("READY");
      ItSupport.publish(broker.bootstrapServers(), registry.url(), events);

      // every tally of these events ends equal to a recount of them, OPTIMIST's as in the report and
      // the small office's as counted by hand
      Map<String, Tally> latest = new HashMap<>();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        ItSupport.pollInto(tallies, latest);
        assertThat(ItSupport.withoutAsOf(latest)).containsAllEntriesOf(ItSupport.withoutAsOf(expected));
      });
      DemoScenarioTest.assertOptimistFigures(latest.get("cohort:optimist"));
      HandCountedOffice.assertCountedByHand(latest.get("office:" + HandCountedOffice.OFFICE));
      HandCountedOffice.assertCountedByHand(latest.get("cohort:" + HandCountedOffice.COHORT));
      HandCountedOffice.assertSecondCoordinatorCountedByHand(latest.get("coordinator:" + HandCountedOffice.COORDINATOR_2));

      JsonNode cohort = getJson(app.port(), "/api/v1/cohorts/optimist/tally");
      assertThat(cohort.get("participants").asLong()).isEqualTo(15);
      JsonNode situations = cohort.get("bySituation");
      assertThat(situations.get("JOB_OR_APPRENTICESHIP").asLong()).isEqualTo(5);
      assertThat(situations.get("MEASURE_OR_ACTIVITY").asLong()).isEqualTo(5);
      assertThat(situations.get("MOVED").asLong()).isEqualTo(2);
      assertThat(situations.get("DISABILITY_BENEFIT").asLong()).isEqualTo(1);
      assertThat(situations.get("NO_REGULAR_ACTIVITY").asLong()).isEqualTo(2);
      JsonNode coop = cohort.get("coopWonca");
      assertThat(coop.get("pairs").asLong()).isEqualTo(9);
      assertThat(Math.round(coop.get("meanFirst").asDouble() * 10) / 10.0).isEqualTo(2.8);
      assertThat(Math.round(coop.get("meanLatest").asDouble() * 10) / 10.0).isEqualTo(2.6);
      assertThat(Math.round(coop.get("worst").asDouble() * 10) / 10.0).isEqualTo(3.7);
      assertThat(Math.round(coop.get("best").asDouble() * 10) / 10.0).isEqualTo(1.6);
      assertThat(coop.get("improved").asLong()).isEqualTo(6);
      assertThat(coop.get("unchanged").asLong()).isEqualTo(2);
      assertThat(coop.get("worsened").asLong()).isEqualTo(1);
      assertThat(cohort.get("goal").isNull()).as("OPTIMIST's definition sets no share goal").isTrue();
      assertThat(cohort.path("cohort").path("name").asText()).isEqualTo("OPTIMIST, NAV Trysil");
      assertThat(getJson(app.port(), "/api/v1/cohorts/" + DemoScenario.GJOVIK_COHORT + "/groups/REFUGEE_WOMEN/tally")
          .get("goal").asDouble()).as("a group's goal from its cohort's definition, on its cohort's partition").isEqualTo(0.6);
      assertThat(Instant.parse(cohort.get("asOf").asText())).isBetween(now, clock.instant());

      // the final report's table as of the project's last day, from the kept events
      JsonNode report = getJson(app.port(), "/api/v1/cohorts/optimist/report?asOf=2022-12-31");
      assertThat(report.path("complete").asBoolean()).isTrue();
      JsonNode table = report.path("report").path("situationOfEveryoneTakenIn");
      assertThat(List.of(table.path("JOB_OR_APPRENTICESHIP").asLong(), table.path("MEASURE_OR_ACTIVITY").asLong(),
          table.path("MOVED").asLong(), table.path("DISABILITY_BENEFIT").asLong(), table.path("NO_REGULAR_ACTIVITY").asLong()))
          .containsExactly(5L, 5L, 2L, 1L, 2L);
      assertThat(report.path("report").path("coopWonca").path("pairs").asLong()).isEqualTo(9);
      assertThat(report.path("report").path("asOf").asText()).isEqualTo("2022-12-31");
      assertThat(ItSupport.get(app.port(), "/api/v1/cohorts/optimist/report?asOf=31.12.2022").statusCode()).isEqualTo(400);
      JsonNode year = getJson(app.port(), "/api/v1/cohorts/optimist/report?from=2022-01-01&to=2022-12-31");
      assertThat(year.path("period").path("inProject").asLong()).isPositive();
      assertThat(year.path("period").path("exited").asLong() + year.path("period").path("activeAtEnd").asLong())
          .isEqualTo(year.path("period").path("inProject").asLong());
      assertThat(year.path("report").path("asOf").asText()).isEqualTo("2022-12-31");
      assertThat(year.path("recordedAfterTheDate").asLong()).as("the demo's late paper forms: none after 2022").isZero();
      assertThat(ItSupport.get(app.port(), "/api/v1/cohorts/optimist/report?from=2023-01-01&to=2022-12-31").statusCode())
          .isEqualTo(400);
      JsonNode sinceThen = getJson(app.port(), "/api/v1/cohorts/optimist/report?from=2022-01-01");
      assertThat(sinceThen.path("period").path("to").asText()).as("no 'to': today in Oslo, the service's zone")
          .isEqualTo(LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/Oslo")).toString());
      assertThat(ItSupport.get(app.port(), "/api/v1/cohorts/nowhere/report").statusCode()).isEqualTo(404);

      // the tally and the office's list as of the project's last day, from the kept events, as the report's table
      JsonNode tallyThen = getJson(app.port(), "/api/v1/cohorts/optimist/tally?asOf=2022-12-31");
      assertThat(tallyThen.path("complete").asBoolean()).isTrue();
      JsonNode situationsThen = tallyThen.path("bySituation");
      assertThat(List.of(situationsThen.path("JOB_OR_APPRENTICESHIP").asLong(), situationsThen.path("MEASURE_OR_ACTIVITY").asLong(),
          situationsThen.path("MOVED").asLong(), situationsThen.path("DISABILITY_BENEFIT").asLong(),
          situationsThen.path("NO_REGULAR_ACTIVITY").asLong())).containsExactly(5L, 5L, 2L, 1L, 2L);
      assertThat(tallyThen.path("goal").isNull()).as("OPTIMIST has no goal share").isTrue();
      JsonNode officeThen = getJson(app.port(), "/api/v1/participants?office=3421&asOf=2022-12-31");
      assertThat(officeThen.path("complete").asBoolean()).isTrue();
      assertThat(officeThen.path("participants").size()).isEqualTo(15);
      HttpResponse<String> tooEarly = ItSupport.get(app.port(), "/api/v1/offices/3421/tally?asOf=1999-12-31");
      assertThat(tooEarly.statusCode()).isEqualTo(400);
      assertThat(tooEarly.body()).contains("'asOf'");

      assertThat(getJson(app.port(), "/api/v1/offices/" + DemoScenario.TRYSIL_OFFICE + "/tally").get("participants").asLong())
          .isEqualTo(15);
      assertThat(getJson(app.port(), "/api/v1/tallies/cohort-group:optimist%7CYOUTH_UNDER_30").get("participants").asLong())
          .isEqualTo(expected.get("cohort-group:optimist|YOUTH_UNDER_30").getParticipants());
      assertThat(getJson(app.port(), "/api/v1/specialists/" + DemoScenario.JOB_SPECIALIST_OVER_CAP + "/tally")
          .get("jobSpecialistCaseloads").findValuesAsText("flag")).contains("OVER_CAP");
      assertThat(getJson(app.port(), "/api/v1/tallies?prefix=office:").get("keys")).extracting(JsonNode::asText).contains(
          "office:" + DemoScenario.TRYSIL_OFFICE, "office:" + DemoScenario.GJOVIK_OFFICE, "office:" + DemoScenario.VALDRES_OFFICE,
          "office:" + HandCountedOffice.OFFICE);
      // the hand-counted office over HTTP: 4 enrolled (2 active), 1 awaiting enrolment, 2 exits, 1 into work
      JsonNode handCounted = getJson(app.port(), "/api/v1/offices/" + HandCountedOffice.OFFICE + "/tally");
      assertThat(handCounted.get("participants").asLong()).isEqualTo(4);
      assertThat(handCounted.get("active").asLong()).isEqualTo(2);
      assertThat(handCounted.get("awaitingEnrolment").asLong()).isEqualTo(1);
      assertThat(handCounted.get("exits").asLong()).isEqualTo(2);
      assertThat(handCounted.get("exitsIntoWorkOrEducation").asLong()).isEqualTo(1);
      assertThat(handCounted.get("meetingsAttendedLast30Days").asLong()).isEqualTo(1);
      assertThat(getJson(app.port(), "/api/v1/participants?office=" + HandCountedOffice.OFFICE).get("participants")
          .findValuesAsText("participantId")).containsExactly(HandCountedOffice.JOB, HandCountedOffice.MEASURE,
          HandCountedOffice.IPS, HandCountedOffice.NOT_ENROLLED, HandCountedOffice.MOVED);

      JsonNode review = getJson(app.port(), "/api/v1/offices/" + DemoScenario.GJOVIK_OFFICE + "/review");
      assertThat(review.get("complete").asBoolean()).isTrue();
      assertThat(review.get("participants").size()).isEqualTo(18);
      JsonNode first = review.get("participants").get(0);
      assertThat(first.get("consecutiveMisses").asInt()).isGreaterThanOrEqualTo(3); // those needing attention first
      assertThat(first.has("situation") && first.has("servicesReceived") && first.has("lastContactAt")
          && first.has("daysInProject")).isTrue();

      String someone = events.stream().filter(e -> !(e.getPayload() instanceof no.followup.events.CohortDefined))
          .findFirst().orElseThrow().getParticipantId();
      JsonNode participant = getJson(app.port(), "/api/v1/participants/" + someone);
      assertThat(participant.get("participantId").asText()).isEqualTo(someone);
      assertThat(getJson(app.port(), "/api/v1/participants?office=" + DemoScenario.VALDRES_OFFICE).get("participants").size())
          .isEqualTo(20);
      assertThat(ItSupport.get(app.port(), "/api/v1/participants/p-0000000000").statusCode()).isEqualTo(404);
      assertThat(ItSupport.get(app.port(), "/api/v1/tallies/office:0000").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anUnreadableRecordIsDeadLetteredAndTheApplicationKeepsRunning() throws Exception {
    Instant now = Instant.now();
    StatusConfig cfg = ItSupport.config(broker.bootstrapServers(), registry.url(), "status-it-dlq", dir.resolve("state-dlq"));
    try (StatusApp app = StatusApp.start(cfg, Clock.systemUTC());
         KafkaConsumer<byte[], byte[]> dead = new KafkaConsumer<>(Map.of(
             "bootstrap.servers", broker.bootstrapServers(), "group.id", "it-" + UUID.randomUUID(),
             "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
             new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      dead.subscribe(Set.of(Topics.DEAD_LETTER.name()));
      byte[] payload = "{\"pain\":5,\"feelings\":4}".getBytes(StandardCharsets.UTF_8);
      try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
          new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "p-dead000001", payload)).get();
      }
      FollowUpEvent next = FollowUpEvent.newBuilder()
          .setEventId(UUID.randomUUID()).setParticipantId("p-dead000002").setOfficeId("9999")
          .setActor(new Actor(StaffRole.COUNSELLOR, "s-dead01")).setOccurredAt(now).setRecordedAt(now)
          .setPayload(new ParticipantEnrolled(List.of(TargetGroup.OTHER), "s-dead02", null)).build();
      ItSupport.publish(broker.bootstrapServers(), registry.url(), List.of(next));

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(ItSupport.get(app.port(), "/api/v1/participants/p-dead000002").statusCode()).isEqualTo(200));
      ConsumerRecord<byte[], byte[]> pointer = await().atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : dead.poll(Duration.ofMillis(300))) {
          if ("p-dead000001".equals(new String(r.key(), StandardCharsets.UTF_8))) {
            return r;
          }
        }
        return null;
      }, r -> r != null);
      String value = new String(pointer.value(), StandardCharsets.UTF_8);
      assertThat(value).contains("\"sourceTopic\":\"" + Topics.EVENTS.name() + "\"").doesNotContain("pain");
      assertThat(new String(pointer.headers().lastHeader(DeadLetters.HEADER_SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
          .isEqualTo(Topics.EVENTS.name());
      pointer.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("pain"));
      assertThat(app.streamsState().isRunningOrRebalancing()).isTrue();

      // /metrics: the dead letter counted, Kafka Streams (its consumer's lag among them), HTTP and the JVM
      String metrics = ItSupport.get(app.port(), "/metrics").body();
      assertThat(PrometheusText.valueOrZero(metrics, "followup_dead_letters_total",
          "source_topic=\"" + Topics.EVENTS.name() + "\"", "service=\"status\"")).isGreaterThanOrEqualTo(1.0);
      assertThat(metrics)
          .contains("kafka_stream_thread_process_total{")
          .contains("kafka_consumer_fetch_manager_records_lag_max{")
          .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",service=\"status\",status=\"200\","
              + "uri=\"/api/v1/participants/{id}\"}")
          .contains("jvm_memory_used_bytes{")
          .doesNotContain("p-dead000001").doesNotContain("p-dead000002");
    }
  }

  @Test
  void withTwoInstancesEitherAnswersEveryKeyAndCompleteListsWithA503OnlyWhileTheyRebalance() throws Exception {
    String bootstrap = broker.bootstrapServers();
    StatusConfig first = ItSupport.config(bootstrap, registry.url(), "status-it-two-instances", dir.resolve("state-first"));
    StatusConfig second = first.withStateDir(dir.resolve("state-second")).withInstanceId("2");
    Instant now = Instant.now();
    // more participants than partitions (3), so that the keys spread over the partitions
    List<String> participants = List.of("p-scale00001", "p-scale00002", "p-scale00003", "p-scale00004", "p-scale00005",
        "p-scale00006");
    List<FollowUpEvent> enrolments = new ArrayList<>();
    for (String id : participants) {
      enrolments.add(FollowUpEvent.newBuilder()
          .setEventId(UUID.randomUUID()).setParticipantId(id).setOfficeId("9998")
          .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-scal01")).setOccurredAt(now).setRecordedAt(now)
          .setCohortId("scale")
          .setPayload(new ParticipantEnrolled(List.of(TargetGroup.OTHER), "s-scal01", null)).build());
    }
    enrolments.add(FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID()).setParticipantId("cohort:scale").setOfficeId("9998")
        .setActor(new Actor(StaffRole.TEAM_LEAD, "s-scal02")).setOccurredAt(now).setRecordedAt(now).setCohortId("scale")
        .setPayload(new CohortDefined("Scale", List.of("9998"), List.of(TargetGroup.OTHER), LocalDate.of(2025, 1, 1),
            LocalDate.of(2030, 12, 31), 0.6, List.of())).build());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicProvisioner(3, (short) 1).ensure(admin, StatusApp.TOPICS); // whichever test of the class runs first
    }
    ItSupport.publish(bootstrap, registry.url(), enrolments);

    try (StatusApp one = StatusApp.start(first, Clock.systemUTC()); StatusApp other = StatusApp.start(second, Clock.systemUTC())) {
      // every answer while they settle is the whole truth or a 503 with Retry-After, never a partial list
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        for (StatusApp app : List.of(one, other)) {
          HttpResponse<String> list = ItSupport.get(app.port(), "/api/v1/participants?office=9998");
          if (list.statusCode() == 503) {
            assertThat(list.headers().firstValue("Retry-After")).isPresent();
          }
          if (list.statusCode() == 200) {
            assertThat(ItSupport.JSON.readTree(list.body()).get("participants").findValuesAsText("participantId"))
                .as("a 200 is complete").containsExactlyElementsOf(participants);
          }
          assertThat(list.statusCode()).isEqualTo(200);
        }
      });
      // the partitions are spread over both (else nothing here would be passed on or gathered)
      for (StatusApp app : List.of(one, other)) {
        assertThat(PrometheusText.valueOrZero(ItSupport.get(app.port(), "/metrics").body(),
            "kafka_consumer_coordinator_assigned_partitions", "StreamThread-1-consumer\"")).isPositive();
      }
      for (String id : participants) {
        for (StatusApp app : List.of(one, other)) {
          HttpResponse<String> answer = ItSupport.get(app.port(), "/api/v1/participants/" + id);
          assertThat(answer.statusCode()).as(id).isEqualTo(200);
          assertThat(ItSupport.JSON.readTree(answer.body()).get("participantId").asText()).isEqualTo(id);
        }
      }
      for (StatusApp app : List.of(one, other)) {
        JsonNode review = getJson(app.port(), "/api/v1/offices/9998/review");
        assertThat(review.get("complete").asBoolean()).isTrue();
        assertThat(review.get("participants").findValuesAsText("participantId")).containsExactlyElementsOf(participants);
        assertThat(getJson(app.port(), "/api/v1/tallies?prefix=office:9998").get("keys")).extracting(JsonNode::asText)
            .containsExactly("office:9998");
        // the cohort report and a tally as of a date fold every instance's participants, or answer 503
        JsonNode report = getJson(app.port(), "/api/v1/cohorts/scale/report");
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.path("report").path("total").path("takenIn").asLong()).isEqualTo(participants.size());
        JsonNode today = getJson(app.port(), "/api/v1/offices/9998/tally?asOf=" + LocalDate.now(ZoneId.of("Europe/Oslo")));
        assertThat(today.get("participants").asLong()).isEqualTo(participants.size());
      }
    }
  }
}
