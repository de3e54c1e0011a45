package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import no.followup.status.CaseloadFlag;
import org.junit.jupiter.api.Test;

/**
 * NAV Ringsaker (project reports survey 2022): "en jobbspesialist kan følge opp 12-20 deltagere."
 */
class CaseloadRangeTest {

  @Test
  void twelveToTwentyIsWithinTheRange() {
    assertThat(CaseloadRange.flag(11)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(CaseloadRange.flag(12)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(20)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(21)).isEqualTo(CaseloadFlag.OVER_CAP);
  }
}
