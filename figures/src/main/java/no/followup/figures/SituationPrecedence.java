package no.followup.figures;

import java.util.List;
import java.util.Set;
import no.followup.status.Situation;

/**
 * A participant's situation from the facts open at a time, by precedence, so the same facts give the
 * same situation whatever order they were recorded or happened in. OPTIMIST's final report counts each
 * participant once in "Jobb/lære 5, Tiltak/aktivitet 5, Flyttet 2, Uføretrygd 1, Ingen aktivitet 2";
 * when several facts are open, the one nearest the project's aim counts:
 * <ol>
 *   <li>JOB_OR_APPRENTICESHIP: the aim itself ("overgang til arbeid", Gjøvik; "jobb eller lære", OPTIMIST);</li>
 *   <li>EDUCATION: the aim's other half ("ordinær jobb eller utdanning");</li>
 *   <li>MEASURE_OR_ACTIVITY: in a measure or regular activity (AFT, job centre, KVP), or given IPS by a job
 *       specialist ({@link Ips}: the service, open);</li>
 *   <li>DISABILITY_BENEFIT: clarified to a lasting benefit ("avklart til uføretrygd"), which follows
 *       and replaces a temporary one;</li>
 *   <li>HEALTH_BENEFIT_AAP: a temporary health benefit;</li>
 *   <li>MOVED: moved away, nothing else known;</li>
 *   <li>NO_REGULAR_ACTIVITY: none of the above open ("ikke i regelmessig aktivitet").</li>
 * </ol>
 * A job or education has no end event, so it stays open once started; a measure ends with its end
 * event. OTHER_FOLLOW_UP is never a fact: only an exit reason (KVP, treatment, parental leave) gives it.
 */
public final class SituationPrecedence {

  /** Highest first. */
  public static final List<Situation> ORDER = List.of(Situation.JOB_OR_APPRENTICESHIP, Situation.EDUCATION,
      Situation.MEASURE_OR_ACTIVITY, Situation.DISABILITY_BENEFIT, Situation.HEALTH_BENEFIT_AAP, Situation.MOVED);

  private SituationPrecedence() {}

  /** The situation the open facts give: the highest in {@link #ORDER}, NO_REGULAR_ACTIVITY when none. */
  public static Situation of(Set<Situation> openFacts) {
    for (Situation situation : ORDER) {
      if (openFacts.contains(situation)) {
        return situation;
      }
    }
    return Situation.NO_REGULAR_ACTIVITY;
  }
}
