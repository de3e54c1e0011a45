package no.followup.figures;

import no.followup.status.Situation;
import no.followup.status.StatusExitReason;

/**
 * Where an exit led, in the groups the projects report exits in.
 *
 * <p>Gjøvik's slide "Tall (pr 31.12.21)" reports "Antall avsluttet til arbeid/utdanning: 16" and
 * "Antall avsluttet til videre oppfølging i NAV (AAP, KVP, behandling, foreldrepermisjon): 10": work
 * and education are one group, and so are AAP, KVP, treatment and parental leave. The other groups are
 * the remaining exit reasons the projects use: moved (OPTIMIST "Flyttet", the 2022 survey's "flyttet"),
 * a benefit that ends the work path (OPTIMIST "avklart til uføretrygd"), no activity (the survey's
 * "manglende oppmøte over tid") and other.
 *
 * <p>Another measure counts as further follow-up in NAV: KVP, which Gjøvik counts there, is itself a
 * NAV programme, and a measure (AFT, work training, the job centre) is follow-up arranged by NAV as
 * well. The exit reason ANOTHER_MEASURE stays visible in the exits by reason.
 */
public enum OutcomeGroup {
  WORK_OR_EDUCATION,
  FURTHER_FOLLOW_UP_IN_NAV,
  MOVED,
  BENEFIT,
  NO_ACTIVITY,
  OTHER;

  /**
   * The group of an exit. The reason decides; an exit with reason OTHER (or none recorded) is
   * grouped by the situation the facts gave at the exit, and is OTHER when they give no activity
   * (an exit "for another reason" is not a report of inactivity).
   */
  public static OutcomeGroup ofExit(StatusExitReason reason, Situation situationAtExit) {
    if (reason != null && reason != StatusExitReason.OTHER) {
      return switch (reason) {
        case ORDINARY_WORK, EDUCATION -> WORK_OR_EDUCATION;
        case HEALTH_BENEFIT_AAP, KVP, TREATMENT, PARENTAL_LEAVE, ANOTHER_MEASURE -> FURTHER_FOLLOW_UP_IN_NAV;
        case MOVED -> MOVED;
        case DISABILITY_BENEFIT -> BENEFIT;
        case NON_ATTENDANCE -> NO_ACTIVITY;
        case OTHER -> OTHER;
      };
    }
    if (situationAtExit == null) {
      return OTHER;
    }
    return switch (situationAtExit) {
      case JOB_OR_APPRENTICESHIP, EDUCATION -> WORK_OR_EDUCATION;
      case MEASURE_OR_ACTIVITY, HEALTH_BENEFIT_AAP, OTHER_FOLLOW_UP -> FURTHER_FOLLOW_UP_IN_NAV;
      case MOVED -> MOVED;
      case DISABILITY_BENEFIT -> BENEFIT;
      case NO_REGULAR_ACTIVITY, UNKNOWN -> OTHER;
    };
  }
}
