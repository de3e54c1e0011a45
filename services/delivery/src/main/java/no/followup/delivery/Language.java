package no.followup.delivery;

import java.util.Locale;

/** The written standard a participant gets SMS texts in. */
public enum Language {
  /** Bokmål (the default). */
  BOKMAL("nb"),
  /** Nynorsk. */
  NYNORSK("nn");

  private final String code;

  Language(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** Parses "nb"/"bokmål"/"bokmal" or "nn"/"nynorsk"; blank means bokmål. */
  public static Language parse(String value) {
    if (value == null || value.isBlank()) {
      return BOKMAL;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "nb", "no", "bokmål", "bokmal" -> BOKMAL;
      case "nn", "nynorsk" -> NYNORSK;
      // the column's text is not quoted: in a shifted line it may be a name or a phone number
      default -> throw new IllegalArgumentException("unknown language (use nb or nn)");
    };
  }
}
