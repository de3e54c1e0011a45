package no.followup.figures;

import no.followup.status.ScoreChange;

/**
 * COOP/WONCA as OPTIMIST used it: six charts plus an added item for pain, each 1 to 5, "hvor 5 er
 * dårligst"; a measurement is the average of its 7 items. A participant "viser en forbedring", "har
 * ingen forandring" or "viser dårligere tall" by comparing the average after with the one before.
 * The report gives no threshold and reports averages to one decimal. Averages of 7 whole items move
 * in steps of 1/7 (more than 0.1), so any change of the item sum changes the average at the report's
 * precision: unchanged means the same average, improved a lower one, worse a higher one.
 */
public final class CoopWonca {

  public static final int ITEMS = 7;

  private CoopWonca() {}

  public static double average(int itemSum) {
    return itemSum / (double) ITEMS;
  }

  /** The change from the measurement before to the one after, by their 7-item sums. */
  public static ScoreChange change(int itemSumBefore, int itemSumAfter) {
    if (itemSumAfter < itemSumBefore) {
      return ScoreChange.IMPROVED;
    }
    return itemSumAfter > itemSumBefore ? ScoreChange.WORSENED : ScoreChange.UNCHANGED;
  }
}
