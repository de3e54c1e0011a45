package no.followup.dashboard.participant;

import static no.followup.dashboard.Fixtures.meeting;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.forms.EventForms;
import no.followup.dashboard.forms.FormCatalog;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.views.DashboardViews;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.MeetingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticipantViewsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-05-12T08:00:00Z"); // 10:00 in Oslo
  private static final String OFFICE = "0403";
  private static final Caller COORDINATOR_A = new Caller("s-21", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller COORDINATOR_B = new Caller("s-22", Set.of(Role.COORDINATOR), Set.of(OFFICE), false, false);
  private static final Caller TEAM_LEAD = new Caller("s-50", Set.of(Role.TEAM_LEAD), Set.of(OFFICE), false, false);
  private static final String OF_A = "p-a00001";

  @TempDir Path dir;
  private final ReadModel model = new ReadModel();
  private final AtomicInteger timelineCalls = new AtomicInteger();
  private volatile Optional<JsonNode> timeline;
  private AuditLog audit;
  private ParticipantViews views;

  @BeforeEach
  void setUp() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Instant enrolled = NOW.minus(Duration.ofDays(40));
    model.putStatus(OF_A, status(OF_A, OFFICE, COORDINATOR_A.id(), enrolled).setMeetings(List.of(
        meeting("m-past", NOW.minus(Duration.ofDays(3)), MeetingState.ATTENDED, NOW.minus(Duration.ofDays(3))),
        meeting("m-later", NOW.plus(Duration.ofDays(2)), MeetingState.SCHEDULED, null),
        meeting("m-today", NOW.plus(Duration.ofHours(3)), MeetingState.SCHEDULED, null))).build());
    model.putTask("t-open", task(UUID.randomUUID(), TaskKind.REACH_OUT_AFTER_MISS, OF_A, OFFICE, COORDINATOR_A.id(), "m-past",
        NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)), TaskState.OPEN));
    model.putTask("t-done", task(UUID.randomUUID(), TaskKind.INACTIVITY, OF_A, OFFICE, COORDINATOR_A.id(), null, null,
        NOW.minus(Duration.ofDays(9)), TaskState.DONE));
    timeline = Optional.of(JSON.readTree("""
        {"participantId": "p-a00001", "more": false, "events": [
          {"eventId": "e3", "type": "FunctionScoreRecorded", "occurredAt": "2026-05-01T08:00:00Z",
           "payload": {"physicalFitness": 2, "feelings": 2, "dailyActivities": 2, "socialActivities": 2,
                       "changeInHealth": 2, "overallHealth": 2, "pain": 1, "average": 1.857}},
          {"eventId": "e2", "type": "MeetingAttended", "occurredAt": "2026-04-20T08:00:00Z", "payload": {"meetingId": "m-past"}},
          {"eventId": "e1", "type": "FunctionScoreRecorded", "occurredAt": "2026-04-02T08:00:00Z",
           "payload": {"physicalFitness": 4, "feelings": 4, "dailyActivities": 3, "socialActivities": 4,
                       "changeInHealth": 3, "overallHealth": 4, "pain": 5, "average": 3.857}}]}
        """));
    StatusClient status = new StatusClient("http://127.0.0.1:9", () -> "token", Duration.ofSeconds(1)) {
      @Override
      public Optional<JsonNode> events(String participantId, int limit) {
        timelineCalls.incrementAndGet();
        return timeline;
      }
    };
    AccessPolicy policy = new AccessPolicy();
    DashboardViews dashboardViews = new DashboardViews(model, policy, new PendingMarks(clock, Duration.ofMinutes(10)), clock,
        new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
    audit = new AuditLog(dir.resolve("audit.log"), clock);
    FormCatalog catalog = new FormCatalog();
    EventForms forms = new EventForms(catalog, model, policy,
        new IntakeClient("http://127.0.0.1:9", () -> "token", Duration.ofSeconds(1)), audit, ZoneId.of("Europe/Oslo"), () -> { });
    views = new ParticipantViews(model, policy, dashboardViews, forms, catalog, status, clock);
  }

  @AfterEach
  void tearDown() {
    audit.close();
  }

  @Test
  void thePageHasTheStatusOpenTasksUpcomingMeetingsScoresOldestFirstAndTheEvents() {
    ParticipantPage page = views.page(COORDINATOR_A, OF_A);

    assertThat(page.summary().coordinatorId()).isEqualTo("s-21");
    assertThat(page.summary().daysInProject()).isEqualTo(40);
    assertThat(page.openTasks()).extracting(t -> t.kind()).containsExactly("REACH_OUT_AFTER_MISS");
    assertThat(page.upcomingMeetings()).extracting(ParticipantPage.Meeting::meetingId).containsExactly("m-today", "m-later");
    assertThat(page.meetings()).hasSize(3);
    assertThat(page.scores()).extracting(ParticipantPage.Score::average).containsExactly(3.857, 1.857);
    assertThat(page.scores().get(0).items()).containsExactly(4, 4, 3, 4, 3, 4, 5);
    assertThat(page.timeline().available()).isTrue();
    assertThat(page.timeline().events()).hasSize(3);
    assertThat(page.recordable()).contains("MeetingScheduled", "FunctionScoreRecorded").doesNotContain("ParticipantErased");
    assertThat(page.participantIds()).containsExactly(OF_A);
    assertThat(views.page(TEAM_LEAD, OF_A).recordable()).contains("ParticipantErased");
  }

  @Test
  void anotherCoordinatorsParticipantIsNotFoundLikeAnUnknownOneAndTheStatusServiceIsNotAsked() {
    assertThatThrownBy(() -> views.page(COORDINATOR_B, OF_A)).isInstanceOf(ParticipantViews.NotFound.class);
    assertThatThrownBy(() -> views.page(COORDINATOR_A, "p-unknown")).isInstanceOf(ParticipantViews.NotFound.class);
    assertThat(timelineCalls).hasValue(0);
    assertThat(views.recordableForNew(COORDINATOR_B)).containsExactly("ParticipantEnrolled");
  }

  @Test
  void theEventsAreAskedForAgainOnlyWhenTheParticipantsStatusChanged() {
    views.page(COORDINATOR_A, OF_A);
    views.page(COORDINATOR_A, OF_A);
    assertThat(timelineCalls).hasValue(1);

    model.putStatus(OF_A, status(OF_A, OFFICE, COORDINATOR_A.id(), NOW.minus(Duration.ofDays(40))).build());
    views.page(COORDINATOR_A, OF_A);
    assertThat(timelineCalls).hasValue(2);
  }

  @Test
  void whenTheStatusServiceCannotBeAskedThePageSaysSoAndAsksAgainNextTime() {
    timeline = Optional.empty();
    ParticipantPage page = views.page(COORDINATOR_A, OF_A);
    assertThat(page.timeline().available()).isFalse();
    assertThat(page.scores()).isEmpty();

    views.page(COORDINATOR_A, OF_A);
    assertThat(timelineCalls).hasValue(2);
  }
}
