package no.followup.status.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import no.followup.events.Actor;
import no.followup.events.CohortDefined;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantExited;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.figures.CohortReport;
import no.followup.status.CohortDefinition;
import no.followup.status.ExpectedTallies;
import no.followup.demo.DemoScenario;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.CohortReports;
import org.junit.jupiter.api.Test;

/** The projects' own tables, reproduced from events alone. */
class CohortReportTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  private static Map<String, List<FollowUpEvent>> byParticipant(List<FollowUpEvent> events) {
    return events.stream().filter(e -> !(e.getPayload() instanceof CohortDefined))
        .collect(Collectors.groupingBy(FollowUpEvent::getParticipantId, TreeMap::new, Collectors.toList()));
  }

  private static double round1(Double value) {
    return Math.round(value * 10) / 10.0;
  }

  /**
   * OPTIMIST final report, "Status brukere": "Jobb/lære 5 Tiltak/aktivitet 5 Flyttet 2 Uføretrygd 1
   * Ingen aktivitet 2"; COOP/WONCA: "før og etter tall fra ni brukere. Gjennomsnittscore for alle
   * brukere er på 2,8 ved 1. måling og 2,6 ved andre måling. Ytterpunktene på svarene ligger på 3,7
   * dårligst og 1,6 best. Seks viser en forbedring [...], 2 har ingen forandring og en viser dårligere
   * tall enn ved oppstart."
   */
  @Test
  void theOptimistFinalReportsTablesFromTheDemoEvents() {
    List<FollowUpEvent> events = DemoScenario.generate(42, Instant.parse("2025-05-14T07:30:00Z"));
    CohortDefinition optimist = ExpectedTallies.cohorts(events).get(DemoScenario.OPTIMIST_COHORT);

    CohortReport report =
        CohortReports.answer(optimist, byParticipant(events), null, LocalDate.of(2022, 12, 31), OSLO).report();

    assertThat(report.total().takenIn()).isEqualTo(15);
    assertThat(report.situationOfEveryoneTakenIn()).containsEntry("JOB_OR_APPRENTICESHIP", 5L)
        .containsEntry("MEASURE_OR_ACTIVITY", 5L).containsEntry("MOVED", 2L).containsEntry("DISABILITY_BENEFIT", 1L)
        .containsEntry("NO_REGULAR_ACTIVITY", 2L).containsEntry("EDUCATION", 0L);
    CohortReport.Coop coop = report.coopWonca();
    assertThat(coop.pairs()).isEqualTo(9);
    assertThat(round1(coop.meanFirst())).isEqualTo(2.8);
    assertThat(round1(coop.meanLatest())).isEqualTo(2.6);
    assertThat(round1(coop.meanFirstAllMeasured())).isEqualTo(2.8);
    assertThat(round1(coop.worst())).isEqualTo(3.7);
    assertThat(round1(coop.best())).isEqualTo(1.6);
    assertThat(List.of(coop.improved(), coop.unchanged(), coop.worsened())).containsExactly(6L, 2L, 1L);
    assertThat(report.goal()).isNull();
    assertThat(report.name()).isEqualTo("OPTIMIST, NAV Trysil");
    assertThat(report.daysInProject().count()).isEqualTo(15);
  }

  /** Before the project ended, the same events give that date's figures, not the final ones. */
  @Test
  void anEarlierDateGivesThatDatesFigures() {
    List<FollowUpEvent> events = DemoScenario.generate(42, Instant.parse("2025-05-14T07:30:00Z"));
    CohortDefinition optimist = ExpectedTallies.cohorts(events).get(DemoScenario.OPTIMIST_COHORT);
    CohortReport early =
        CohortReports.answer(optimist, byParticipant(events), null, LocalDate.of(2020, 6, 30), OSLO).report();
    assertThat(early.total().takenIn()).isLessThan(15).isPositive();
    assertThat(early.total().exited()).isZero();
    assertThat(early.situationOfEveryoneTakenIn().get("JOB_OR_APPRENTICESHIP")).isZero();
    assertThat(early.phaseOfActive().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(early.total().takenIn());
  }

  /**
   * A Gjøvik-like project, slide "Tall (pr 31.12.21)": "Antall deltagere totalt i prosjektet: 30. Antall
   * unge under 30: 15. Antall flyktningkvinner: 15. Antall avsluttet til arbeid/utdanning: 16. Antall
   * avsluttet til videre oppfølging i NAV (AAP, KVP, behandling, foreldrepermisjon): 10", against the goal
   * of «60% av de som tas inn i prosjektet». Four still in the project at the date; two of them get a job
   * in 2022, which the figures as of 31.12.21 must not count.
   */
  @Test
  void aGjovikLikeSlideAsOfTheThirtyFirstOfDecember() {
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(event("cohort:gjovik", day(2019, 1, 2), new CohortDefined("Gjøvik", List.of("3407"),
        List.of(TargetGroup.YOUTH_UNDER_30, TargetGroup.REFUGEE_WOMEN), LocalDate.of(2019, 1, 1),
        LocalDate.of(2021, 12, 31), 0.6, List.of(LocalDate.of(2021, 12, 31)))));
    ExitReason[] exits = {
        ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK,
        ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK,
        ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.EDUCATION,
        ExitReason.EDUCATION, ExitReason.EDUCATION, ExitReason.EDUCATION, ExitReason.EDUCATION,
        ExitReason.HEALTH_BENEFIT_AAP, ExitReason.HEALTH_BENEFIT_AAP, ExitReason.HEALTH_BENEFIT_AAP, ExitReason.KVP,
        ExitReason.KVP, ExitReason.KVP, ExitReason.TREATMENT, ExitReason.TREATMENT, ExitReason.PARENTAL_LEAVE,
        ExitReason.PARENTAL_LEAVE, null, null, null, null};
    for (int i = 0; i < 30; i++) {
      String id = String.format("p-%02d", i);
      TargetGroup group = i % 2 == 0 ? TargetGroup.YOUTH_UNDER_30 : TargetGroup.REFUGEE_WOMEN;
      Instant enrolled = day(2019, 1 + i % 12, 10);
      events.add(event(id, enrolled, new ParticipantEnrolled(List.of(group), "s-1", null)));
      if (exits[i] != null) {
        events.add(event(id, day(2020 + i % 2, 1 + i % 12, 20), new ParticipantExited(exits[i])));
      } else if (i % 2 == 0) {
        events.add(event(id, day(2022, 2, 1), new JobStarted(JobKind.ORDINARY, 37)));
        events.add(event(id, day(2022, 2, 15), new ParticipantExited(ExitReason.ORDINARY_WORK)));
      }
    }
    CohortDefinition gjovik = CohortDefinitions.of(events.get(0));

    CohortReport slide =
        CohortReports.answer(gjovik, byParticipant(events), null, LocalDate.of(2021, 12, 31), OSLO).report();

    assertThat(slide.total().takenIn()).isEqualTo(30);
    assertThat(slide.byTargetGroup()).extracting(CohortReport.GroupOutcome::targetGroup, CohortReport.GroupOutcome::takenIn)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("YOUTH_UNDER_30", 15L),
            org.assertj.core.groups.Tuple.tuple("REFUGEE_WOMEN", 15L));
    assertThat(slide.total().exitsByOutcomeGroup()).containsEntry("WORK_OR_EDUCATION", 16L)
        .containsEntry("FURTHER_FOLLOW_UP_IN_NAV", 10L);
    assertThat(slide.total().reachedWorkOrEducation()).isEqualTo(16);
    assertThat(slide.total().goalShare()).as("16 of the 30 taken in").isEqualTo(16 / 30.0);
    assertThat(slide.total().goalMet()).isFalse();
    assertThat(slide.total().active()).isEqualTo(4);
    assertThat(slide.exitsByReason()).containsEntry("ORDINARY_WORK", 11L).containsEntry("EDUCATION", 5L)
        .containsEntry("KVP", 3L);

    CohortReport later =
        CohortReports.answer(gjovik, byParticipant(events), null, LocalDate.of(2022, 3, 1), OSLO).report();
    assertThat(later.total().reachedWorkOrEducation()).as("the two jobs of 2022").isEqualTo(18);
    assertThat(later.total().goalMet()).isTrue();
  }

  /**
   * Project reports survey 2022: "25 deltakere har vært i tiltaket i 2022, 7 deltakere ble skrevet ut: 3
   * ble skrevet ut til ordinært arbeid, 2 ble skrevet ut pga flytting, 1 ble skrevet ut pga av manglende
   * oppmøte over tid. [...] 1 ble skrevet ut til annet tiltak." Ten were there from 2021, fifteen came in
   * 2022; three left in 2021 and one came in 2023, outside the year. Another cohort's participants at
   * the same office, taken in and exited that year, count in none of the figures.
   */
  @Test
  void aYearsFiguresAsTheSurveyProjectReportsThem() {
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(event("cohort:gjovik", day(2021, 1, 2), new CohortDefined("Året 2022", List.of("3407"),
        List.of(TargetGroup.IMMIGRANTS), LocalDate.of(2021, 1, 1), LocalDate.of(2023, 12, 31), null, List.of())));
    ExitReason[] in2022 = {ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK,
        ExitReason.MOVED, ExitReason.MOVED, ExitReason.NON_ATTENDANCE, ExitReason.ANOTHER_MEASURE};
    for (int i = 0; i < 29; i++) {
      String id = String.format("p-%02d", i);
      Instant enrolled = i < 13 ? day(2021, 1 + i % 12, 5) : i < 28 ? day(2022, 1 + (i - 13) % 12, 5) : day(2023, 1, 5);
      events.add(event(id, enrolled, new ParticipantEnrolled(List.of(TargetGroup.IMMIGRANTS), "s-1", null)));
      if (i < 3) {
        events.add(event(id, day(2021, 11, 30), new ParticipantExited(ExitReason.ORDINARY_WORK)));
      } else if (i < 10) {
        events.add(event(id, day(2022, 3 + i, 1), new ParticipantExited(in2022[i - 3])));
      }
    }
    // another cohort at the same office in the same year: none of its people count in this one's figures
    for (int i = 0; i < 6; i++) {
      String id = "other-" + i;
      events.add(FollowUpEvent.newBuilder(event(id, day(2022, 2, 5), new ParticipantEnrolled(
          List.of(TargetGroup.IMMIGRANTS), "s-1", null))).setCohortId("another").build());
      events.add(FollowUpEvent.newBuilder(event(id, day(2022, 6, 5), new ParticipantExited(ExitReason.EDUCATION)))
          .setCohortId("another").setRecordedAt(day(2023, 1, 5)).build());
    }
    CohortDefinition cohort = CohortDefinitions.of(events.get(0));

    CohortReports.Answer answer = CohortReports.answer(cohort, byParticipant(events), LocalDate.of(2022, 1, 1),
        LocalDate.of(2022, 12, 31), OSLO);

    var year = answer.period();
    assertThat(year.inProject()).isEqualTo(25);
    assertThat(year.takenIn()).isEqualTo(15);
    assertThat(year.exited()).isEqualTo(7);
    assertThat(year.exitsByReason()).containsExactlyInAnyOrderEntriesOf(Map.of("ORDINARY_WORK", 3L, "MOVED", 2L,
        "NON_ATTENDANCE", 1L, "ANOTHER_MEASURE", 1L));
    assertThat(year.activeAtEnd()).isEqualTo(18);
    assertThat(year.daysInProject().count()).isEqualTo(25);
    assertThat(answer.recordedAfterTheDate()).isZero();
  }

  /** The figures for a date change only through events that occurred by then, and the answer counts those recorded later. */
  @Test
  void anEventRecordedAfterTheDateThatOccurredBeforeItIsCountedAndSaid() {
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(event("cohort:gjovik", day(2021, 1, 2), new CohortDefined("Gjøvik", List.of("3407"),
        List.of(TargetGroup.YOUTH_UNDER_30), LocalDate.of(2021, 1, 1), LocalDate.of(2022, 12, 31), 0.6, List.of())));
    events.add(event("p-1", day(2021, 2, 1), new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), "s-1", null)));
    events.add(event("p-2", day(2021, 2, 1), new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), "s-1", null)));
    CohortDefinition cohort = CohortDefinitions.of(events.get(0));
    LocalDate date = LocalDate.of(2021, 12, 31);
    CohortReports.Answer before = CohortReports.answer(cohort, byParticipant(events), null, date, OSLO);

    // a job in January: occurred after the date, changes nothing
    events.add(event("p-1", day(2022, 1, 10), new ParticipantExited(ExitReason.ORDINARY_WORK)));
    CohortReports.Answer later = CohortReports.answer(cohort, byParticipant(events), null, date, OSLO);
    assertThat(later.report()).isEqualTo(before.report());
    assertThat(later.recordedAfterTheDate()).isZero();

    // an exit in December, recorded in February: it counts for the date, and the answer says so
    FollowUpEvent backDated = FollowUpEvent.newBuilder(event("p-2", day(2021, 12, 15),
        new ParticipantExited(ExitReason.EDUCATION))).setRecordedAt(day(2022, 2, 1)).build();
    events.add(backDated);
    CohortReports.Answer corrected = CohortReports.answer(cohort, byParticipant(events), null, date, OSLO);
    assertThat(corrected.report().total().reachedWorkOrEducation()).isEqualTo(1);
    assertThat(corrected.recordedAfterTheDate()).isEqualTo(1);
  }

  private static Instant day(int year, int month, int day) {
    return LocalDate.of(year, month, day).atTime(10, 0).atZone(OSLO).toInstant();
  }

  private static int sequence;

  private static FollowUpEvent event(String participantId, Instant at, Object payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(java.util.UUID.nameUUIDFromBytes((participantId + "#" + sequence++).getBytes()))
        .setParticipantId(participantId)
        .setOfficeId("3407")
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-1"))
        .setOccurredAt(at)
        .setRecordedAt(at.plusSeconds(3600))
        .setCohortId("gjovik")
        .setPayload(payload)
        .build();
  }
}
