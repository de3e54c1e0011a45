package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static no.followup.figures.OutcomeGroup.*;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;
import org.junit.jupiter.api.Test;

class OutcomeGroupTest {

  /**
   * Gjøvik, "Tall (pr 31.12.21)": "Antall avsluttet til arbeid/utdanning: 16" and "Antall avsluttet
   * til videre oppfølging i NAV (AAP, KVP, behandling, foreldrepermisjon): 10".
   */
  @Test
  void gjoviksTwoGroups() {
    assertThat(OutcomeGroup.ofExit(StatusExitReason.ORDINARY_WORK, null)).isEqualTo(WORK_OR_EDUCATION);
    assertThat(OutcomeGroup.ofExit(StatusExitReason.EDUCATION, null)).isEqualTo(WORK_OR_EDUCATION);
    for (StatusExitReason r : List.of(StatusExitReason.HEALTH_BENEFIT_AAP, StatusExitReason.KVP,
        StatusExitReason.TREATMENT, StatusExitReason.PARENTAL_LEAVE)) {
      assertThat(OutcomeGroup.ofExit(r, Situation.NO_REGULAR_ACTIVITY)).as(r.name()).isEqualTo(FURTHER_FOLLOW_UP_IN_NAV);
    }
  }

  /**
   * Project reports survey 2022: "25 deltakere har vært i tiltaket i 2022, 7 deltakere ble skrevet ut:
   * 3 ble skrevet ut til ordinært arbeid, 2 ble skrevet ut pga flytting, 1 ble skrevet ut pga av
   * manglende oppmøte over tid. [...] 1 ble skrevet ut til annet tiltak."
   */
  @Test
  void theSurveyProjectsSevenExits() {
    List<StatusExitReason> exits = List.of(StatusExitReason.ORDINARY_WORK, StatusExitReason.ORDINARY_WORK,
        StatusExitReason.ORDINARY_WORK, StatusExitReason.MOVED, StatusExitReason.MOVED, StatusExitReason.NON_ATTENDANCE,
        StatusExitReason.ANOTHER_MEASURE);
    Map<OutcomeGroup, Integer> groups = new EnumMap<>(OutcomeGroup.class);
    exits.forEach(r -> groups.merge(OutcomeGroup.ofExit(r, null), 1, Integer::sum));
    assertThat(groups).containsExactlyInAnyOrderEntriesOf(Map.of(WORK_OR_EDUCATION, 3, MOVED, 2, NO_ACTIVITY, 1,
        FURTHER_FOLLOW_UP_IN_NAV, 1));
  }

  /** OPTIMIST: "en er avklart til uføretrygd". */
  @Test
  void disabilityBenefitIsTheBenefitGroup() {
    assertThat(OutcomeGroup.ofExit(StatusExitReason.DISABILITY_BENEFIT, null)).isEqualTo(BENEFIT);
  }

  @Test
  void anExitForAnotherReasonIsGroupedByTheFactsAtTheExit() {
    assertThat(OutcomeGroup.ofExit(StatusExitReason.OTHER, Situation.JOB_OR_APPRENTICESHIP)).isEqualTo(WORK_OR_EDUCATION);
    assertThat(OutcomeGroup.ofExit(StatusExitReason.OTHER, Situation.MEASURE_OR_ACTIVITY)).isEqualTo(FURTHER_FOLLOW_UP_IN_NAV);
    assertThat(OutcomeGroup.ofExit(StatusExitReason.OTHER, Situation.DISABILITY_BENEFIT)).isEqualTo(BENEFIT);
    assertThat(OutcomeGroup.ofExit(StatusExitReason.OTHER, Situation.NO_REGULAR_ACTIVITY)).isEqualTo(OTHER);
    assertThat(OutcomeGroup.ofExit(null, null)).isEqualTo(OTHER);
  }

  @Test
  void everyReasonAndSituationHasAGroup() {
    for (StatusExitReason r : StatusExitReason.values()) {
      for (Situation s : Situation.values()) {
        assertThat(OutcomeGroup.ofExit(r, s)).isNotNull();
      }
    }
  }
}
