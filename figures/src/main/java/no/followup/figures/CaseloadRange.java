package no.followup.figures;

import no.followup.status.CaseloadFlag;

/**
 * A job specialist's caseload against the IPS range. NAV Ringsaker (project reports survey 2022): "I de
 * faglige føringene for jobbspesialister i NAV er det definert at en jobbspesialist kan følge opp 12-20
 * deltagere." Counted as active participants with an open job-support assignment to the specialist,
 * across every project (the specialist's tally is not per cohort).
 *
 * <p>The guidance's 12-20 is for a specialist in a full position. A specialist with a capacity (a share of
 * a full-time position, "FTE share", from their latest SpecialistCapacitySet) has the range scaled by that
 * share, each end rounded to the nearest whole participant (a half position: 6-10), so the caseload per
 * hour worked stays what the guidance asks. Without a recorded capacity the full range applies.
 */
public final class CaseloadRange {

  public static final int MIN = 12;
  public static final int CAP = 20;
  /** The smallest capacity the intake accepts: below it the scaled range would be empty or a single participant. */
  public static final double MIN_FTE_SHARE = 0.1;
  /** A full position. */
  public static final double MAX_FTE_SHARE = 1.0;

  /** The range for one specialist. */
  public record Range(int min, int cap) {

    public CaseloadFlag flag(long caseload) {
      if (caseload > cap) {
        return CaseloadFlag.OVER_CAP;
      }
      return caseload < min ? CaseloadFlag.UNDER_RANGE : CaseloadFlag.WITHIN_RANGE;
    }
  }

  public static final Range FULL_TIME = new Range(MIN, CAP);

  private CaseloadRange() {}

  /** The range of a full position. */
  public static CaseloadFlag flag(long caseload) {
    return FULL_TIME.flag(caseload);
  }

  /** The range for a capacity of {@code fteShare} of a full position; the full range when null. */
  public static Range forCapacity(Double fteShare) {
    if (fteShare == null) {
      return FULL_TIME;
    }
    if (!(fteShare >= MIN_FTE_SHARE && fteShare <= MAX_FTE_SHARE)) {
      throw new IllegalArgumentException("a capacity must be a share from " + MIN_FTE_SHARE + " to " + MAX_FTE_SHARE);
    }
    return new Range((int) Math.round(MIN * fteShare), (int) Math.round(CAP * fteShare));
  }
}
