package no.followup.figures;

import java.time.Instant;
import no.followup.events.SupportService;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;

/**
 * IPS (individual placement and support, "IPS - Individuell jobbstøtte") is one thing: a <b>service</b>
 * a job specialist gives, recorded as ServiceStarted / ServiceEnded with {@link #SERVICE} and the
 * specialist's id. The 2022 survey describes it as the job specialist's work ("En jobbspesialist jobber
 * etter supported employment metodikk (SE) [...] Jobbspesialisten følger bruker i opptil 3 år, også når
 * denne er i arbeid"), so it needs the specialist, whose caseload it counts in ({@link CaseloadRange}).
 * For the participant's situation an open IPS service is an activity: OPTIMIST's final report counts
 * "fem er i tiltak/aktivitet (AFT, IPS, aktivitet på jobbsentralen)", so it gives
 * {@link #SITUATION_WHILE_OPEN}, below a job ({@link SituationPrecedence}). It is no longer started as a
 * measure: the contract marks MeasureStarted's IPS symbol as retired, so the intake refuses it and the
 * forms do not offer it; an older MeasureStarted(IPS) still folds as the measure it was recorded as.
 */
public final class Ips {

  /** The service symbol, as the status keeps it in its specialist assignments. */
  public static final String SERVICE = SupportService.JOB_SUPPORT_IPS.name();

  /** What an open IPS service makes of the participant's situation. */
  public static final Situation SITUATION_WHILE_OPEN = Situation.MEASURE_OR_ACTIVITY;

  private Ips() {}

  /** An assignment of {@code service} (by its symbol) not ended: open IPS. */
  public static boolean isOpenIps(String service, Instant endedAt) {
    return SERVICE.equals(service) && endedAt == null;
  }

  /** The participant's assignment is open IPS. */
  public static boolean isOpenIps(SpecialistAssignment assignment) {
    return isOpenIps(assignment.getService(), assignment.getEndedAt());
  }
}
