package no.followup.status.rules;

import static no.followup.status.TestEvents.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.followup.events.ExitReason;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingMissed;
import no.followup.events.ParticipantExited;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.TallyDimension;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Test;

class TallyContributionsTest {

  private static final no.followup.status.CohortDefinition OPTIMIST_GOAL_60 = no.followup.status.CohortDefinition.newBuilder()
      .setCohortId("optimist").setName("OPTIMIST").setOffices(List.of("3421")).setTargetGroups(List.of("OTHER"))
      .setPeriodStart(java.time.LocalDate.of(2020, 1, 1)).setPeriodEnd(java.time.LocalDate.of(2022, 12, 31))
      .setWorkOrEducationGoal(0.6).setDefinedAt(Instant.parse("2020-01-01T08:00:00Z"))
      .setRecordedAt(Instant.parse("2020-01-01T08:00:00Z")).build();

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  private final TestEvents e = new TestEvents("p-1", "3421", "optimist");

  @Test
  void aParticipantCountsInOfficeCoordinatorSpecialistCohortAndCohortGroups() {
    ParticipantStatus s = StatusRules.fold("p-1", List.of(
        e.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30, TargetGroup.IMMIGRANTS),
        e.at(5, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"))));
    assertThat(TallyContributions.keys(s)).containsExactly("office:3421", "cohort:optimist", "coordinator:s-c1",
        "specialist:s-j1", "cohort-group:optimist|YOUTH_UNDER_30", "cohort-group:optimist|IMMIGRANTS");
    assertThat(TallyContributions.counters(s, OSLO)).containsEntry("participants", 1L).containsEntry("active", 1L)
        .containsEntry("situation.MEASURE_OR_ACTIVITY", 1L).containsEntry("caseload.s-j1", 1L)
        .containsEntry("targetGroup.IMMIGRANTS", 1L);
  }

  @Test
  void aParticipantAwaitingEnrolmentCountsOnlyAsSuch() {
    ParticipantStatus s = StatusRules.fold("p-1", List.of(e.at(3, new MeetingAttended("m1"))));
    assertThat(TallyContributions.keys(s)).containsExactly("office:3421", "cohort:optimist");
    assertThat(TallyContributions.counters(s, OSLO)).containsExactly(Map.entry("awaitingEnrolment", 1L));
  }

  @Test
  void deltaSubtractsTheOldContributionAndAddsTheNew() {
    var enrolled = e.enrolled(0, "s-c1", TargetGroup.OTHER);
    var ips = e.at(5, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1"));
    ParticipantStatus before = StatusRules.fold("p-1", List.of(enrolled, ips));
    ParticipantStatus after = StatusRules.fold("p-1", List.of(enrolled, ips,
        e.at(50, new JobStarted(JobKind.ORDINARY, 37)), e.at(60, new ParticipantExited(ExitReason.ORDINARY_WORK))));

    Map<String, Map<String, Long>> deltas = TallyContributions.deltas(before, after, OSLO);
    assertThat(deltas.get("office:3421")).as("open IPS was an activity").containsEntry("situation.MEASURE_OR_ACTIVITY", -1L)
        .containsEntry("situation.JOB_OR_APPRENTICESHIP", 1L)
        .containsEntry("active", -1L)
        .containsEntry("caseload.s-j1", -1L) // an exited participant leaves the caseload
        .containsEntry("exits", 1L).containsEntry("exits.workOrEducation", 1L)
        .doesNotContainKey("participants");
    // erasure retracts everything
    assertThat(TallyContributions.deltas(after, null, OSLO).get("specialist:s-j1")).containsEntry("participants", -1L);
    assertThat(TallyContributions.deltas(after, after, OSLO)).isEmpty();
  }

  @Test
  void derivedFiguresComeFromSummedCounters() {
    Map<String, Long> sum = new HashMap<>();
    int[][] pairs = {{26, 23}, {14, 11}, {20, 20}, {17, 21}};
    int i = 0;
    for (int[] pair : pairs) {
      TestEvents p = new TestEvents("p-" + i++, "3421", "optimist");
      ParticipantStatus s = StatusRules.fold(p.participantId(), List.of(p.enrolled(0, "s-c1", TargetGroup.OTHER),
          p.at(10, score(pair[0])), p.at(100, score(pair[1])), p.at(120, new ParticipantExited(
              i % 2 == 0 ? ExitReason.EDUCATION : ExitReason.MOVED))));
      sum = TallyArithmetic.add(sum, TallyContributions.counters(s, OSLO), LocalDate.of(2024, 6, 1));
    }
    Tally t = TallyViews.build("cohort:optimist", sum, OPTIMIST_GOAL_60, Instant.parse("2024-06-01T10:00:00Z"), OSLO);
    assertThat(t.getDimension()).isEqualTo(TallyDimension.COHORT);
    assertThat(t.getSubject()).isEqualTo("optimist");
    assertThat(t.getCoopWonca().getPairs()).isEqualTo(4);
    assertThat(t.getCoopWonca().getMeanFirst()).isEqualTo((26 + 14 + 20 + 17) / 28.0);
    assertThat(t.getCoopWonca().getMeanLatest()).isEqualTo((23 + 11 + 20 + 21) / 28.0);
    assertThat(t.getCoopWonca().getBest()).isEqualTo(11 / 7.0);
    assertThat(t.getCoopWonca().getWorst()).isEqualTo(26 / 7.0);
    assertThat(t.getCoopWonca().getImproved()).isEqualTo(2);
    assertThat(t.getCoopWonca().getUnchanged()).isEqualTo(1);
    assertThat(t.getCoopWonca().getWorsened()).isEqualTo(1);
    assertThat(t.getExits()).isEqualTo(4);
    assertThat(t.getExitsIntoWorkOrEducation()).isEqualTo(2);
    assertThat(t.getGoalShare()).as("2 of the 4 taken in").isEqualTo(0.5);
    assertThat(t.getShareOfExitsIntoWorkOrEducation()).isEqualTo(0.5);
    assertThat(t.getByOutcomeGroup()).containsEntry("WORK_OR_EDUCATION", 2L).containsEntry("MOVED", 2L);
    assertThat(t.getGoal()).isEqualTo(0.6);
    assertThat(t.getGoalMet()).isFalse();
    assertThat(t.getBySituation()).containsEntry("EDUCATION", 2L).containsEntry("MOVED", 2L)
        .containsEntry("JOB_OR_APPRENTICESHIP", 0L).doesNotContainKey("UNKNOWN");

    // retracting the participant with the best score moves "best" to the next one
    TestEvents p1 = new TestEvents("p-1", "3421", "optimist");
    ParticipantStatus second = StatusRules.fold("p-1", List.of(p1.enrolled(0, "s-c1", TargetGroup.OTHER),
        p1.at(10, score(14)), p1.at(100, score(11)), p1.at(120, new ParticipantExited(ExitReason.EDUCATION))));
    Map<String, Long> without = TallyArithmetic.subtract(sum, TallyContributions.counters(second, OSLO));
    Tally after = TallyViews.build("cohort:optimist", without, null, Instant.parse("2024-06-01T10:00:00Z"), OSLO);
    assertThat(after.getCoopWonca().getBest()).isEqualTo(17 / 7.0);
    assertThat(after.getCoopWonca().getPairs()).isEqualTo(3);
    assertThat(after.getGoal()).isNull();
  }

  @Test
  void meetingsOfTheLastThirtyDaysComeFromDayCounters() {
    // BASE is 2024-01-08; meetings on days 1, 20 and 35 after it
    ParticipantStatus s = StatusRules.fold("p-1", List.of(e.enrolled(0, "s-c1", TargetGroup.OTHER),
        e.at(1, new MeetingAttended("m1")), e.at(20, new MeetingMissed("m2")), e.at(35, new MeetingAttended("m3"))));
    Map<String, Long> counters = TallyContributions.counters(s, OSLO);
    assertThat(counters).containsEntry("day.attended.2024-01-09", 1L).containsEntry("day.missed.2024-01-28", 1L);

    Instant now = Instant.parse("2024-02-20T12:00:00Z"); // window 2024-01-22 .. 2024-02-20
    Tally t = TallyViews.build("office:3421", counters, null, now, OSLO);
    assertThat(t.getWindowStart()).isEqualTo("2024-01-22");
    assertThat(t.getMeetingsAttendedLast30Days()).isEqualTo(1);
    assertThat(t.getMeetingsMissedLast30Days()).isEqualTo(1);
    assertThat(t.getMeetingsAttended()).isEqualTo(2);

    // once a day has left the window, adding to it is a no-op and pruning drops it
    LocalDate today = LocalDate.parse("2024-02-20");
    LocalDate windowStart = LocalDate.parse("2024-01-22");
    assertThat(TallyArithmetic.add(Map.of(), Map.of("day.attended.2024-01-09", 1L), today)).isEmpty();
    assertThat(TallyArithmetic.prune(counters, windowStart)).doesNotContainKey("day.attended.2024-01-09")
        .containsKey("day.missed.2024-01-28");
  }

  /**
   * A meeting outcome dated after tomorrow was recorded by nobody (nothing is recorded before it
   * happens); counted, no window would ever prune it, and enough of them would grow a tally past the
   * broker's record limit. Its counter is left out, and removing it later takes nothing below zero.
   */
  @Test
  void dayCountersAfterTomorrowAreLeftOutAndNoDayCounterGoesBelowZero() {
    LocalDate today = LocalDate.parse("2024-02-20");
    Map<String, Long> base = TallyArithmetic.add(Map.of(), Map.of("day.attended.2024-02-20", 2L, "day.missed.2024-02-21", 1L,
        "day.attended.2031-05-01", 1L, "meetingsAttended", 3L), today);
    assertThat(base).containsOnly(entry("day.attended.2024-02-20", 2L), entry("day.missed.2024-02-21", 1L),
        entry("meetingsAttended", 3L));

    // years later the day is in the window, and the status that counted it changes: nothing to take away
    LocalDate later = LocalDate.parse("2031-05-01");
    assertThat(TallyArithmetic.add(base, Map.of("day.attended.2031-05-01", -1L), later)).doesNotContainKey("day.attended.2031-05-01");
  }
}
