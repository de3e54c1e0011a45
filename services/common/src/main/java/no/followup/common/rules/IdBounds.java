package no.followup.common.rules;

import java.util.regex.Pattern;

/**
 * The shape of a pseudonymous id (participant, staff, meeting): the intake accepts no other, and a
 * consumer that keeps ids from the event log in its state holds them to the same shape, because the
 * log may be written by anything with access and a state record must stay far below the broker's
 * record limit. One definition, so the intake and its consumers cannot drift apart.
 *
 * <p>'-' and '_' may lead because the base64url subject ids of sign-in providers do; '.' and ':'
 * may not, so "." and ".." never name anything. Printable ASCII only: no control characters (a
 * line break in a logged id would forge a log line), no look-alike digits.
 */
public final class IdBounds {

  /** Longest id, in characters (all ASCII, so also in bytes). */
  public static final int MAX_ID_LENGTH = 64;

  /** A whole id: 1 to {@value #MAX_ID_LENGTH} ASCII letters, digits, '-', '_', '.' or ':', not starting with '.' or ':'. */
  public static final Pattern ID_PATTERN = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9_.:-]{0," + (MAX_ID_LENGTH - 1) + "}$");

  /** Exactly eleven digits in a row: the shape of a Norwegian national identity number (fødselsnummer). */
  private static final Pattern ELEVEN_DIGITS = Pattern.compile("(?<!\\d)\\d{11}(?!\\d)");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s.\\-]");

  private IdBounds() {}

  /**
   * Whether {@code text} is an id; the length is checked before the patterns look at any of it. An
   * id that looks like a national identity number is not pseudonymous, whatever its shape.
   */
  public static boolean isId(CharSequence text) {
    return text != null && text.length() <= MAX_ID_LENGTH && ID_PATTERN.matcher(text).matches()
        && !looksLikeNationalIdentityNumber(text);
  }

  /** Eleven digits in a row, or eleven digits once spaces, dots and dashes are taken out. */
  public static boolean looksLikeNationalIdentityNumber(CharSequence text) {
    String withoutSeparators = SEPARATORS.matcher(text).replaceAll("");
    return ELEVEN_DIGITS.matcher(text).find()
        || (withoutSeparators.length() == 11 && withoutSeparators.chars().allMatch(Character::isDigit));
  }
}
