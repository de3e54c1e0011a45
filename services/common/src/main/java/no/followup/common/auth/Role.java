package no.followup.common.auth;

/**
 * What the organisation's sign-in grants a caller. Each door decides what a role may do there: the
 * dashboard's {@code AccessPolicy} what a role may see, the intake's {@code WritePolicy} which events
 * a role may record, the status service that only services may query it.
 */
public enum Role {
  /** Activity coordinator: their own participants. */
  COORDINATOR,
  /** Job specialist: participants they give a service to. */
  JOB_SPECIALIST,
  /** Team lead: every participant of their office(s). */
  TEAM_LEAD,
  /** Project lead: aggregate views only, no participant rows, no events. */
  PROJECT_LEAD,
  /** Privacy officer: erases participants on request, nothing else. */
  PRIVACY_OFFICER,
  /** Another service of the pipeline, signed in with client credentials rather than as a person. */
  SYSTEM;

  /** The StaffRole symbol of the event contract recorded as the actor's role for this role. */
  public String staffRole() {
    return switch (this) {
      case COORDINATOR -> "ACTIVITY_COORDINATOR";
      case JOB_SPECIALIST -> "JOB_SPECIALIST";
      case TEAM_LEAD -> "TEAM_LEAD";
      case PROJECT_LEAD -> "PROJECT_LEAD";
      case SYSTEM -> "SYSTEM";
      // the contract has no privacy role; UNKNOWN is its declared fallback symbol
      case PRIVACY_OFFICER -> "UNKNOWN";
    };
  }
}
