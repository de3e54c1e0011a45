package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import no.followup.status.Situation;
import org.junit.jupiter.api.Test;

class SituationPrecedenceTest {

  /**
   * OPTIMIST, "Status brukere": "fem av 15 brukere i jobb eller lære, fem er i tiltak/aktivitet (AFT,
   * IPS, aktivitet på jobbsentralen), to har flyttet, en er avklart til uføretrygd og to er ikke i
   * regelmessig aktivitet": one category each, the nearest to work first.
   */
  @Test
  void theFactNearestWorkDecides() {
    assertThat(SituationPrecedence.of(EnumSet.of(Situation.MEASURE_OR_ACTIVITY, Situation.JOB_OR_APPRENTICESHIP)))
        .isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
    assertThat(SituationPrecedence.of(EnumSet.of(Situation.MEASURE_OR_ACTIVITY, Situation.EDUCATION)))
        .isEqualTo(Situation.EDUCATION);
    assertThat(SituationPrecedence.of(EnumSet.of(Situation.HEALTH_BENEFIT_AAP, Situation.DISABILITY_BENEFIT)))
        .isEqualTo(Situation.DISABILITY_BENEFIT);
    assertThat(SituationPrecedence.of(EnumSet.of(Situation.MOVED, Situation.HEALTH_BENEFIT_AAP)))
        .isEqualTo(Situation.HEALTH_BENEFIT_AAP);
    assertThat(SituationPrecedence.of(Set.of())).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
  }

  @Test
  void everyPairHasOneWinnerAboveTheOther() {
    for (int high = 0; high < SituationPrecedence.ORDER.size(); high++) {
      for (int low = high + 1; low < SituationPrecedence.ORDER.size(); low++) {
        Situation a = SituationPrecedence.ORDER.get(high);
        Situation b = SituationPrecedence.ORDER.get(low);
        assertThat(SituationPrecedence.of(EnumSet.of(a, b))).as(a + " over " + b).isEqualTo(a);
        assertThat(SituationPrecedence.of(EnumSet.of(b))).isEqualTo(b);
      }
    }
  }
}
