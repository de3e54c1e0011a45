package no.followup.intake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.OidcAuthenticator;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.TestIssuer;
import no.followup.intake.deadletters.SourceRecord;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.EventSchema;
import no.followup.intake.event.ExampleEvents;
import no.followup.intake.http.IntakeApi;
import no.followup.intake.http.OpenApiDocument;
import no.followup.intake.http.RecordingPublisher;
import no.followup.intake.publish.RecentEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's publishing logic against the real HTTP layer; reading a real topic is covered by IntakeIT. */
class FollowupCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The intake's sign-in: the local token, as in the local stack. */
  private static final LocalToken TOKEN = LocalToken.generate();

  @TempDir Path dir;
  private final RecordingPublisher publisher = new RecordingPublisher();
  private Javalin server;
  private String base;

  @BeforeEach
  void start() {
    Instant now = Instant.now();
    server = new IntakeApi(TOKEN, new EventJsonReader(), publisher, new RecentEvents(100), () -> true, Clock.systemUTC(),
        1024 * 1024, 1000, OpenApiDocument.generate(1024 * 1024, 1000, now)).create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FollowupCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static String example(String type) {
    Run run = run("example", type, "--compact");
    assertThat(run.exit()).isZero();
    return run.out().trim();
  }

  @Test
  void exampleGivesAValidEventWithAFreshIdForEveryType() throws Exception {
    EventJsonReader reader = new EventJsonReader();
    for (String type : EventSchema.get().typeNames()) {
      JsonNode first = JSON.readTree(example(type));
      JsonNode second = JSON.readTree(example(type));

      assertThat(reader.read(first, Instant.now()).errors()).as(type).isEmpty();
      assertThat(first.path("type").asText()).isEqualTo(type);
      assertThat(first.path("eventId")).isNotEqualTo(second.path("eventId"));
    }
    assertThat(run("example").out().lines()).containsExactlyElementsOf(EventSchema.get().typeNames());
    assertThat(run("example", "Nope").exit()).isEqualTo(FollowupCli.FAILED);
  }

  @Test
  void publishingAFileReportsEveryLineInOrderAndSendsOnlyTheValidOnes() throws Exception {
    ObjectNode bad = (ObjectNode) JSON.readTree(example("FunctionScoreRecorded"));
    ((ObjectNode) bad.get("payload")).put("pain", 0);
    List<String> lines = List.of(example("MeetingScheduled"), bad.toString(), "", "{oops", example("ContactMade"),
        example("MeetingAttended"), example("ParticipantMoved"));
    Path file = dir.resolve("events.jsonl");
    Files.write(file, lines);

    Run run = run("publish", "--intake-url", base, "--token", TOKEN.value(), "--file", file.toString(), "--batch-size", "3");

    assertThat(run.exit()).isEqualTo(FollowupCli.REJECTED);
    List<String> out = run.out().lines().toList();
    assertThat(out).hasSize(7);
    assertThat(out.get(0)).startsWith("line 1: accepted " + JSON.readTree(lines.get(0)).path("eventId").asText());
    assertThat(out.get(1)).isEqualTo("line 2: rejected: payload.pain: must be between 1 and 5");
    assertThat(out.get(2)).startsWith("line 4: rejected: $: not valid JSON");
    assertThat(out.get(3)).startsWith("line 5: accepted");
    assertThat(out.get(4)).startsWith("line 6: accepted");
    assertThat(out.get(5)).startsWith("line 7: accepted");
    assertThat(out.get(6)).isEqualTo("4 accepted, 2 rejected");
    assertThat(publisher.published).extracting(e -> e.getEventId().toString()).containsExactly(
        JSON.readTree(lines.get(0)).path("eventId").asText(), JSON.readTree(lines.get(4)).path("eventId").asText(),
        JSON.readTree(lines.get(5)).path("eventId").asText(), JSON.readTree(lines.get(6)).path("eventId").asText());
  }

  @Test
  void publishingOneEventReportsItsFieldErrors() throws Exception {
    ObjectNode bad = (ObjectNode) JSON.readTree(example("MeetingScheduled"));
    bad.put("officeId", "");
    Path file = dir.resolve("event.json");
    Files.writeString(file, bad.toPrettyString());

    Run rejected = run("publish", "--intake-url", base, "--token", TOKEN.value(), file.toString());
    Run accepted = run("publish", "--intake-url", base, "--token", TOKEN.value(), example("MeetingAttended"));

    assertThat(rejected.exit()).isEqualTo(FollowupCli.REJECTED);
    assertThat(rejected.out()).contains("rejected: invalid event", "  officeId: must not be blank");
    assertThat(accepted.exit()).isZero();
    assertThat(accepted.out()).startsWith("accepted ");
    assertThat(publisher.published).hasSize(1);
  }

  @Test
  void anEventFileLargerThanTheIntakeTakesIsNotReadWholeNorSent() throws Exception {
    Path huge = dir.resolve("huge.json");
    Files.write(huge, new byte[PublishCommand.MAX_EVENT_BYTES + 1]);

    Run refused = run("publish", "--intake-url", base, "--token", TOKEN.value(), huge.toString());

    assertThat(refused.exit()).isEqualTo(FollowupCli.FAILED);
    assertThat(refused.err()).contains("the event file " + huge + " is larger than " + PublishCommand.MAX_EVENT_BYTES + " bytes");
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void anUnavailableIntakeIsExitCodeTwo() throws Exception {
    publisher.down.set(true);
    Run unavailable = run("publish", "--intake-url", base, "--token", TOKEN.value(), "--retries", "1", example("MeetingAttended"));

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run unreachable = run("publish", "--intake-url", "http://127.0.0.1:" + closedPort, "--retries", "0",
        example("MeetingAttended"));

    assertThat(unavailable.exit()).isEqualTo(FollowupCli.FAILED);
    assertThat(unavailable.out()).contains("HTTP 503");
    assertThat(unavailable.err()).contains("retrying");
    assertThat(unreachable.exit()).isEqualTo(FollowupCli.FAILED);
    assertThat(unreachable.out()).contains("cannot reach");
  }

  @Test
  void withoutAValidTokenNothingIsSentAndTheMessageSaysWhereTheTokenGoes() throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.write(file, List.of(example("MeetingAttended"), example("ContactMade")));

    Run none = run("publish", "--intake-url", base, "--token", "", example("MeetingAttended"));
    Run wrong = run("publish", "--intake-url", base, "--token", LocalToken.generate().value(), "--file", file.toString());

    assertThat(none.exit()).isEqualTo(FollowupCli.FAILED);
    assertThat(none.out()).contains("HTTP 401", "--token", "FOLLOWUP_TOKEN");
    assertThat(wrong.exit()).isEqualTo(FollowupCli.FAILED);
    assertThat(wrong.out()).contains("line 1: not sent: HTTP 401", "line 2: not sent: HTTP 401");
    assertThat(publisher.published).isEmpty();
    // the right token, for contrast
    assertThat(run("publish", "--intake-url", base, "--token", TOKEN.value(), "--file", file.toString()).exit()).isZero();
  }

  @Test
  void eventsTheSignInDoesNotAllowAreRejectedLineByLine() throws Exception {
    try (TestIssuer issuer = TestIssuer.start()) {
      Javalin oidcIntake = new IntakeApi(new OidcAuthenticator(OidcSettings.of(issuer.issuer(), "followup-intake")),
          new EventJsonReader(), publisher, new RecentEvents(100), () -> true, Clock.systemUTC(), 1024 * 1024, 1000,
          OpenApiDocument.generate(1024 * 1024, 1000, Instant.now())).create().start("127.0.0.1", 0);
      try {
        // the examples are recorded by s-12 at office 0403
        String coordinator = issuer.staffToken("followup-intake", "s-12", List.of("COORDINATOR"), List.of("0403"));
        ObjectNode otherOffice = (ObjectNode) JSON.readTree(example("MeetingAttended"));
        otherOffice.put("officeId", "3421");
        Path file = dir.resolve("events.jsonl");
        String allowed = example("ContactMade");
        Files.write(file, List.of(allowed, example("ParticipantErased"), otherOffice.toString()));

        Run run = run("publish", "--intake-url", "http://127.0.0.1:" + oidcIntake.port(), "--token", coordinator,
            "--file", file.toString());

        assertThat(run.exit()).isEqualTo(FollowupCli.REJECTED);
        assertThat(run.out().lines().toList()).containsExactly(
            "line 1: accepted " + JSON.readTree(allowed).path("eventId").asText(),
            "line 2: rejected: type: your sign-in does not allow recording ParticipantErased events",
            "line 3: rejected: officeId: your sign-in does not allow recording events for this office",
            "1 accepted, 2 rejected");
        assertThat(publisher.published).hasSize(1);
      } finally {
        oidcIntake.stop();
      }
    }
  }

  @Test
  void publishNeedsExactlyOneSource() {
    assertThat(run("publish", "--intake-url", base).exit()).isEqualTo(FollowupCli.FAILED);
  }

  @Test
  void tailKnowsTheShortTopicNames() {
    assertThat(SourceRecord.fullTopicName("events")).isEqualTo(Topics.EVENTS.name());
    assertThat(SourceRecord.fullTopicName("participant-status")).isEqualTo(Topics.PARTICIPANT_STATUS.name());
    assertThat(SourceRecord.fullTopicName(Topics.TALLIES.name())).isEqualTo(Topics.TALLIES.name());
    assertThat(SourceRecord.fullTopicName("someone.elses.topic")).isEqualTo("someone.elses.topic");
  }
}
