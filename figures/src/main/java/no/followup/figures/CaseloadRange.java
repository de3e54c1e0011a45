package no.followup.figures;

import no.followup.status.CaseloadFlag;

/**
 * A job specialist's caseload against the IPS range. NAV Ringsaker (project reports survey 2022): "I de
 * faglige føringene for jobbspesialister i NAV er det definert at en jobbspesialist kan følge opp 12-20
 * deltagere." Counted as active participants with an open job-support assignment to the specialist,
 * across every project (the specialist's tally is not per cohort).
 */
public final class CaseloadRange {

  public static final int MIN = 12;
  public static final int CAP = 20;

  private CaseloadRange() {}

  public static CaseloadFlag flag(long caseload) {
    if (caseload > CAP) {
      return CaseloadFlag.OVER_CAP;
    }
    return caseload < MIN ? CaseloadFlag.UNDER_RANGE : CaseloadFlag.WITHIN_RANGE;
  }
}
