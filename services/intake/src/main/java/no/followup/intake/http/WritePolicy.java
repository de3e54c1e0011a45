package no.followup.intake.http;

import java.util.ArrayList;
import java.util.List;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.events.FollowUpEvent;
import no.followup.intake.event.FieldError;

/**
 * Who may record which events: the one place the intake's write rules live.
 *
 * <ul>
 *   <li>coordinator, job specialist: every participant event type but {@code ParticipantErased};</li>
 *   <li>team lead: every event type;</li>
 *   <li>privacy officer: {@code ParticipantErased} only;</li>
 *   <li>project lead: {@code CohortDefined} only: a project lead defines the project, its goal and the
 *       funder's reporting dates, and records nothing about participants;</li>
 *   <li>{@code SpecialistCapacitySet} (a job specialist's share of a position): team lead only, who plans
 *       the specialists' work;</li>
 *   <li>a service ({@link Role#SYSTEM}, client credentials): every event type, for any office, naming
 *       the staff member it signed in itself as the actor. The one service with a token for the intake
 *       is the dashboard, which records its forms and tasks marked done for the signed-in staff member
 *       and applies that person's rules (visible participants only, erasure by a team lead) before it
 *       sends anything;</li>
 *   <li>the local user: everything.</li>
 * </ul>
 * A staff member records only for the offices of their sign-in, and only as themselves: the event's
 * {@code actor.staffId} must be their staff id (the actor is the record of who did it, so it is
 * checked, not filled in: a tool that sends someone else's id has a bug the caller should see).
 * {@code actor.role} is what they say they acted as; what they may record is decided by the token.
 */
public final class WritePolicy {

  /** Erasure deletes a participant everywhere: only those who handle erasure requests may record it. */
  static final String ERASURE = "ParticipantErased";
  /** A cohort's definition: its goal and reporting dates are the project's, decided by its leads. */
  static final String COHORT_DEFINITION = "CohortDefined";
  /** A job specialist's capacity sets the range their caseload is measured against: their team lead's decision. */
  static final String SPECIALIST_CAPACITY = "SpecialistCapacitySet";

  /** False for callers who may record no event at all: they are refused before their body is read. */
  public boolean mayRecordAnything(Caller caller) {
    return caller.local() || caller.has(Role.SYSTEM) || caller.has(Role.COORDINATOR) || caller.has(Role.JOB_SPECIALIST)
        || caller.has(Role.TEAM_LEAD) || caller.has(Role.PRIVACY_OFFICER) || caller.has(Role.PROJECT_LEAD);
  }

  /**
   * Why the caller may not record the event, as field errors naming what is wrong and repeating no
   * value (empty when they may).
   */
  public List<FieldError> refusals(Caller caller, FollowUpEvent event) {
    if (caller.local()) {
      return List.of();
    }
    List<FieldError> refusals = new ArrayList<>();
    String type = IntakeApi.type(event);
    if (!mayRecord(caller, type)) {
      refusals.add(new FieldError("type", "your sign-in does not allow recording " + type + " events"));
    }
    if (!caller.belongsTo(event.getOfficeId())) {
      refusals.add(new FieldError("officeId", "your sign-in does not allow recording events for this office"));
    }
    if (!caller.isService() && !caller.id().equals(event.getActor().getStaffId())) {
      refusals.add(new FieldError("actor.staffId", "must be your own staff id"));
    }
    return refusals;
  }

  private static boolean mayRecord(Caller caller, String type) {
    if (caller.isService()) {
      return true;
    }
    if (type.equals(ERASURE)) {
      return caller.has(Role.TEAM_LEAD) || caller.has(Role.PRIVACY_OFFICER);
    }
    if (type.equals(SPECIALIST_CAPACITY)) {
      return caller.has(Role.TEAM_LEAD);
    }
    if (type.equals(COHORT_DEFINITION)) {
      return caller.has(Role.TEAM_LEAD) || caller.has(Role.PROJECT_LEAD);
    }
    return caller.has(Role.COORDINATOR) || caller.has(Role.JOB_SPECIALIST) || caller.has(Role.TEAM_LEAD);
  }
}
