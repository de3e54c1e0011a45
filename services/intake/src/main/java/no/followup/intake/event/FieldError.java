package no.followup.intake.event;

/**
 * One problem with one field of a submitted event. {@code field} is a path such as
 * {@code payload.kind}, {@code actor.role} or {@code payload.targetGroups[1]}; the message never
 * repeats the submitted value (it may be personal data).
 */
public record FieldError(String field, String message) {

  /** The same error with its path under {@code prefix}, e.g. {@code events[3].} for a batch. */
  public FieldError prefixed(String prefix) {
    return new FieldError(prefix + field, message);
  }
}
