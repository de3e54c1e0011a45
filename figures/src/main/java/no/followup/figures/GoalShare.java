package no.followup.figures;

/**
 * The project goal's figure. Gjøvik: «Dersom 60% av de som tas inn i prosjektet når målsettingen om
 * ordinær jobb eller utdanning, vil det ses på som et godt resultat»: the share is those who reached
 * ordinary work or education over <b>everyone taken in</b>, not over the exits. The share of exits is
 * kept as a secondary figure, labelled as such, never compared with the goal.
 *
 * @param reached participants who reached work or education ({@link Participation#reachedWorkOrEducation})
 * @param takenIn participants taken in ({@link Participation#takenIn})
 * @param exits   participants exited ({@link Participation#exited})
 * @param goal    the cohort's goal for {@link #share()}, or null when it has none
 */
public record GoalShare(long reached, long takenIn, long exits, Double goal) {

  /** reached / taken in; null when nobody is taken in. */
  public Double share() {
    return takenIn == 0 ? null : reached / (double) takenIn;
  }

  /** Secondary: reached / exits; null before the first exit. Not the goal's figure. */
  public Double shareOfExits() {
    return exits == 0 ? null : reached / (double) exits;
  }

  /** share ≥ goal; null without a goal or with nobody taken in. */
  public Boolean goalMet() {
    Double share = share();
    return goal == null || share == null ? null : share >= goal;
  }
}
