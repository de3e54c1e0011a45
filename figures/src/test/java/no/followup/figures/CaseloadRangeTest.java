package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import no.followup.status.CaseloadFlag;
import org.junit.jupiter.api.Test;

/**
 * NAV Ringsaker (project reports survey 2022): "en jobbspesialist kan følge opp 12-20 deltagere.
 * Derfor er det avholdt 20 tiltaksplasser i Utvidet oppfølging som da utgjør en 100% jobbspesialist."
 */
class CaseloadRangeTest {

  @Test
  void twelveToTwentyIsWithinTheRangeOfAFullPosition() {
    assertThat(CaseloadRange.flag(11)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(CaseloadRange.flag(12)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(20)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(21)).isEqualTo(CaseloadFlag.OVER_CAP);
  }

  @Test
  void aPartPositionHasTheRangeScaled() {
    // 50 %: 6-10
    assertThat(CaseloadRange.flag(5, 0.5)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(CaseloadRange.flag(10, 0.5)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(11, 0.5)).isEqualTo(CaseloadFlag.OVER_CAP);
    // 75 %: 9-15
    assertThat(CaseloadRange.flag(15, 0.75)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(16, 0.75)).isEqualTo(CaseloadFlag.OVER_CAP);
    assertThatThrownBy(() -> CaseloadRange.flag(5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseloadRange.flag(5, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
