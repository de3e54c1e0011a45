package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import no.followup.status.ScoreChange;
import org.junit.jupiter.api.Test;

/**
 * OPTIMIST final report: "Skala under hvert svar går fra 1 til 5, hvor 5 er dårligst. [...] Seks viser
 * en forbedring i generell helsetilstand, 2 har ingen forandring og en viser dårligere tall enn ved
 * oppstart." No threshold is given; averages are reported to one decimal (2,8; 2,6; 3,7; 1,6).
 */
class CoopWoncaTest {

  @Test
  void lowerIsBetterAndAnyChangeOfTheAverageCounts() {
    assertThat(CoopWonca.change(20, 19)).isEqualTo(ScoreChange.IMPROVED);
    assertThat(CoopWonca.change(20, 20)).isEqualTo(ScoreChange.UNCHANGED);
    assertThat(CoopWonca.change(20, 21)).isEqualTo(ScoreChange.WORSENED);
  }

  @Test
  void aOneItemChangeAlwaysShowsAtTheReportsOneDecimal() {
    for (int sum = 7; sum < 35; sum++) {
      assertThat(Math.round(CoopWonca.average(sum) * 10)).as("sum " + sum).isNotEqualTo(Math.round(CoopWonca.average(sum + 1) * 10));
    }
  }

  @Test
  void theAverageIsOverSevenItems() {
    assertThat(CoopWonca.average(26)).isEqualTo(26 / 7.0);
    assertThat(Math.round(CoopWonca.average(26) * 10) / 10.0).as("the report's worst, 3,7").isEqualTo(3.7);
  }
}
