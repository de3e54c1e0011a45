package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import no.followup.status.CaseloadFlag;
import org.junit.jupiter.api.Test;

/**
 * NAV Ringsaker (project reports survey 2022): "I de faglige føringene for jobbspesialister i NAV er det
 * definert at en jobbspesialist kan følge opp 12-20 deltagere." The range is a full position's; a
 * specialist's capacity (FTE share) scales it.
 */
class CaseloadRangeTest {

  @Test
  void twelveToTwentyIsWithinTheRange() {
    assertThat(CaseloadRange.flag(11)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(CaseloadRange.flag(12)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(20)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(21)).isEqualTo(CaseloadFlag.OVER_CAP);
  }

  @Test
  void aCapacityScalesTheRangeToWholeParticipants() {
    assertThat(CaseloadRange.forCapacity(null)).isEqualTo(new CaseloadRange.Range(12, 20));
    assertThat(CaseloadRange.forCapacity(1.0)).isEqualTo(new CaseloadRange.Range(12, 20));
    assertThat(CaseloadRange.forCapacity(0.5)).as("half of 12-20").isEqualTo(new CaseloadRange.Range(6, 10));
    assertThat(CaseloadRange.forCapacity(0.8)).as("9.6 and 16").isEqualTo(new CaseloadRange.Range(10, 16));
    assertThat(CaseloadRange.forCapacity(0.1)).as("1.2 and 2").isEqualTo(new CaseloadRange.Range(1, 2));

    CaseloadRange.Range half = CaseloadRange.forCapacity(0.5);
    assertThat(half.flag(5)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(half.flag(10)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(half.flag(12)).as("within a full position's range, over a half position's").isEqualTo(CaseloadFlag.OVER_CAP);
  }

  @Test
  void aCapacityOutsideTheBoundsIsRefused() {
    assertThatThrownBy(() -> CaseloadRange.forCapacity(0.05)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseloadRange.forCapacity(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseloadRange.forCapacity(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
