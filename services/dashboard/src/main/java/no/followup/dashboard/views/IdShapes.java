package no.followup.dashboard.views;

import java.util.regex.Pattern;

/**
 * The shapes of the ids the dashboard accepts from a caller (query parameters, the participant search).
 * They are the intake's text shapes ({@code BusinessRules} in services/intake, which the dashboard does
 * not depend on at run time; a test checks that the two agree): every id in the data passed them, so an
 * input of another shape names nothing, and refusing it keeps typed identity numbers and names out of
 * the audit and application logs, which record these values.
 */
public final class IdShapes {

  /** A participant's, staff member's or meeting's pseudonymous id. */
  public static final String PSEUDONYMOUS_ID_DESCRIPTION =
      "a pseudonymous id: 1 to 64 ASCII letters, digits, '-', '_', '.' or ':', not starting with '.' or ':'";
  public static final String NAV_UNIT_NUMBER_DESCRIPTION = "a NAV unit number: 4 digits";
  public static final String COHORT_SLUG_DESCRIPTION =
      "a cohort slug: 1 to 40 lowercase ASCII letters, digits, '-' or '_', starting with a letter or digit";

  private static final Pattern PSEUDONYMOUS_ID = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9_.:-]{0,63}$");
  private static final Pattern NAV_UNIT_NUMBER = Pattern.compile("^[0-9]{4}$");
  private static final Pattern COHORT_SLUG = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");
  /** Eleven digits in a row are an identity number, never an id (the intake refuses them in every id too). */
  private static final Pattern IDENTITY_NUMBER = Pattern.compile("[0-9]{11}");
  /** The longest of the shapes: a longer input is refused before any pattern sees it. */
  private static final int MAX_LENGTH = 64;

  private IdShapes() {}

  public static boolean isPseudonymousId(String text) {
    return matches(PSEUDONYMOUS_ID, text);
  }

  public static boolean isNavUnitNumber(String text) {
    return matches(NAV_UNIT_NUMBER, text);
  }

  public static boolean isCohortSlug(String text) {
    return matches(COHORT_SLUG, text);
  }

  private static boolean matches(Pattern shape, String text) {
    return text != null && text.length() <= MAX_LENGTH && shape.matcher(text).matches() && !IDENTITY_NUMBER.matcher(text).find();
  }
}
