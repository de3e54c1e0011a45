package no.followup.dashboard.forms;

import static no.followup.dashboard.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.ApiResult;
import no.followup.dashboard.tasks.IntakeClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording from a form: who may, what reaches the intake, and that an eventId is recorded once. */
class EventFormsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final String OFFICE = "0403";
  private static final Caller COORDINATOR_A = new Caller("s-21", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller COORDINATOR_B = new Caller("s-22", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller TEAM_LEAD = new Caller("s-50", Set.of(Role.TEAM_LEAD), Set.of(OFFICE), false, false);
  private static final Caller PROJECT_LEAD = new Caller("s-60", Set.of(Role.PROJECT_LEAD), Set.of(OFFICE), false, false);
  private static final String OF_A = "p-a00001";

  @TempDir Path dir;

  private final ReadModel model = new ReadModel();
  private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  /** What the stand-in intake answers next; 202 unless a test sets otherwise. */
  private volatile IntakeClient.Answer answer = new IntakeClient.Answer(202, null);
  private volatile CountDownLatch intakeGate = new CountDownLatch(0);
  private AuditLog audit;
  private EventForms forms;

  @BeforeEach
  void setUp() {
    Instant enrolled = Instant.parse("2026-03-01T09:00:00Z");
    model.putStatus(OF_A, status(OF_A, OFFICE, COORDINATOR_A.id(), enrolled).setCohortId("optimist").build());
    audit = new AuditLog(dir.resolve("audit.log"), Clock.fixed(Instant.parse("2026-05-12T08:00:00Z"), ZoneOffset.UTC));
    IntakeClient intake = new IntakeClient("http://127.0.0.1:9", () -> "token", Duration.ofSeconds(1)) {
      @Override
      public Answer publish(JsonNode event) {
        try {
          intakeGate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sent.add(event);
        return answer;
      }
    };
    forms = new EventForms(new FormCatalog(), model, new AccessPolicy(), intake, audit, OSLO, () -> { });
  }

  @AfterEach
  void tearDown() {
    audit.close();
  }

  private static ObjectNode form(String type, String occurredAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("eventId", UUID.randomUUID().toString());
    body.put("type", type);
    body.put("occurredAt", occurredAt);
    body.putObject("payload");
    return body;
  }

  private static ObjectNode meeting(String startsAt) {
    ObjectNode body = form("MeetingScheduled", "2026-05-12T10:00");
    ((ObjectNode) body.get("payload")).put("meetingId", "m-1a2b3c4d").put("startsAt", startsAt).put("kind", "HOME_VISIT");
    return body;
  }

  @Test
  void aMeetingIsSentToTheIntakeWithOsloTimesAsInstantsAndTheStaffMemberAsActor() throws Exception {
    ObjectNode body = meeting("2026-05-12T14:30");

    ApiResult result = forms.submit(COORDINATOR_A, OF_A, body);

    assertThat(result.status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
    JsonNode event = sent.get(0);
    assertThat(event.path("eventId").asText()).isEqualTo(body.get("eventId").asText());
    assertThat(event.path("participantId").asText()).isEqualTo(OF_A);
    assertThat(event.path("officeId").asText()).as("the participant's office").isEqualTo(OFFICE);
    assertThat(event.path("cohortId").asText()).isEqualTo("optimist");
    assertThat(event.path("actor").path("staffId").asText()).isEqualTo("s-21");
    assertThat(event.path("actor").path("role").asText()).isEqualTo("ACTIVITY_COORDINATOR");
    assertThat(event.path("type").asText()).isEqualTo("MeetingScheduled");
    // summer time in Oslo: UTC+2
    assertThat(event.path("occurredAt").asText()).isEqualTo("2026-05-12T08:00:00Z");
    assertThat(event.path("payload").path("startsAt").asText()).isEqualTo("2026-05-12T12:30:00Z");
    assertThat(event.path("payload").path("kind").asText()).isEqualTo("HOME_VISIT");
    assertThat(Files.readString(dir.resolve("audit.log"))).contains("\"action\":\"record-event\"").contains(OF_A)
        .contains(body.get("eventId").asText());
    // the action is recorded before it is sent, the intake's answer after
    assertThat(Files.readAllLines(dir.resolve("audit.log"))).satisfiesExactly(
        line -> assertThat(line).contains("\"action\":\"record-event\"").doesNotContain("intakeStatus"),
        line -> assertThat(line).contains("\"action\":\"" + AuditLog.INTAKE_ANSWERED + "\"").contains("\"intakeStatus\":\"202\"")
            .contains(body.get("eventId").asText()));
  }

  @Test
  void aFormThatCannotBeAuditedIsNotSent() {
    audit.close(); // as a full disk would: every write fails

    assertThatThrownBy(() -> forms.submit(COORDINATOR_A, OF_A, meeting("2026-05-12T14:30")))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(sent).isEmpty();
  }

  @Test
  void winterTimesAreUtcPlusOneAndTheAutumnsRepeatedHourIsTheEarlierOne() {
    forms.submit(COORDINATOR_A, OF_A, meeting("2026-01-15T09:00"));
    forms.submit(COORDINATOR_A, OF_A, meeting("2026-10-25T02:30"));

    assertThat(sent.get(0).path("payload").path("startsAt").asText()).isEqualTo("2026-01-15T08:00:00Z");
    assertThat(sent.get(1).path("payload").path("startsAt").asText()).isEqualTo("2026-10-25T00:30:00Z");
  }

  @Test
  void scoresAndHoursBecomeNumbersAndYesNoABoolean() {
    ObjectNode score = form("FunctionScoreRecorded", "2026-05-12T10:00");
    ObjectNode items = (ObjectNode) score.get("payload");
    for (String chart : List.of("physicalFitness", "feelings", "dailyActivities", "socialActivities", "changeInHealth",
        "overallHealth", "pain")) {
      items.put(chart, "3");
    }
    ObjectNode contact = form("ContactMade", "2026-05-12T10:00");
    ((ObjectNode) contact.get("payload")).put("channel", "PHONE").put("reached", "false");

    assertThat(forms.submit(COORDINATOR_A, OF_A, score).status()).isEqualTo(202);
    assertThat(forms.submit(COORDINATOR_A, OF_A, contact).status()).isEqualTo(202);

    assertThat(sent.get(0).path("payload").path("pain").isInt()).isTrue();
    assertThat(sent.get(0).path("payload").path("pain").asInt()).isEqualTo(3);
    assertThat(sent.get(1).path("payload").path("reached").isBoolean()).isTrue();
    assertThat(sent.get(1).path("payload").path("reached").asBoolean()).isFalse();
  }

  @Test
  void anotherCoordinatorsParticipantDoesNotExistForTheFormAndNothingIsSent() {
    ApiResult refused = forms.submit(COORDINATOR_B, OF_A, meeting("2026-05-12T14:30"));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(forms.submit(COORDINATOR_A, "p-unknown", meeting("2026-05-12T14:30")).status()).isEqualTo(404);
    assertThat(forms.submit(PROJECT_LEAD, OF_A, meeting("2026-05-12T14:30")).status()).isIn(403, 404);
    assertThat(sent).isEmpty();
    // the same form from the participant's coordinator is sent
    assertThat(forms.submit(COORDINATOR_A, OF_A, meeting("2026-05-12T14:30")).status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
  }

  @Test
  void erasureIsForATeamLeadAndNeedsTheParticipantIdTypedOut() {
    ObjectNode erase = form("ParticipantErased", "2026-05-12T10:00");

    assertThat(forms.submit(COORDINATOR_A, OF_A, erase).status()).isEqualTo(403);
    ApiResult unconfirmed = forms.submit(TEAM_LEAD, OF_A, erase);
    assertThat(unconfirmed.status()).isEqualTo(400);
    assertThat(unconfirmed.body().path("fields").get(0).path("field").asText()).isEqualTo("confirm");
    erase.put("confirm", "p-a00002");
    assertThat(forms.submit(TEAM_LEAD, OF_A, erase).status()).isEqualTo(400);
    assertThat(sent).isEmpty();

    erase.put("confirm", OF_A);
    assertThat(forms.submit(TEAM_LEAD, OF_A, erase).status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
    assertThat(forms.recordable(COORDINATOR_A, model.status(OF_A))).doesNotContain("ParticipantErased").contains("MeetingMissed");
    assertThat(forms.recordable(TEAM_LEAD, model.status(OF_A))).contains("ParticipantErased");
  }

  @Test
  void aNewParticipantIsEnrolledForAnOfficeOfTheStaffMembersOwn() {
    ObjectNode enrol = form("ParticipantEnrolled", "2026-05-12T10:00");
    ((ObjectNode) enrol.get("payload")).put("coordinatorId", "s-21").putArray("targetGroups").add("REFUGEE_WOMEN");
    enrol.put("officeId", "3421");
    enrol.put("cohortId", "gjovik-2025");

    ApiResult otherOffice = forms.submit(COORDINATOR_A, "p-new0001", enrol);
    assertThat(otherOffice.status()).isEqualTo(400);
    assertThat(otherOffice.body().path("fields").get(0).path("field").asText()).isEqualTo("officeId");

    enrol.put("officeId", OFFICE);
    assertThat(forms.submit(COORDINATOR_A, "p-new0001", enrol).status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).path("cohortId").asText()).isEqualTo("gjovik-2025");
    assertThat(sent.get(0).path("payload").path("targetGroups").get(0).asText()).isEqualTo("REFUGEE_WOMEN");
    assertThat(forms.recordable(COORDINATOR_A, null)).containsExactly("ParticipantEnrolled");
  }

  @Test
  void anErasedParticipantCannotBeEnrolledAgainUnderTheSameId() {
    model.putStatus(OF_A, null); // the status service's tombstone: erased
    ObjectNode enrol = form("ParticipantEnrolled", "2026-05-12T10:00");
    ((ObjectNode) enrol.get("payload")).put("coordinatorId", "s-21").putArray("targetGroups").add("REFUGEE_WOMEN");
    enrol.put("officeId", OFFICE);

    ApiResult refused = forms.submit(COORDINATOR_A, OF_A, enrol);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(sent).isEmpty();
  }

  @Test
  void anyOtherFormForAnErasedIdIsAnsweredLikeOneForAnUnknownId() {
    model.putStatus(OF_A, null); // the status service's tombstone: erased

    ApiResult refused = forms.submit(COORDINATOR_A, OF_A, meeting(""));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.body().toString()).doesNotContain("erased");
    assertThat(sent).isEmpty();
  }

  @Test
  void theIntakesFieldErrorsComeBackAsTheyAreAndNothingIsRemembered() throws Exception {
    answer = new IntakeClient.Answer(400, JSON.readTree(
        "{\"error\":\"invalid event\",\"fields\":[{\"field\":\"payload.startsAt\",\"message\":\"is required\"}]}"));
    ObjectNode body = meeting("");

    ApiResult refused = forms.submit(COORDINATOR_A, OF_A, body);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().path("fields").get(0).path("field").asText()).isEqualTo("payload.startsAt");
    assertThat(sent.get(0).path("payload").has("startsAt")).as("an empty time is left out").isFalse();
    // corrected, the same form (same eventId) is sent again and accepted
    answer = new IntakeClient.Answer(202, null);
    ((ObjectNode) body.get("payload")).put("startsAt", "2026-05-12T14:30");
    assertThat(forms.submit(COORDINATOR_A, OF_A, body).status()).isEqualTo(202);
    assertThat(sent).hasSize(2);
  }

  @Test
  void aTimeThatIsNotADateAndTimeIsAFieldErrorOfItsOwnAndNothingIsSent() {
    ApiResult refused = forms.submit(COORDINATOR_A, OF_A, meeting("tomorrow at noon"));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().path("fields").get(0).path("field").asText()).isEqualTo("payload.startsAt");
    assertThat(refused.body().toString()).doesNotContain("tomorrow");
    assertThat(sent).isEmpty();
  }

  @Test
  void theSameFormSentTwiceAtOnceReachesTheIntakeOnceAndBothGetItsAnswer() throws Exception {
    ObjectNode body = meeting("2026-05-12T14:30");
    intakeGate = new CountDownLatch(1); // the first send waits at the intake while the second arrives
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ApiResult>> results = new ArrayList<>();
      results.add(pool.submit(() -> forms.submit(COORDINATOR_A, OF_A, body.deepCopy())));
      results.add(pool.submit(() -> forms.submit(COORDINATOR_A, OF_A, body.deepCopy())));
      Thread.sleep(200);
      intakeGate.countDown();
      for (Future<ApiResult> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sent).hasSize(1);
    // a retry later: answered, not sent
    assertThat(forms.submit(COORDINATOR_A, OF_A, body).status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
    // the same eventId with other content is refused
    ((ObjectNode) body.get("payload")).put("kind", "OFFICE");
    assertThat(forms.submit(COORDINATOR_A, OF_A, body).status()).isEqualTo(409);
    assertThat(sent).hasSize(1);
  }

  @Test
  void anUnavailableIntakeIsATryAgainAndTheFormCanBeSentAgain() {
    answer = new IntakeClient.Answer(IntakeClient.UNREACHABLE, null);
    ObjectNode body = meeting("2026-05-12T14:30");

    assertThat(forms.submit(COORDINATOR_A, OF_A, body).status()).isEqualTo(503);
    answer = new IntakeClient.Answer(202, null);
    assertThat(forms.submit(COORDINATOR_A, OF_A, body).status()).isEqualTo(202);
    assertThat(sent).hasSize(2);
  }
}
