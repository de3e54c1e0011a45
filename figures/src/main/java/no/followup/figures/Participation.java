package no.followup.figures;

import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;

/**
 * Who counts as what, for every figure: taken in, exited, where an exit led, reached work or
 * education. Every tally, dashboard view and report asks here.
 */
public final class Participation {

  private Participation() {}

  /**
   * Taken into the project ("de som tas inn i prosjektet", Gjøvik): enrolled, whether still active
   * or exited. A participant with events but no enrolment is not taken in.
   */
  public static boolean takenIn(ParticipantStatus s) {
    return s.getEnrolled();
  }

  /**
   * Referred (KlarA: «totalt 31 henvisninger til prosjekt KlarA. 13 kvinner er ikke tatt inn»: the
   * referrals count those taken in as well as those not): a referral recorded, or, where none was,
   * an enrolment or a declined referral, since nobody is taken in or turned away unreferred.
   */
  public static boolean referred(ParticipantStatus s) {
    return s.getReferredAt() != null || s.getEnrolled() || s.getReferralDeclinedAt() != null;
  }

  /**
   * Referred and not taken in (KlarA: "31 henvisninger [...] 13 kvinner er ikke tatt inn i
   * prosjektet"): a referral declined, and no enrolment.
   */
  public static boolean referralDeclined(ParticipantStatus s) {
    return !s.getEnrolled() && s.getReferralDeclinedAt() != null;
  }

  /** Awaiting enrolment: not (yet) taken in, and no referral declined. */
  public static boolean awaitingEnrolment(ParticipantStatus s) {
    return !s.getEnrolled() && !referralDeclined(s);
  }

  /** Exited: the status's phase is EXITED (an exit always sets it; a re-enrolment clears it). */
  public static boolean exited(ParticipantStatus s) {
    return s.getEnrolled() && s.getPhase() == Phase.EXITED;
  }

  /** Taken in and not exited. */
  public static boolean active(ParticipantStatus s) {
    return takenIn(s) && !exited(s);
  }

  /** Where the exit led; null when not exited. */
  public static OutcomeGroup outcomeGroup(ParticipantStatus s) {
    return exited(s) ? OutcomeGroup.ofExit(s.getExitReason(), s.getSituation()) : null;
  }

  /**
   * Reached ordinary work or education, in the sense of the goal: exited to work or education
   * (Gjøvik: "Antall avsluttet til arbeid/utdanning"). Someone still in the project with a job
   * counts once they exit.
   */
  public static boolean reachedWorkOrEducation(ParticipantStatus s) {
    return outcomeGroup(s) == OutcomeGroup.WORK_OR_EDUCATION;
  }
}
