package no.followup.dashboard.views;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import no.followup.common.rules.IdShapes;
import no.followup.reminders.CoordinatorTask;
import no.followup.status.ParticipantStatus;

/**
 * The filters of a view, as in its shareable URL ({@code ?office=3421&coordinator=s-12&cohort=optimist}).
 * A null filter matches everything. Filters narrow what the access policy allows; they never widen it.
 */
public record Filters(String office, String coordinator, String cohort) {

  public static final Filters NONE = new Filters(null, null, null);

  /**
   * Each filter, when set, must have the shape of what it names; anything else is refused with an
   * {@link IllegalArgumentException} (a 400) that names the parameter but never repeats its value. The
   * filters go into every audit line of the view (once per live push), so a typed identity number or
   * name must never get this far.
   */
  public Filters {
    office = checked("office", office, IdShapes::isNavUnitNumber, IdShapes.NAV_UNIT_NUMBER_DESCRIPTION);
    coordinator = checked("coordinator", coordinator, IdShapes::isPseudonymousId, IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
    cohort = checked("cohort", cohort, IdShapes::isCohortSlug, IdShapes.COHORT_SLUG_DESCRIPTION);
  }

  /** Reads the filters from query parameters; throws {@link IllegalArgumentException} for a filter of the wrong shape. */
  public static Filters from(Function<String, String> queryParam) {
    return new Filters(queryParam.apply("office"), queryParam.apply("coordinator"), queryParam.apply("cohort"));
  }

  public boolean matches(ParticipantStatus s) {
    return (office == null || office.equals(s.getOfficeId()))
        && (coordinator == null || coordinator.equals(s.getCoordinatorId()))
        && (cohort == null || cohort.equals(s.getCohortId()));
  }

  /** A task matches through its participant's status when known, otherwise through its own fields. */
  public boolean matches(CoordinatorTask t, ParticipantStatus statusOrNull) {
    if (statusOrNull != null) {
      return matches(statusOrNull);
    }
    return (office == null || office.equals(t.getOfficeId()))
        && (coordinator == null || coordinator.equals(t.getCoordinatorId()))
        && cohort == null;
  }

  /** The filters that are set, for JSON and the audit log. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    if (office != null) {
      map.put("office", office);
    }
    if (coordinator != null) {
      map.put("coordinator", coordinator);
    }
    if (cohort != null) {
      map.put("cohort", cohort);
    }
    return map;
  }

  private static String checked(String parameter, String raw, Predicate<String> wellFormed, String description) {
    String value = blankToNull(raw);
    if (value != null && !wellFormed.test(value)) {
      throw new IllegalArgumentException(parameter + " must be " + description);
    }
    return value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
