package no.followup.dashboard.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An authenticated staff member.
 *
 * @param staffId pseudonymous staff id (the actor of events recorded from the dashboard)
 * @param roles the roles granted
 * @param offices the offices the staff member belongs to (a team lead sees these)
 * @param allOffices true for the local-mode user, who may see every office
 * @param local true when signed in with the local one-time token (no identity provider)
 */
public record StaffUser(String staffId, Set<Role> roles, Set<String> offices, boolean allOffices, boolean local) {

  /** The staff id of the local-mode user. */
  public static final String LOCAL_STAFF_ID = "local";

  public StaffUser {
    Objects.requireNonNull(staffId, "staffId");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    offices = Set.copyOf(offices);
  }

  /** The local-mode user: every role, every office. */
  public static StaffUser localUser() {
    return new StaffUser(LOCAL_STAFF_ID, EnumSet.allOf(Role.class), Set.of(), true, true);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean belongsTo(String officeId) {
    return allOffices || (officeId != null && offices.contains(officeId));
  }

  /** The role recorded as the actor of an event: the most specific participant-level role held. */
  public Role actingRole() {
    for (Role r : List.of(Role.COORDINATOR, Role.JOB_SPECIALIST, Role.TEAM_LEAD, Role.PROJECT_LEAD)) {
      if (has(r)) {
        return r;
      }
    }
    return Role.PROJECT_LEAD;
  }

  /** Roles in a stable order, for JSON and the audit log. */
  public List<String> roleNames() {
    return roles.stream().map(Enum::name).sorted().toList();
  }

  public List<String> officeList() {
    return List.copyOf(new TreeSet<>(offices));
  }
}
