package no.followup.figures;

import no.followup.status.CaseloadFlag;

/**
 * A job specialist's caseload against the IPS range. NAV Ringsaker (project reports survey 2022): "I de
 * faglige føringene for jobbspesialister i NAV er det definert at en jobbspesialist kan følge opp 12-20
 * deltagere. Derfor er det avholdt 20 tiltaksplasser i Utvidet oppfølging som da utgjør en 100%
 * jobbspesialist." The range is for a full position; a specialist in part of a position (capacity as
 * a share of a full-time equivalent, FTE) has the range scaled by it, as the report's "20 places make
 * one 100 % specialist" scales. Counted as active participants with an open job-support assignment
 * to the specialist, across every project.
 */
public final class CaseloadRange {

  public static final int MIN = 12;
  public static final int CAP = 20;

  private CaseloadRange() {}

  /** Against the range of a full position. */
  public static CaseloadFlag flag(long caseload) {
    return flag(caseload, 1.0);
  }

  /**
   * Against the range scaled by {@code fte} (0 &lt; fte ≤ 1): under {@code 12 × fte}, over {@code 20 × fte}.
   */
  public static CaseloadFlag flag(long caseload, double fte) {
    if (!(fte > 0 && fte <= 1)) {
      throw new IllegalArgumentException("capacity must be a share of a full position, above 0 and at most 1");
    }
    if (caseload > CAP * fte) {
      return CaseloadFlag.OVER_CAP;
    }
    return caseload < MIN * fte ? CaseloadFlag.UNDER_RANGE : CaseloadFlag.WITHIN_RANGE;
  }
}
