package no.followup.dashboard.auth;

/** What a staff member may see on the dashboard; {@link AccessPolicy} holds the rules. */
public enum Role {
  /** Activity coordinator: their own participants (those whose coordinatorId is theirs). */
  COORDINATOR,
  /** Job specialist: participants they give a service to. */
  JOB_SPECIALIST,
  /** Team lead: every participant of their office(s). */
  TEAM_LEAD,
  /** Project lead: aggregate views only, no participant rows. */
  PROJECT_LEAD;

  /** The StaffRole symbol of the event contract for events this role records. */
  public String staffRole() {
    return switch (this) {
      case COORDINATOR -> "ACTIVITY_COORDINATOR";
      case JOB_SPECIALIST -> "JOB_SPECIALIST";
      case TEAM_LEAD -> "TEAM_LEAD";
      case PROJECT_LEAD -> "PROJECT_LEAD";
    };
  }
}
