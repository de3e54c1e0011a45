package no.followup.bench;

import java.util.List;
import java.util.Locale;

/**
 * One line of the result table: a figure, the ceiling (or floor) it is measured against in the
 * same run, their ratio, and the target with its verdict; "—" where a column does not apply.
 */
record Row(String measurement, String figure, String ceiling, String ratio, String target, Verdict verdict) {

  enum Verdict {
    PASS, MISS, NONE;

    static Verdict of(boolean met) {
      return met ? PASS : MISS;
    }

    @Override
    public String toString() {
      return this == NONE ? "—" : name();
    }
  }

  static final String NONE = "—";

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f events/s", perSecond);
  }

  static String millis(double value) {
    return String.format(Locale.ROOT, "%,.0f ms", value);
  }

  /** Two decimals, three below 0.1, so that small ratios divided by each other still show what was divided. */
  static String ratio(double value) {
    return String.format(Locale.ROOT, value < 0.1 ? "%.3f" : "%.2f", value);
  }

  static String number(double value) {
    return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }

  static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
  }

  /** The rows as a markdown table. */
  static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder("| measurement | figure | ceiling (same run, same broker) | ratio | target | result |\n");
    out.append("|---|---:|---:|---:|---|---|\n");
    for (Row row : rows) {
      out.append("| ").append(String.join(" | ", row.measurement(), row.figure(), row.ceiling(), row.ratio(), row.target(),
          row.verdict().toString())).append(" |\n");
    }
    return out.toString();
  }
}
