package no.followup.common.rules;

import java.util.regex.Pattern;

/**
 * The shapes of the ids in the data: a pseudonymous id (participant, staff, meeting), a NAV unit
 * number (office) and a cohort slug. The intake accepts no other; a consumer that keeps ids from the
 * event log in its state holds them to the same shapes, because the log may be written by anything
 * with access and a state record must stay far below the broker's record limit; and the dashboard
 * refuses any other in a query, because its logs and audit record what was asked. One definition,
 * so none of them can drift apart.
 *
 * <p>'-' and '_' may lead a pseudonymous id because the base64url subject ids of sign-in providers
 * do; '.' and ':' may not, so "." and ".." never name anything. Printable ASCII only: no control
 * characters (a line break in a logged id would forge a log line), no look-alike digits. No id may
 * look like a national identity number, whatever its shape.
 */
public final class IdShapes {

  /** Longest pseudonymous id, in characters (all ASCII, so also in bytes); the longest of the shapes. */
  public static final int MAX_ID_LENGTH = 64;
  public static final Pattern PSEUDONYMOUS_ID = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9_.:-]{0," + (MAX_ID_LENGTH - 1) + "}$");
  public static final String PSEUDONYMOUS_ID_DESCRIPTION = "a pseudonymous id: 1 to " + MAX_ID_LENGTH
      + " ASCII letters, digits, '-', '_', '.' or ':', not starting with '.' or ':'";

  public static final Pattern NAV_UNIT_NUMBER = Pattern.compile("^[0-9]{4}$");
  public static final String NAV_UNIT_NUMBER_DESCRIPTION = "a NAV unit number: 4 digits";

  /** No '|' or ':': cohort ids are parts of tally keys such as {@code cohort-group:optimist|YOUTH_UNDER_30}. */
  public static final int MAX_COHORT_SLUG_LENGTH = 40;
  public static final Pattern COHORT_SLUG = Pattern.compile("^[a-z0-9][a-z0-9_-]{0," + (MAX_COHORT_SLUG_LENGTH - 1) + "}$");
  public static final String COHORT_SLUG_DESCRIPTION = "a cohort slug: 1 to " + MAX_COHORT_SLUG_LENGTH
      + " lowercase ASCII letters, digits, '-' or '_', starting with a letter or digit";

  /** Exactly eleven digits in a row: the shape of a Norwegian national identity number (fødselsnummer). */
  private static final Pattern ELEVEN_DIGITS = Pattern.compile("(?<!\\d)\\d{11}(?!\\d)");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s.\\-]");

  private IdShapes() {}

  public static boolean isPseudonymousId(CharSequence text) {
    return matches(PSEUDONYMOUS_ID, text);
  }

  public static boolean isNavUnitNumber(CharSequence text) {
    return matches(NAV_UNIT_NUMBER, text);
  }

  public static boolean isCohortSlug(CharSequence text) {
    return matches(COHORT_SLUG, text);
  }

  /** Eleven digits in a row, or eleven digits once spaces, dots and dashes are taken out. */
  public static boolean looksLikeNationalIdentityNumber(CharSequence text) {
    String withoutSeparators = SEPARATORS.matcher(text).replaceAll("");
    return ELEVEN_DIGITS.matcher(text).find()
        || (withoutSeparators.length() == 11 && withoutSeparators.chars().allMatch(Character::isDigit));
  }

  /** The length is checked before a pattern looks at any of the text. */
  private static boolean matches(Pattern shape, CharSequence text) {
    return text != null && text.length() <= MAX_ID_LENGTH && shape.matcher(text).matches()
        && !looksLikeNationalIdentityNumber(text);
  }
}
