package no.followup.dashboard.views;

import static no.followup.dashboard.Fixtures.exited;
import static no.followup.dashboard.Fixtures.ips;
import static no.followup.dashboard.Fixtures.meeting;
import static no.followup.dashboard.Fixtures.receipt;
import static no.followup.dashboard.Fixtures.score;
import static no.followup.dashboard.Fixtures.scores;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.Fixtures;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.views.ViewModels.Count;
import no.followup.dashboard.views.ViewModels.Overview;
import no.followup.dashboard.views.ViewModels.Worklist;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.CaseloadFlag;
import no.followup.status.MeetingState;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardViewsTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final Instant NOW = Instant.parse("2025-03-11T09:00:00Z"); // 10:00 in Oslo
  private static final Instant START = Instant.parse("2024-09-01T08:00:00Z");

  private final Caller projectLead = new Caller("s-90", Set.of(Role.PROJECT_LEAD), Set.of(), false, false);
  private final Caller coordinator = new Caller("s-12", Set.of(Role.COORDINATOR), Set.of("0403"), false, false);
  private final Caller teamLead = new Caller("s-50", Set.of(Role.TEAM_LEAD), Set.of("0403"), false, false);

  private final ReadModel model = new ReadModel();
  private PendingMarks pending;

  private DashboardViews views(Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    pending = new PendingMarks(clock, Duration.ofMinutes(10));
    return new DashboardViews(model, new AccessPolicy(), pending, clock, new DashboardViews.Settings(OSLO, 14, 7));
  }

  private static long count(List<Count> counts, String key) {
    return counts.stream().filter(c -> c.key().equals(key)).mapToLong(Count::count).findFirst().orElseThrow();
  }

  private void put(ParticipantStatus s) {
    model.putStatus(s.getParticipantId(), s);
  }

  /** The OPTIMIST project's final table: 5 job, 5 measure, 2 moved, 1 disability benefit, 2 without activity. */
  private void optimist() {
    int n = 0;
    for (int i = 0; i < 5; i++) {
      put(exited(status("p-" + n++, "3421", "s-12", START).setCohortId("optimist"), StatusExitReason.ORDINARY_WORK,
          Situation.JOB_OR_APPRENTICESHIP, NOW.minus(Duration.ofDays(20))));
    }
    for (int i = 0; i < 5; i++) {
      put(status("p-" + n++, "3421", "s-12", START).setCohortId("optimist").setSituation(Situation.MEASURE_OR_ACTIVITY)
          .setPhase(Phase.IN_MEASURE).build());
    }
    for (int i = 0; i < 2; i++) {
      put(exited(status("p-" + n++, "3421", "s-13", START).setCohortId("optimist"), StatusExitReason.MOVED, Situation.MOVED,
          NOW.minus(Duration.ofDays(40))));
    }
    put(exited(status("p-" + n++, "3421", "s-13", START).setCohortId("optimist"), StatusExitReason.DISABILITY_BENEFIT,
        Situation.DISABILITY_BENEFIT, NOW.minus(Duration.ofDays(60))));
    for (int i = 0; i < 2; i++) {
      put(status("p-" + n++, "3421", "s-13", START).setCohortId("optimist").build());
    }
  }

  @Test
  void overviewCountsSituationsPhasesExitsAndTheShareAgainstTheCohortGoal() {
    optimist();
    model.putTally("cohort:optimist", Fixtures.cohortTally("optimist", 0.6, NOW));

    Overview o = views(NOW).overview(projectLead, Filters.NONE);

    assertThat(o.participants()).isEqualTo(15);
    assertThat(o.active()).isEqualTo(7);
    assertThat(count(o.bySituation(), "JOB_OR_APPRENTICESHIP")).isEqualTo(5);
    assertThat(count(o.bySituation(), "MEASURE_OR_ACTIVITY")).isEqualTo(5);
    assertThat(count(o.bySituation(), "MOVED")).isEqualTo(2);
    assertThat(count(o.bySituation(), "DISABILITY_BENEFIT")).isEqualTo(1);
    assertThat(count(o.bySituation(), "NO_REGULAR_ACTIVITY")).isEqualTo(2);
    assertThat(count(o.bySituation(), "EDUCATION")).isZero();
    assertThat(o.bySituation()).extracting(Count::key).doesNotContain("UNKNOWN");
    assertThat(count(o.byPhase(), "EXITED")).isEqualTo(8);
    assertThat(count(o.byPhase(), "IN_MEASURE")).isEqualTo(5);
    assertThat(count(o.byExitReason(), "ORDINARY_WORK")).isEqualTo(5);
    assertThat(count(o.byExitReason(), "MOVED")).isEqualTo(2);
    assertThat(o.outcome().takenIn()).isEqualTo(15);
    assertThat(o.outcome().exits()).isEqualTo(8);
    assertThat(o.outcome().intoWorkOrEducation()).isEqualTo(5);
    assertThat(o.outcome().goalShare()).as("5 of the 15 taken in").isEqualTo(5.0 / 15);
    assertThat(o.outcome().shareOfExits()).as("secondary: 5 of 8 exits").isEqualTo(5.0 / 8);
    assertThat(count(o.outcome().byOutcomeGroup(), "WORK_OR_EDUCATION")).isEqualTo(5);
    assertThat(count(o.outcome().byOutcomeGroup(), "MOVED")).isEqualTo(2);
    assertThat(count(o.outcome().byOutcomeGroup(), "BENEFIT")).isEqualTo(1);
    assertThat(o.outcome().cohorts()).singleElement().satisfies(c -> {
      assertThat(c.cohortId()).isEqualTo("optimist");
      assertThat(c.participants()).isEqualTo(15);
      assertThat(c.goalShare()).isEqualTo(5.0 / 15);
      assertThat(c.name()).isEqualTo("Project optimist");
      assertThat(c.reportingDates()).containsExactly("2022-12-31");
      assertThat(c.goal()).isEqualTo(0.6);
      assertThat(c.goalMet()).as("a third of those taken in is under the goal of 60 %").isFalse();
    });
    assertThat(count(o.byTargetGroup(), "YOUTH_UNDER_30")).isEqualTo(15);
  }

  @Test
  void theCohortReportCountsWithTheFiguresAndTheCohortsDefinition() {
    optimist();
    model.putTally("cohort:optimist", Fixtures.cohortTally("optimist", 0.6, NOW));

    ViewModels.Report r = views(NOW).report(projectLead, new Filters(null, null, "optimist"));

    assertThat(r.report().name()).isEqualTo("Project optimist");
    assertThat(r.report().total().takenIn()).isEqualTo(15);
    assertThat(r.report().total().reachedWorkOrEducation()).isEqualTo(5);
    assertThat(r.report().total().goalShare()).isEqualTo(5.0 / 15);
    assertThat(r.report().total().goalMet()).isFalse();
    assertThat(r.report().byTargetGroup()).singleElement()
        .satisfies(g -> assertThat(g.targetGroup()).isEqualTo("YOUTH_UNDER_30"));
    assertThat(r.report().situationOfEveryoneTakenIn()).containsEntry("JOB_OR_APPRENTICESHIP", 5L)
        .containsEntry("MEASURE_OR_ACTIVITY", 5L);
    assertThat(r.report().asOf()).isEqualTo(java.time.LocalDate.ofInstant(NOW, OSLO));

    assertThat(views(NOW).report(projectLead, new Filters(null, null, "nowhere")).report()).isNull();
    assertThat(views(NOW).report(projectLead, Filters.NONE).report()).isNull();
  }

  @Test
  void coopWoncaMeansAndChangeCountOnlyParticipantsMeasuredTwice() {
    // 7-item sums, as the forms record them: 21 is an average of 3.0, 14 of 2.0
    put(scores(status("p-1", "0403", "s-12", START), 21, 14, START).build());
    put(scores(status("p-2", "0403", "s-12", START), 19, 21, START).build());
    put(scores(status("p-3", "0403", "s-12", START), 20, 20, START).build());
    put(status("p-4", "0403", "s-12", START).setScoreCount(1).setFirstScore(score(28, START)).build());

    // a team lead of the office sees every row behind these figures, so nothing is withheld (see SmallGroupsTest)
    ViewModels.CoopWonca c = views(NOW).overview(teamLead, Filters.NONE).coopWonca();

    assertThat(c.measured()).isEqualTo(4);
    assertThat(c.pairs()).isEqualTo(3);
    Offset<Double> exact = Offset.offset(1e-9);
    assertThat(c.meanFirst()).as("(21 + 19 + 20) / 7 / 3").isCloseTo(60 / 21.0, exact);
    assertThat(c.meanFirstAllMeasured()).as("with p-4's single 28").isCloseTo(88 / 28.0, exact);
    assertThat(c.meanLatest()).as("(14 + 21 + 20) / 7 / 3").isCloseTo(55 / 21.0, exact);
    assertThat(c.best()).isEqualTo(2.0);
    assertThat(c.worst()).isEqualTo(3.0);
    assertThat(List.of(c.improved(), c.unchanged(), c.worsened())).as("14 < 21, 20 = 20, 21 > 19")
        .containsExactly(1L, 1L, 1L);
  }

  @Test
  void meetingsOfTheLast30DaysUseLocalDates() {
    Instant lastDay = Instant.parse("2025-02-09T23:30:00Z"); // 10 Feb 00:30 in Oslo: the first day of the window
    Instant beforeWindow = Instant.parse("2025-02-09T22:30:00Z"); // 9 Feb 23:30 in Oslo
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("m-1", lastDay, MeetingState.ATTENDED, lastDay),
        meeting("m-2", beforeWindow, MeetingState.ATTENDED, beforeWindow),
        meeting("m-3", NOW.minus(Duration.ofDays(1)), MeetingState.MISSED, NOW.minus(Duration.ofDays(1))),
        meeting("m-4", NOW.plus(Duration.ofDays(1)), MeetingState.SCHEDULED, null))).build());

    ViewModels.Meetings m = views(NOW).overview(projectLead, Filters.NONE).meetingsLast30Days();

    assertThat(m.from()).isEqualTo("2025-02-10");
    assertThat(m.to()).isEqualTo("2025-03-11");
    assertThat(m.attended()).isEqualTo(1);
    assertThat(m.missed()).isEqualTo(1);
  }

  @Test
  void caseloadsShowTheSelectionAndTheSpecialistsWholeCaseloadAgainstTheRange() {
    for (int i = 0; i < 3; i++) {
      put(status("p-" + i, "0403", "s-12", START).setSpecialists(List.of(ips("s-40", START)))
          .setServicesReceived(ServicesReceived.JOB_SUPPORT).build());
    }
    put(exited(status("p-9", "0403", "s-12", START).setSpecialists(List.of(ips("s-40", START))), StatusExitReason.ORDINARY_WORK,
        Situation.JOB_OR_APPRENTICESHIP, NOW));
    put(status("p-5", "0403", "s-12", START).setSpecialists(List.of(ips("s-41", START))).build());
    model.putTally("specialist:s-40", Fixtures.specialistTally("s-40", 22, NOW));

    ViewModels.Caseloads c = views(NOW).overview(projectLead, Filters.NONE).caseloads();

    assertThat(c.min()).isEqualTo(12);
    assertThat(c.cap()).isEqualTo(20);
    assertThat(c.specialists()).extracting(ViewModels.CaseloadRow::specialistId).containsExactly("s-40", "s-41");
    assertThat(c.specialists().get(0)).isEqualTo(new ViewModels.CaseloadRow("s-40", 3, 22L, "OVER_CAP", null, 12, 20));
    assertThat(c.specialists().get(1)).isEqualTo(new ViewModels.CaseloadRow("s-41", 1, null, "UNDER_RANGE", null, 12, 20));
  }

  @Test
  void aPartTimeSpecialistIsShownAgainstTheirScaledRange() {
    put(status("p-1", "0403", "s-12", START).setSpecialists(List.of(ips("s-42", START))).build());
    model.putTally("specialist:s-42", Fixtures.halfTimeSpecialistTally("s-42", 12, CaseloadFlag.OVER_CAP, NOW));

    ViewModels.CaseloadRow row = views(NOW).overview(projectLead, Filters.NONE).caseloads().specialists().get(0);

    assertThat(row).as("12 is within a full position's 12-20, over a half position's 6-10")
        .isEqualTo(new ViewModels.CaseloadRow("s-42", 1, 12L, "OVER_CAP", 0.5, 6, 10));
  }

  @Test
  void filtersAndAccessNarrowTheCountsAndTombstonesRemoveParticipants() {
    put(status("p-1", "0403", "s-12", START).setCohortId("a").build());
    put(status("p-2", "0403", "s-13", START).setCohortId("b").build());
    put(status("p-3", "3421", "s-12", START).setCohortId("a").build());
    put(status("p-4", "0403", "s-12", START).setEnrolled(false).setPhase(Phase.AWAITING_ENROLMENT).build());
    // referred and not taken in: neither a participant nor awaiting enrolment (as in the tallies)
    put(status("p-5", "0403", "s-12", START).setEnrolled(false).setPhase(Phase.AWAITING_ENROLMENT)
        .setReferralDeclinedAt(START).build());
    DashboardViews v = views(NOW);

    assertThat(v.overview(projectLead, Filters.NONE).participants()).isEqualTo(3);
    assertThat(v.overview(projectLead, Filters.NONE).awaitingEnrolment()).isEqualTo(1);
    assertThat(v.overview(projectLead, new Filters("0403", null, null)).participants()).isEqualTo(2);
    assertThat(v.overview(projectLead, new Filters(null, null, "a")).participants()).isEqualTo(2);
    assertThat(v.overview(projectLead, new Filters("0403", "s-12", "a")).participants()).isEqualTo(1);
    // a coordinator's aggregates cover their own participants only, whatever the filters ask for
    assertThat(v.overview(coordinator, Filters.NONE).participants()).isEqualTo(2);
    assertThat(v.overview(coordinator, new Filters(null, "s-13", null)).participants()).isZero();
    // a team lead's cover their office
    assertThat(v.overview(teamLead, Filters.NONE).participants()).isEqualTo(2);

    model.putStatus("p-1", null);
    assertThat(v.overview(projectLead, Filters.NONE).participants()).isEqualTo(2);
  }

  @Test
  void projectLeadGetsAggregatesButNoParticipantRows() {
    put(status("p-1", "0403", "s-12", START).build());
    DashboardViews v = views(NOW);

    assertThat(v.overview(projectLead, Filters.NONE).participants()).isEqualTo(1);
    assertThatThrownBy(() -> v.worklist(projectLead, Filters.NONE)).isInstanceOf(DashboardViews.RowsNotAllowedException.class);
    assertThatThrownBy(() -> v.review(projectLead, Filters.NONE)).isInstanceOf(DashboardViews.RowsNotAllowedException.class);
    assertThatThrownBy(() -> v.tasks(projectLead, Filters.NONE, true)).isInstanceOf(DashboardViews.RowsNotAllowedException.class);
  }

  @Test
  void meetingsTodayAreTheLocalDayInOsloAroundMidnight() {
    Instant now = Instant.parse("2025-03-10T23:30:00Z"); // 00:30 on 11 March in Oslo (UTC+1)
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("yesterday-late", Instant.parse("2025-03-10T22:50:00Z"), MeetingState.SCHEDULED, null), // 23:50 on the 10th
        meeting("just-after-midnight", Instant.parse("2025-03-10T23:15:00Z"), MeetingState.SCHEDULED, null),
        meeting("last-minute", Instant.parse("2025-03-11T22:59:00Z"), MeetingState.SCHEDULED, null), // 23:59 on the 11th
        meeting("tomorrow", Instant.parse("2025-03-11T23:00:00Z"), MeetingState.SCHEDULED, null),
        meeting("cancelled", Instant.parse("2025-03-11T10:00:00Z"), MeetingState.CANCELLED, null))).build());
    put(status("p-2", "3421", "s-13", START).setMeetings(List.of(
        meeting("other-coordinator", Instant.parse("2025-03-11T10:00:00Z"), MeetingState.SCHEDULED, null))).build());
    model.putReceipt("r-1", receipt("p-1", "0403", DeliveryStatus.SENT, now.minus(Duration.ofHours(10))), now);

    Worklist w = views(now).worklist(coordinator, Filters.NONE);

    assertThat(w.date()).isEqualTo("2025-03-11");
    assertThat(w.meetingsToday()).extracting(ViewModels.MeetingRow::meetingId).containsExactly("just-after-midnight", "last-minute");
    assertThat(w.meetingsToday().get(0).lastSms()).isEqualTo("SENT");
    assertThat(w.meetingsToday().get(0).situation()).isEqualTo("NO_REGULAR_ACTIVITY");
  }

  @Test
  void meetingsTodayFollowSummerTime() {
    Instant now = Instant.parse("2025-06-30T22:30:00Z"); // 00:30 on 1 July in Oslo (UTC+2)
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("before", Instant.parse("2025-06-30T21:59:00Z"), MeetingState.SCHEDULED, null), // 23:59 on 30 June
        meeting("first", Instant.parse("2025-06-30T22:00:00Z"), MeetingState.SCHEDULED, null))).build());

    assertThat(views(now).worklist(coordinator, Filters.NONE).meetingsToday())
        .extracting(ViewModels.MeetingRow::meetingId).containsExactly("first");
  }

  /**
   * 29 March 2026, the spring-forward day in Oslo: 00:00 is 23:00Z the day before (UTC+1), the
   * clocks jump from 02:00 to 03:00, and the day ends at 22:00Z (UTC+2): 23 hours. Asked at its
   * first instant, mid-day and its last instant, the day holds the same meetings.
   */
  @ParameterizedTest
  @ValueSource(strings = {"2026-03-28T23:00:00Z", "2026-03-29T10:00:00Z", "2026-03-29T21:59:59.999Z"})
  void meetingsTodayOnTheSpringForwardDayAreItsTwentyThreeHours(String now) {
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("the-day-before-23-59", Instant.parse("2026-03-28T22:59:00Z"), MeetingState.SCHEDULED, null), // UTC+1
        meeting("first-instant-00-00", Instant.parse("2026-03-28T23:00:00Z"), MeetingState.SCHEDULED, null),
        meeting("early-00-30", Instant.parse("2026-03-28T23:30:00Z"), MeetingState.SCHEDULED, null),
        meeting("after-the-jump-03-00", Instant.parse("2026-03-29T01:00:00Z"), MeetingState.SCHEDULED, null), // UTC+2
        meeting("late-23-30", Instant.parse("2026-03-29T21:30:00Z"), MeetingState.SCHEDULED, null),
        meeting("last-minute-23-59", Instant.parse("2026-03-29T21:59:00Z"), MeetingState.SCHEDULED, null),
        meeting("next-day-00-00", Instant.parse("2026-03-29T22:00:00Z"), MeetingState.SCHEDULED, null),
        meeting("next-day-00-30", Instant.parse("2026-03-29T22:30:00Z"), MeetingState.SCHEDULED, null))).build());

    Worklist w = views(Instant.parse(now)).worklist(coordinator, Filters.NONE);

    assertThat(w.date()).isEqualTo("2026-03-29");
    assertThat(w.meetingsToday()).extracting(ViewModels.MeetingRow::meetingId).containsExactly(
        "first-instant-00-00", "early-00-30", "after-the-jump-03-00", "late-23-30", "last-minute-23-59");
  }

  /**
   * 25 October 2026, the fall-back day in Oslo: 00:00 is 22:00Z the day before (UTC+2), the hour
   * from 02:00 comes twice, and the day ends at 23:00Z (UTC+1): 25 hours.
   */
  @ParameterizedTest
  @ValueSource(strings = {"2026-10-24T22:00:00Z", "2026-10-25T10:00:00Z", "2026-10-25T22:59:59.999Z"})
  void meetingsTodayOnTheFallBackDayAreItsTwentyFiveHours(String now) {
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("the-day-before-23-59", Instant.parse("2026-10-24T21:59:00Z"), MeetingState.SCHEDULED, null), // UTC+2
        meeting("first-instant-00-00", Instant.parse("2026-10-24T22:00:00Z"), MeetingState.SCHEDULED, null),
        meeting("early-00-30", Instant.parse("2026-10-24T22:30:00Z"), MeetingState.SCHEDULED, null),
        meeting("first-02-30", Instant.parse("2026-10-25T00:30:00Z"), MeetingState.SCHEDULED, null),
        meeting("second-02-30", Instant.parse("2026-10-25T01:30:00Z"), MeetingState.SCHEDULED, null), // UTC+1
        meeting("late-23-30", Instant.parse("2026-10-25T22:30:00Z"), MeetingState.SCHEDULED, null),
        meeting("last-minute-23-59", Instant.parse("2026-10-25T22:59:00Z"), MeetingState.SCHEDULED, null),
        meeting("next-day-00-00", Instant.parse("2026-10-25T23:00:00Z"), MeetingState.SCHEDULED, null),
        meeting("next-day-00-30", Instant.parse("2026-10-25T23:30:00Z"), MeetingState.SCHEDULED, null))).build());

    Worklist w = views(Instant.parse(now)).worklist(coordinator, Filters.NONE);

    assertThat(w.date()).isEqualTo("2026-10-25");
    assertThat(w.meetingsToday()).extracting(ViewModels.MeetingRow::meetingId).containsExactly(
        "first-instant-00-00", "early-00-30", "first-02-30", "second-02-30", "late-23-30", "last-minute-23-59");
  }

  @Test
  void atMidnightTheWorklistTurnsToTheNextDay() {
    put(status("p-1", "0403", "s-12", START).setMeetings(List.of(
        meeting("monday-23-59", Instant.parse("2025-03-10T22:59:00Z"), MeetingState.SCHEDULED, null), // UTC+1
        meeting("tuesday-00-00", Instant.parse("2025-03-10T23:00:00Z"), MeetingState.SCHEDULED, null))).build());

    Worklist lastMinuteOfMonday = views(Instant.parse("2025-03-10T22:59:59.999Z")).worklist(coordinator, Filters.NONE);
    Worklist midnight = views(Instant.parse("2025-03-10T23:00:00Z")).worklist(coordinator, Filters.NONE);

    assertThat(lastMinuteOfMonday.date()).isEqualTo("2025-03-10");
    assertThat(lastMinuteOfMonday.meetingsToday()).extracting(ViewModels.MeetingRow::meetingId).containsExactly("monday-23-59");
    assertThat(midnight.date()).isEqualTo("2025-03-11");
    assertThat(midnight.meetingsToday()).extracting(ViewModels.MeetingRow::meetingId).containsExactly("tuesday-00-00");
  }

  @Test
  void missedMeetingsAndOpenTasksNeedFollowUpUntilHandled() {
    Instant missedAt = NOW.minus(Duration.ofDays(2));
    put(status("p-1", "0403", "s-12", START).setLastContactAt(START)
        .setMeetings(List.of(meeting("m-1", missedAt, MeetingState.MISSED, missedAt))).build());
    put(status("p-2", "0403", "s-12", START).setLastContactAt(NOW.minus(Duration.ofDays(1)))
        .setMeetings(List.of(meeting("m-2", missedAt, MeetingState.MISSED, missedAt))).build()); // contacted since
    put(status("p-3", "0403", "s-12", START).setLastContactAt(NOW.minus(Duration.ofDays(1))).build());
    UUID reachOut = UUID.randomUUID();
    UUID done = UUID.randomUUID();
    UUID homeVisit = UUID.randomUUID();
    model.putTask(reachOut.toString(), task(reachOut, TaskKind.REACH_OUT_AFTER_MISS, "p-3", "0403", "s-12", "m-3",
        missedAt, NOW.minus(Duration.ofHours(3)), TaskState.OPEN));
    model.putTask(done.toString(), task(done, TaskKind.ATTENDANCE_NOT_RECORDED, "p-3", "0403", "s-12", "m-4",
        missedAt, NOW.minus(Duration.ofHours(2)), TaskState.DONE));
    model.putTask(homeVisit.toString(), task(homeVisit, TaskKind.OFFER_HOME_VISIT, "p-1", "0403", "s-12", "m-1",
        missedAt, NOW.minus(Duration.ofHours(1)), TaskState.OPEN));
    DashboardViews v = views(NOW);

    Worklist w = v.worklist(coordinator, Filters.NONE);
    assertThat(w.missedNeedingFollowUp()).extracting(ViewModels.MissedRow::participantId, ViewModels.MissedRow::reason)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("p-1", "MISSED"),
            org.assertj.core.groups.Tuple.tuple("p-3", "REACH_OUT_AFTER_MISS"));
    assertThat(w.openTasks()).extracting(ViewModels.TaskRow::taskId).containsExactly(reachOut.toString(), homeVisit.toString());
    assertThat(w.openTasks().get(0).outcomes()).containsExactly("REACHED");
    assertThat(w.openTasks().get(1).outcomes()).containsExactly("HOME_VISIT_COMPLETED");
    assertThat(w.participantIds()).contains("p-1", "p-3").doesNotContain("p-2");

    // marked done from the page: out of the open list, waiting for confirmation
    pending.mark(reachOut.toString(), "REACHED", UUID.randomUUID());
    Worklist marked = v.worklist(coordinator, Filters.NONE);
    assertThat(marked.openTasks()).extracting(ViewModels.TaskRow::taskId).containsExactly(homeVisit.toString());
    assertThat(marked.awaitingConfirmation()).extracting(ViewModels.TaskRow::taskId).containsExactly(reachOut.toString());
    assertThat(marked.awaitingConfirmation().get(0).pending().outcome()).isEqualTo("REACHED");
    assertThat(marked.missedNeedingFollowUp()).extracting(ViewModels.MissedRow::participantId).containsExactly("p-1");

    // confirmed: the task's state on the topic goes DONE
    model.putTask(reachOut.toString(), task(reachOut, TaskKind.REACH_OUT_AFTER_MISS, "p-3", "0403", "s-12", "m-3",
        missedAt, NOW.minus(Duration.ofHours(3)), TaskState.DONE));
    Worklist confirmed = v.worklist(coordinator, Filters.NONE);
    assertThat(confirmed.awaitingConfirmation()).isEmpty();
    assertThat(v.tasks(coordinator, Filters.NONE, false).tasks()).hasSize(3);
    assertThat(v.tasks(coordinator, Filters.NONE, true).tasks()).hasSize(1);
  }

  /** Fourteen days are 14 × 24 hours since the last contact, to the millisecond. */
  @Test
  void noContactStartsExactlyFourteenDaysAfterTheLastContact() {
    Instant now = Instant.parse("2025-03-11T09:00:00Z");
    put(status("p-exactly-14", "0403", "s-12", START).setLastContactAt(Instant.parse("2025-02-25T09:00:00Z")).build());
    put(status("p-a-moment-short", "0403", "s-12", START).setLastContactAt(Instant.parse("2025-02-25T09:00:00.001Z")).build());

    Worklist w = views(now).worklist(coordinator, Filters.NONE);

    assertThat(w.noContactDays()).isEqualTo(14);
    assertThat(w.noContact()).extracting(ViewModels.NoContactRow::participantId).containsExactly("p-exactly-14");
    assertThat(w.noContact().get(0).daysSinceContact()).isEqualTo(14);
  }

  @Test
  void noContactListsActiveParticipantsSilentFor14DaysOrMore() {
    put(status("p-15", "0403", "s-12", START).setLastContactAt(NOW.minus(Duration.ofDays(15))).build());
    put(status("p-13", "0403", "s-12", START).setLastContactAt(NOW.minus(Duration.ofDays(13))).build());
    put(status("p-never", "0403", "s-12", START).setLastContactAt(null).build());
    put(exited(status("p-gone", "0403", "s-12", START).setLastContactAt(NOW.minus(Duration.ofDays(90))),
        StatusExitReason.MOVED, Situation.MOVED, NOW.minus(Duration.ofDays(80))));
    // referred, never taken in: not in follow-up
    put(status("p-referred", "0403", "s-12", START).setEnrolled(false).setPhase(Phase.AWAITING_ENROLMENT)
        .setLastContactAt(null).build());

    Worklist w = views(NOW).worklist(coordinator, Filters.NONE);

    assertThat(w.noContact()).extracting(ViewModels.NoContactRow::participantId).containsExactly("p-never", "p-15");
    assertThat(w.noContact().get(1).daysSinceContact()).isEqualTo(15);
  }

  @Test
  void reviewListsEveryActiveParticipantOfTheOfficeWithServicesAndTimeInProject() {
    put(status("p-1", "0403", "s-12", NOW.minus(Duration.ofDays(100))).setServicesReceived(ServicesReceived.BOTH).build());
    put(status("p-2", "0403", "s-13", NOW.minus(Duration.ofDays(10))).setServicesReceived(ServicesReceived.HEALTH_SUPPORT).build());
    put(status("p-3", "3421", "s-14", NOW.minus(Duration.ofDays(10))).build());
    put(exited(status("p-4", "0403", "s-12", START), StatusExitReason.EDUCATION, Situation.EDUCATION, NOW));

    ViewModels.Review r = views(NOW).review(teamLead, Filters.NONE);

    assertThat(r.participants()).extracting(ViewModels.ReviewRow::participantId).containsExactly("p-1", "p-2");
    assertThat(r.participants().get(0).daysInProject()).isEqualTo(100);
    assertThat(r.participants().get(0).servicesReceived()).isEqualTo("BOTH");
    Map<String, Long> services = r.byServicesReceived().stream().collect(Collectors.toMap(Count::key, Count::count));
    assertThat(services).containsEntry("BOTH", 1L).containsEntry("HEALTH_SUPPORT", 1L).containsEntry("JOB_SUPPORT", 0L);
    // the coordinator sees their own participants only
    assertThat(views(NOW).review(coordinator, Filters.NONE).participants()).extracting(ViewModels.ReviewRow::participantId)
        .containsExactly("p-1");
  }

  @Test
  void smsReceiptsOfTheLast30DaysAreCountedPerStatus() {
    put(status("p-1", "0403", "s-12", START).build());
    model.putReceipt("r-1", receipt("p-1", "0403", DeliveryStatus.SENT, NOW.minus(Duration.ofDays(1))), NOW);
    model.putReceipt("r-2", receipt("p-1", "0403", DeliveryStatus.FAILED, NOW.minus(Duration.ofDays(2))), NOW);
    model.putReceipt("r-3", receipt("p-1", "0403", DeliveryStatus.SENT, NOW.minus(Duration.ofDays(40))), NOW);

    List<Count> sms = views(NOW).overview(projectLead, Filters.NONE).smsLast30Days();

    assertThat(count(sms, "SENT")).isEqualTo(1);
    assertThat(count(sms, "FAILED")).isEqualTo(1);
    // erasure removes what the dashboard holds about the participant
    model.putStatus("p-1", null);
    assertThat(model.receipts()).isEmpty();
  }
}
