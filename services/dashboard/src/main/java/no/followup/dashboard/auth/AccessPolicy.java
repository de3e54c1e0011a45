package no.followup.dashboard.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.model.ReadModel;
import no.followup.reminders.CoordinatorTask;
import no.followup.status.ParticipantStatus;
import no.followup.status.SpecialistAssignment;

/**
 * Who may see what: the one place the access rules live.
 *
 * <ul>
 *   <li>coordinator: participants whose coordinatorId is theirs;</li>
 *   <li>job specialist: participants they have an open service assignment for;</li>
 *   <li>team lead: every participant of their office(s);</li>
 *   <li>project lead: aggregate views (counts) over every office, never participant rows;</li>
 *   <li>privacy officer, another service: nothing (the dashboard answers 403).</li>
 * </ul>
 * A staff member with several roles sees the union. The local-mode user has every role over every office.
 */
public final class AccessPolicy {

  /**
   * True when the caller holds a role the dashboard knows: a service's or a privacy officer's sign-in
   * is valid, but is not for reading the dashboard.
   */
  public boolean admits(Caller user) {
    return seesParticipantRows(user) || user.has(Role.PROJECT_LEAD);
  }

  /** True when the user may see participant-level views (work lists, review list, tasks) at all. */
  public boolean seesParticipantRows(Caller user) {
    return user.has(Role.COORDINATOR) || user.has(Role.JOB_SPECIALIST) || user.has(Role.TEAM_LEAD);
  }

  /** True when the user may see this participant's row. */
  public boolean canSee(Caller user, ParticipantStatus status) {
    if (status == null) {
      return false;
    }
    if (user.has(Role.TEAM_LEAD) && user.belongsTo(status.getOfficeId())) {
      return true;
    }
    if (user.has(Role.COORDINATOR) && user.id().equals(status.getCoordinatorId())) {
      return true;
    }
    if (user.has(Role.JOB_SPECIALIST)) {
      for (SpecialistAssignment a : status.getSpecialists()) {
        if (a.getEndedAt() == null && user.id().equals(a.getSpecialistId())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when the user may see the task: through its participant when their status is known,
   * otherwise through the task's own office and coordinator.
   */
  public boolean canSee(Caller user, CoordinatorTask task, ParticipantStatus statusOrNull) {
    if (statusOrNull != null) {
      // the task names the coordinator and office of when it was written; after a move those
      // no longer follow the participant, and must not see them through an old task
      return canSee(user, statusOrNull);
    }
    if (user.has(Role.TEAM_LEAD) && user.belongsTo(task.getOfficeId())) {
      return true;
    }
    return user.has(Role.COORDINATOR) && user.id().equals(task.getCoordinatorId());
  }

  /**
   * The statuses {@link #canSee(Caller, ParticipantStatus)} can be true for, found through the read
   * model's index keys (the offices of a team lead, the coordinator's own, the specialist's open
   * assignments), so a list of one caseload reads that caseload, not every participant. A superset:
   * callers still ask {@code canSee}. A team lead of every office (the local user) reads them all.
   */
  public Iterable<ParticipantStatus> reachable(Caller user, ReadModel model) {
    if (user.has(Role.TEAM_LEAD) && user.allOffices()) {
      return model.statuses();
    }
    Map<String, ParticipantStatus> found = new LinkedHashMap<>();
    if (user.has(Role.TEAM_LEAD)) {
      user.offices().forEach(office -> model.statusesOfOffice(office).forEach(s -> found.put(s.getParticipantId(), s)));
    }
    if (user.has(Role.COORDINATOR)) {
      model.statusesOfCoordinator(user.id()).forEach(s -> found.put(s.getParticipantId(), s));
    }
    if (user.has(Role.JOB_SPECIALIST)) {
      model.statusesOfSpecialist(user.id()).forEach(s -> found.put(s.getParticipantId(), s));
    }
    return found.values();
  }

  /** True when the user may mark the task done (record the event that resolves it). */
  public boolean canAct(Caller user, CoordinatorTask task, ParticipantStatus statusOrNull) {
    return seesParticipantRows(user) && canSee(user, task, statusOrNull);
  }

  /**
   * True when the user may record an erasure from the dashboard (for a participant they may see): a
   * team lead, as the intake's write rules have it. Privacy officers record erasures too, but not
   * through the dashboard, which shows them nothing.
   */
  public boolean mayErase(Caller user) {
    return user.has(Role.TEAM_LEAD);
  }

  /** The participants counted in the user's aggregate views. */
  public Predicate<ParticipantStatus> aggregateScope(Caller user) {
    if (user.has(Role.PROJECT_LEAD)) {
      return status -> true;
    }
    return status -> canSee(user, status);
  }
}
