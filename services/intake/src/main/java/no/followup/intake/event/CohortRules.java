package no.followup.intake.event;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import no.followup.events.CohortDefined;

/**
 * The rules that tie a cohort's definition together: its period runs forwards, its reporting dates
 * fall in or after it, and its envelope is keyed by the cohort, not by a participant. Every other
 * event must not use a cohort's key as a participant id.
 */
final class CohortRules {

  private CohortRules() {}

  /** Cross-field rules of a CohortDefined payload (fields that converted cleanly in {@code values}). */
  static List<FieldError> checkDefinition(Map<String, Object> values) {
    List<FieldError> errors = new ArrayList<>();
    if (values.get("periodStart") instanceof LocalDate start && values.get("periodEnd") instanceof LocalDate end) {
      if (end.isBefore(start)) {
        errors.add(new FieldError("periodEnd", "must not be before periodStart"));
      }
      if (values.get("reportingDates") instanceof Collection<?> dates
          && dates.stream().anyMatch(d -> d instanceof LocalDate date && date.isBefore(start))) {
        errors.add(new FieldError("reportingDates", "must not be before periodStart"));
      }
    }
    return errors;
  }

  /** The envelope's participantId, cohortId and officeId against a CohortDefined payload, or any other. */
  static List<FieldError> checkEnvelope(Map<String, Object> values) {
    Object participant = values.get("participantId");
    if (!(participant instanceof CharSequence participantId)) {
      return List.of();
    }
    boolean cohortKey = participantId.toString().startsWith(BusinessRules.COHORT_KEY_PREFIX);
    if (!(values.get("payload") instanceof CohortDefined definition)) {
      return cohortKey && values.containsKey("payload")
          ? List.of(new FieldError("participantId", "must not start with '" + BusinessRules.COHORT_KEY_PREFIX
              + "': that is the key of a cohort's definition"))
          : List.of();
    }
    List<FieldError> errors = new ArrayList<>();
    Object cohort = values.get("cohortId");
    if (cohort == null) {
      errors.add(new FieldError("cohortId", "is required for CohortDefined"));
    } else if (!participantId.toString().equals(BusinessRules.COHORT_KEY_PREFIX + cohort)) {
      errors.add(new FieldError("participantId", "must be '" + BusinessRules.COHORT_KEY_PREFIX
          + "' followed by the cohortId for CohortDefined"));
    }
    Object office = values.get("officeId");
    if (office != null && !definition.getOffices().contains(office.toString())) {
      errors.add(new FieldError("officeId", "must be one of the cohort's offices"));
    }
    return errors;
  }
}
