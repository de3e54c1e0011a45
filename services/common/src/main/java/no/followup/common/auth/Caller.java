package no.followup.common.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who made a request, as their sign-in says: a staff member, another service, or the local user.
 *
 * @param id the pseudonymous staff id of a person (the actor of the events they record), or the
 *     client id ({@code sub}) of a service
 * @param roles the roles granted
 * @param offices the offices the caller belongs to (a team lead sees these; events are recorded for these)
 * @param allOffices true for callers bound to no office: the local user and services, which act for
 *     staff members they authenticated and authorised themselves
 * @param local true when signed in with the local stack's token (no identity provider)
 */
public record Caller(String id, Set<Role> roles, Set<String> offices, boolean allOffices, boolean local) {

  /** The id of the local user. */
  public static final String LOCAL_ID = "local";

  public Caller {
    Objects.requireNonNull(id, "id");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    offices = Set.copyOf(offices);
  }

  /** The local user: every role, every office. */
  public static Caller localUser() {
    return new Caller(LOCAL_ID, EnumSet.allOf(Role.class), Set.of(), true, true);
  }

  /** A staff member signed in through the identity provider. */
  public static Caller staff(String staffId, Set<Role> roles, Set<String> offices) {
    return new Caller(staffId, roles, offices, false, false);
  }

  /** Another service, signed in with client credentials. */
  public static Caller service(String clientId) {
    return new Caller(clientId, Set.of(Role.SYSTEM), Set.of(), true, false);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** True for another service (not the local user, who holds every role). */
  public boolean isService() {
    return !local && has(Role.SYSTEM);
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
