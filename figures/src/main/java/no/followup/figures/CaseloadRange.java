package no.followup.figures;

import no.followup.status.CaseloadFlag;

/**
 * IPS (Supported Employment): one job specialist follows 12 to 20 participants. Counted as active
 * participants with an open job-support assignment to the specialist.
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
