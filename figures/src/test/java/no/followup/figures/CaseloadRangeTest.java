package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import no.followup.status.CaseloadFlag;
import org.junit.jupiter.api.Test;

/** IPS: one job specialist follows 12-20 participants (the projects' job-specialist caseload). */
class CaseloadRangeTest {

  @Test
  void twelveToTwentyIsWithinTheRange() {
    assertThat(CaseloadRange.flag(11)).isEqualTo(CaseloadFlag.UNDER_RANGE);
    assertThat(CaseloadRange.flag(12)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(20)).isEqualTo(CaseloadFlag.WITHIN_RANGE);
    assertThat(CaseloadRange.flag(21)).isEqualTo(CaseloadFlag.OVER_CAP);
  }
}
