package no.followup.dashboard.auth;

import static no.followup.dashboard.Fixtures.ips;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.model.ReadModel;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;
import no.followup.status.SpecialistAssignment;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private static final Instant T = Instant.parse("2025-01-01T10:00:00Z");
  private final AccessPolicy policy = new AccessPolicy();

  private final ParticipantStatus ofS12 = status("p-1", "0403", "s-12", T).build();
  private final ParticipantStatus ofS13WithSpecialist = status("p-2", "3421", "s-13", T)
      .setSpecialists(List.of(ips("s-40", T))).build();
  private final ParticipantStatus endedSpecialist = status("p-3", "3421", "s-13", T)
      .setSpecialists(List.of(SpecialistAssignment.newBuilder(ips("s-40", T)).setEndedAt(T.plusSeconds(60)).build())).build();

  private static Caller user(String id, Role role, String... offices) {
    return new Caller(id, Set.of(role), Set.of(offices), false, false);
  }

  @Test
  void theIndexedCandidatesHoldEveryParticipantTheUserMaySee() {
    try (ReadModel model = new ReadModel()) {
      List<ParticipantStatus> all = List.of(ofS12, ofS13WithSpecialist, endedSpecialist,
          status("p-4", "0301", "s-12", T).build());
      all.forEach(s -> model.putStatus(s.getParticipantId(), s));
      for (Caller user : List.of(user("s-12", Role.COORDINATOR, "0403"), user("s-40", Role.JOB_SPECIALIST),
          user("s-50", Role.TEAM_LEAD, "3421"), new Caller("s-60", Set.of(Role.TEAM_LEAD, Role.COORDINATOR), Set.of("0301"), false, false),
          Caller.localUser())) {
        List<String> seen = all.stream().filter(s -> policy.canSee(user, s)).map(ParticipantStatus::getParticipantId).toList();
        List<String> reached = new ArrayList<>();
        policy.reachable(user, model).forEach(s -> reached.add(s.getParticipantId()));
        assertThat(reached).as(user.id()).containsAll(seen);
        if (!user.allOffices()) {
          assertThat(reached).as("no more than the user's own caseload is read").containsExactlyInAnyOrderElementsOf(seen);
        }
      }
    }
  }

  @Test
  void coordinatorSeesOnlyParticipantsWhoseCoordinatorTheyAre() {
    Caller s12 = user("s-12", Role.COORDINATOR, "0403", "3421");
    assertThat(policy.canSee(s12, ofS12)).isTrue();
    assertThat(policy.canSee(s12, ofS13WithSpecialist)).isFalse();
    assertThat(policy.seesParticipantRows(s12)).isTrue();
  }

  @Test
  void jobSpecialistSeesParticipantsWithAnOpenAssignmentToThem() {
    Caller s40 = user("s-40", Role.JOB_SPECIALIST);
    assertThat(policy.canSee(s40, ofS13WithSpecialist)).isTrue();
    assertThat(policy.canSee(s40, endedSpecialist)).isFalse();
    assertThat(policy.canSee(s40, ofS12)).isFalse();
  }

  @Test
  void teamLeadSeesEveryParticipantOfTheirOfficesOnly() {
    Caller lead = user("s-50", Role.TEAM_LEAD, "0403");
    assertThat(policy.canSee(lead, ofS12)).isTrue();
    assertThat(policy.canSee(lead, ofS13WithSpecialist)).isFalse();
    Caller withoutOffice = user("s-51", Role.TEAM_LEAD);
    assertThat(policy.canSee(withoutOffice, ofS12)).isFalse();
  }

  @Test
  void theDashboardAdmitsItsOwnRolesOnly() {
    for (Role role : List.of(Role.COORDINATOR, Role.JOB_SPECIALIST, Role.TEAM_LEAD, Role.PROJECT_LEAD)) {
      assertThat(policy.admits(user("s-1", role, "0403"))).as(role.name()).isTrue();
    }
    assertThat(policy.admits(user("s-1", Role.PRIVACY_OFFICER, "0403"))).isFalse();
    assertThat(policy.admits(Caller.service("followup-intake"))).isFalse();
    assertThat(policy.admits(Caller.localUser())).isTrue();
  }

  @Test
  void projectLeadSeesNoRowsButCountsEveryone() {
    Caller lead = user("s-90", Role.PROJECT_LEAD, "0403");
    assertThat(policy.seesParticipantRows(lead)).isFalse();
    assertThat(policy.canSee(lead, ofS12)).isFalse();
    assertThat(policy.aggregateScope(lead).test(ofS12)).isTrue();
    assertThat(policy.aggregateScope(lead).test(ofS13WithSpecialist)).isTrue();
  }

  @Test
  void aggregatesOfOtherRolesCoverWhatTheyMaySee() {
    Caller s12 = user("s-12", Role.COORDINATOR);
    assertThat(policy.aggregateScope(s12).test(ofS12)).isTrue();
    assertThat(policy.aggregateScope(s12).test(ofS13WithSpecialist)).isFalse();
  }

  @Test
  void tasksAreVisibleThroughTheirParticipantOrTheirOwnOfficeAndCoordinator() {
    CoordinatorTask t = task(UUID.randomUUID(), TaskKind.INACTIVITY, "p-9", "0403", "s-12", null, null, T, TaskState.OPEN);
    assertThat(policy.canSee(user("s-12", Role.COORDINATOR), t, null)).isTrue();
    assertThat(policy.canSee(user("s-13", Role.COORDINATOR), t, null)).isFalse();
    assertThat(policy.canSee(user("s-50", Role.TEAM_LEAD, "0403"), t, null)).isTrue();
    assertThat(policy.canSee(user("s-51", Role.TEAM_LEAD, "3421"), t, null)).isFalse();
    // the participant moved to another coordinator: the current status decides, the task's old coordinator is out
    ParticipantStatus moved = status("p-9", "0403", "s-13", T).build();
    assertThat(policy.canSee(user("s-13", Role.COORDINATOR), t, moved)).isTrue();
    assertThat(policy.canSee(user("s-12", Role.COORDINATOR), t, moved)).isFalse();
    assertThat(policy.canAct(user("s-12", Role.COORDINATOR), t, moved)).isFalse();
    // and to another office: the team lead of the office named in the task is out
    ParticipantStatus movedOffice = status("p-9", "3421", "s-13", T).build();
    assertThat(policy.canSee(user("s-50", Role.TEAM_LEAD, "0403"), t, movedOffice)).isFalse();
    assertThat(policy.canSee(user("s-51", Role.TEAM_LEAD, "3421"), t, movedOffice)).isTrue();
    assertThat(policy.canAct(user("s-90", Role.PROJECT_LEAD), t, moved)).isFalse();
    assertThat(policy.canAct(user("s-13", Role.COORDINATOR), t, moved)).isTrue();
  }

  @Test
  void theLocalUserSeesEverything() {
    Caller local = Caller.localUser();
    assertThat(policy.canSee(local, ofS12)).isTrue();
    assertThat(policy.canSee(local, ofS13WithSpecialist)).isTrue();
    assertThat(local.actingRole()).isEqualTo(Role.COORDINATOR);
    assertThat(local.actingRole().staffRole()).isEqualTo("ACTIVITY_COORDINATOR");
  }
}
