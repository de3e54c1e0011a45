package no.followup.status.demo;

import no.followup.demo.DemoScenario;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import no.followup.events.CohortDefined;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingScheduled;
import no.followup.status.Caseload;
import no.followup.status.CaseloadFlag;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.ExpectedTallies;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.StatusRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class DemoScenarioTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final Instant NOW = Instant.parse("2025-05-14T07:30:00Z");

  /** The OPTIMIST report's figures, checked on a tally. */
  public static void assertOptimistFigures(Tally t) {
    assertThat(t.getParticipants()).isEqualTo(15);
    assertThat(t.getBySituation()).containsEntry("JOB_OR_APPRENTICESHIP", 5L).containsEntry("MEASURE_OR_ACTIVITY", 5L)
        .containsEntry("MOVED", 2L).containsEntry("DISABILITY_BENEFIT", 1L).containsEntry("NO_REGULAR_ACTIVITY", 2L)
        .containsEntry("EDUCATION", 0L).containsEntry("HEALTH_BENEFIT_AAP", 0L).containsEntry("OTHER_FOLLOW_UP", 0L);
    var coop = t.getCoopWonca();
    assertThat(coop.getPairs()).isEqualTo(9);
    assertThat(round1(coop.getMeanFirst())).isEqualTo(2.8);
    assertThat(coop.getMeasured()).isEqualTo(12);
    assertThat(round1(coop.getMeanFirstAllMeasured())).as("'Gjennomsnittscore for alle brukere er på 2,8'").isEqualTo(2.8);
    assertThat(round1(coop.getMeanLatest())).isEqualTo(2.6);
    assertThat(round1(coop.getWorst())).isEqualTo(3.7);
    assertThat(round1(coop.getBest())).isEqualTo(1.6);
    assertThat(coop.getImproved()).isEqualTo(6);
    assertThat(coop.getUnchanged()).isEqualTo(2);
    assertThat(coop.getWorsened()).isEqualTo(1);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static Map<String, ParticipantStatus> foldAll(List<FollowUpEvent> events) {
    return ExpectedTallies.statuses(events);
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 42L, 2020L, -7L, 123456789L})
  void theOptimistCohortEndsAsInTheReportForAnySeed(long seed) {
    List<FollowUpEvent> events = DemoScenario.generate(seed, NOW);
    Map<String, ParticipantStatus> statuses = foldAll(events);
    Map<String, Tally> tallies = ExpectedTallies.tallies(events, NOW, OSLO);
    assertOptimistFigures(tallies.get("cohort:optimist"));
    assertOptimistFigures(tallies.get("office:3421"));
    assertThat(tallies.get("cohort:optimist").getCohort().getName()).isEqualTo("OPTIMIST, NAV Trysil");
    assertThat(tallies.get("cohort:optimist").getGoal()).as("OPTIMIST set no share goal").isNull();
    assertThat(statuses.values().stream().filter(s -> "optimist".equals(s.getCohortId())))
        .allSatisfy(s -> assertThat(s.getEnrolledAt()).isBetween(
            Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2022-12-31T00:00:00Z")));
  }

  @Test
  void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
    assertThat(DemoScenario.generate(5, NOW)).isEqualTo(DemoScenario.generate(5, NOW));
    assertThat(DemoScenario.generate(5, NOW)).isNotEqualTo(DemoScenario.generate(6, NOW));
  }

  @Test
  void realDataTroubleIsIncluded() {
    List<FollowUpEvent> all = DemoScenario.generate(42, NOW);
    List<FollowUpEvent> definitions = all.stream().filter(e -> e.getPayload() instanceof CohortDefined).toList();
    assertThat(definitions).extracting(FollowUpEvent::getCohortId)
        .containsExactlyInAnyOrder("optimist", "gjovik-2025", "valdres-2025");
    definitions.forEach(CohortDefinitions::of);
    List<FollowUpEvent> events = all.stream().filter(e -> !(e.getPayload() instanceof CohortDefined)).toList();
    Set<String> seen = new HashSet<>();
    long duplicates = events.stream().filter(e -> !seen.add(e.getEventId().toString())).count();
    assertThat(duplicates).isBetween(3L, 20L);

    // per participant, publish order is not occurrence order
    Map<String, List<FollowUpEvent>> byParticipant = events.stream()
        .collect(Collectors.groupingBy(FollowUpEvent::getParticipantId));
    long outOfOrder = byParticipant.values().stream().filter(list -> {
      for (int i = 1; i < list.size(); i++) {
        if (list.get(i).getOccurredAt().isBefore(list.get(i - 1).getOccurredAt())) {
          return true;
        }
      }
      return false;
    }).count();
    assertThat(outOfOrder).isGreaterThan(5);
    // some participant's events arrive before their enrolment
    assertThat(byParticipant.values()).anySatisfy(list ->
        assertThat(list.get(0).getPayload()).isNotInstanceOf(no.followup.events.ParticipantEnrolled.class));
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getParticipantId()).matches("p-[0-9a-f]{10}");
      assertThat(e.getActor().getStaffId()).matches("s-[0-9a-f]{6}");
      assertThat(e.getRecordedAt()).isAfterOrEqualTo(e.getOccurredAt()).isBeforeOrEqualTo(NOW);
      StatusRules.validate(e);
    });
  }

  @Test
  void otherOfficesAreBusyNow() {
    List<FollowUpEvent> events = DemoScenario.generate(42, NOW);
    LocalDate today = LocalDate.ofInstant(NOW, OSLO);
    List<LocalDate> meetingDays = new ArrayList<>();
    events.forEach(e -> {
      if (e.getPayload() instanceof MeetingScheduled m && m.getStartsAt().isAfter(NOW.minus(Duration.ofHours(12)))) {
        meetingDays.add(LocalDate.ofInstant(m.getStartsAt(), OSLO));
      }
    });
    assertThat(meetingDays).contains(today, today.plusDays(1));

    Map<String, ParticipantStatus> statuses = foldAll(events);
    assertThat(statuses.values()).filteredOn(s -> DemoScenario.GJOVIK_OFFICE.equals(s.getOfficeId())).hasSize(24);
    assertThat(statuses.values()).anySatisfy(s -> assertThat(s.getConsecutiveMisses()).isGreaterThanOrEqualTo(3));
    assertThat(statuses.values()).filteredOn(s -> s.getExitedAt() == null && s.getLastContactAt() != null
        && s.getLastContactAt().isBefore(NOW.minus(Duration.ofDays(15)))).isNotEmpty();

    Map<String, Tally> tallies = ExpectedTallies.tallies(events, NOW, OSLO);
    Tally overCap = tallies.get("specialist:" + DemoScenario.JOB_SPECIALIST_OVER_CAP);
    assertThat(overCap.getJobSpecialistCaseloads()).extracting(Caseload::getSpecialistId, Caseload::getCaseload, Caseload::getFlag)
        .contains(org.assertj.core.groups.Tuple.tuple(DemoScenario.JOB_SPECIALIST_OVER_CAP, 21L, CaseloadFlag.OVER_CAP));
    Tally within = tallies.get("specialist:" + DemoScenario.JOB_SPECIALIST_WITHIN);
    assertThat(within.getJobSpecialistCaseloads()).extracting(Caseload::getCaseload, Caseload::getFlag)
        .contains(org.assertj.core.groups.Tuple.tuple(12L, CaseloadFlag.WITHIN_RANGE));
    Tally gjovik = tallies.get("cohort:" + DemoScenario.GJOVIK_COHORT);
    assertThat(gjovik.getGoal()).as("from the cohort's definition").isEqualTo(0.6);
    assertThat(tallies.get("cohort-group:" + DemoScenario.GJOVIK_COHORT + "|REFUGEE_WOMEN").getGoal()).isEqualTo(0.6);
    assertThat(gjovik.getActive()).isEqualTo(18);
    assertThat(gjovik.getExits()).isEqualTo(6);
    assertThat(gjovik.getExitsIntoWorkOrEducation()).isEqualTo(4);
    assertThat(gjovik.getParticipants()).isEqualTo(24);
    assertThat(gjovik.getGoalShare()).as("4 of the 24 taken in, not 4 of 6 exits").isEqualTo(4 / 24.0);
    assertThat(gjovik.getShareOfExitsIntoWorkOrEducation()).isEqualTo(4 / 6.0);
    assertThat(gjovik.getGoalMet()).isFalse();
    assertThat(gjovik.getByOutcomeGroup()).containsEntry("WORK_OR_EDUCATION", 4L).containsEntry("FURTHER_FOLLOW_UP_IN_NAV", 2L);
    assertThat(gjovik.getMeetingsAttendedLast30Days()).isPositive();
    assertThat(gjovik.getMeetingsMissedLast30Days()).isPositive();
  }

  @Test
  void replayedThroughTheTopologyTheTalliesMatchTheReport(@TempDir Path stateDir) {
    try (var f = new no.followup.status.topology.DemoReplay(stateDir, NOW)) {
      f.replay(DemoScenario.generate(42, NOW));
      assertOptimistFigures(f.tally("cohort:optimist"));
      assertOptimistFigures(f.tally("office:3421"));
      assertThat(f.status().values()).filteredOn(s -> "optimist".equals(s.getCohortId())).hasSize(15);
    }
  }
}
