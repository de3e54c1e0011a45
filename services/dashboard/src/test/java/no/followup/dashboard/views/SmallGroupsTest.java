package no.followup.dashboard.views;

import static no.followup.dashboard.Fixtures.exited;
import static no.followup.dashboard.Fixtures.scores;
import static no.followup.dashboard.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import no.followup.common.auth.Caller;
import no.followup.common.auth.Role;
import no.followup.dashboard.Fixtures;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.PendingMarks;
import no.followup.dashboard.views.ViewModels.Count;
import no.followup.dashboard.views.ViewModels.Overview;
import no.followup.dashboard.views.ViewModels.Report;
import no.followup.figures.CohortReport;
import no.followup.status.ParticipantStatus;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;
import org.junit.jupiter.api.Test;

class SmallGroupsTest {

  static final Instant NOW = Instant.parse("2025-03-11T09:00:00Z");
  static final Instant START = Instant.parse("2024-09-01T08:00:00Z");

  final Caller projectLead = new Caller("s-90", Set.of(Role.PROJECT_LEAD), Set.of(), false, false);
  final Caller teamLead = new Caller("s-50", Set.of(Role.TEAM_LEAD), Set.of("0403"), false, false);
  final Caller teamLeadAndProjectLead = new Caller("s-51", Set.of(Role.TEAM_LEAD, Role.PROJECT_LEAD), Set.of("0403"), false, false);
  final ReadModel model = new ReadModel();

  DashboardViews views() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return new DashboardViews(model, new AccessPolicy(), new PendingMarks(clock, Duration.ofMinutes(10)), clock,
        new DashboardViews.Settings(ZoneId.of("Europe/Oslo"), 14, 7));
  }

  void put(ParticipantStatus s) {
    model.putStatus(s.getParticipantId(), s);
  }

  /** n participants of an office with before-and-after scores; the first one on disability benefit. */
  void measured(String office, int n) {
    for (int i = 0; i < n; i++) {
      ParticipantStatus.Builder b = scores(status(office + "-p" + i, office, "s-12", START), 21 + i, 17, START);
      put(i == 0 ? exited(b, StatusExitReason.DISABILITY_BENEFIT, Situation.DISABILITY_BENEFIT, NOW) : b.build());
    }
  }

  @Test
  void withFourParticipantsAProjectLeadSeesNoScoreNoBenefitAndNoHealthDerivedCount() {
    measured("0403", 4);

    Overview o = views().overview(projectLead, Filters.NONE);

    assertThat(o.participants()).isEqualTo(4);
    assertThat(o.suppressed()).containsExactlyInAnyOrder(SmallGroups.COOP_WONCA, SmallGroups.BY_SITUATION,
        SmallGroups.BY_EXIT_REASON, SmallGroups.BY_OUTCOME_GROUP, SmallGroups.BY_SERVICES_RECEIVED,
        SmallGroups.BY_TARGET_GROUP);
    assertThat(o.smallGroupThreshold()).isEqualTo(5);
    ViewModels.CoopWonca coop = o.coopWonca();
    assertThat(coop.pairs()).isEqualTo(4);
    assertThat(new Object[] {coop.meanFirst(), coop.meanLatest(), coop.best(), coop.worst(), coop.improved(),
        coop.unchanged(), coop.worsened()}).containsOnlyNulls();
    assertThat(o.bySituation()).isEmpty();
    assertThat(o.byExitReason()).isEmpty();
    assertThat(o.byServicesReceived()).isEmpty();
    assertThat(o.byTargetGroup()).isEmpty();
    assertThat(o.byPhase()).isNotEmpty(); // not health-derived
  }

  @Test
  void aNarrowFilterOverALargerPopulationIsSuppressedToo() {
    measured("0403", 10);
    measured("3421", 2);

    assertThat(views().overview(projectLead, Filters.NONE).suppressed()).isEmpty();
    assertThat(views().overview(projectLead, new Filters("3421", null, null)).suppressed()).contains(SmallGroups.COOP_WONCA);
  }

  @Test
  void theOptimistFiguresReachTheProjectLeadWhole() {
    // OPTIMIST final report: 15 participants; "9 med før- og etter-skår", 1 uføretrygd. Both groups are
    // at least 5, so the project lead sees the report's table and COOP/WONCA figures as published.
    measured("3421", 9);
    for (int i = 0; i < 6; i++) {
      put(status("3421-q" + i, "3421", "s-13", START).build());
    }

    Overview o = views().overview(projectLead, Filters.NONE);

    assertThat(o.suppressed()).isEmpty();
    assertThat(o.coopWonca().pairs()).isEqualTo(9);
    assertThat(o.coopWonca().meanFirst()).isNotNull();
    assertThat(o.bySituation()).filteredOn(c -> c.key().equals("DISABILITY_BENEFIT")).extracting(Count::count).containsExactly(1L);
  }

  @Test
  void whoSeesEveryRowBehindTheAggregateSeesItWhole() {
    measured("0403", 3);
    assertThat(views().overview(teamLead, Filters.NONE).suppressed()).isEmpty();
    assertThat(views().overview(teamLead, Filters.NONE).coopWonca().meanFirst()).isNotNull();

    // the same person counting over offices whose rows they cannot see is an aggregate-only viewer there
    measured("3421", 3);
    assertThat(views().overview(teamLeadAndProjectLead, Filters.NONE).suppressed()).isEmpty(); // 6 in all
    assertThat(views().overview(teamLeadAndProjectLead, new Filters("3421", null, null)).suppressed())
        .contains(SmallGroups.COOP_WONCA, SmallGroups.BY_SITUATION);
  }

  @Test
  void exitsByOutcomeGroupAreWithheldFromASmallSelectionToo() {
    // "benefit" is the disability benefit: with one exit among four, it names that person's benefit
    measured("0403", 4);

    Overview o = views().overview(projectLead, Filters.NONE);

    assertThat(o.suppressed()).contains(SmallGroups.BY_OUTCOME_GROUP);
    assertThat(o.outcome().byOutcomeGroup()).isEmpty();
    assertThat(o.outcome().exits()).isEqualTo(1); // how many left says nothing about health
    assertThat(views().overview(teamLead, Filters.NONE).outcome().byOutcomeGroup()).isNotEmpty();
  }

  @Test
  void aCohortReportNarrowedToAFewParticipantsShowsAProjectLeadNoHealthDerivedFigure() {
    model.putTally("cohort:optimist", Fixtures.cohortTally("optimist", 0.6, NOW));
    for (int i = 0; i < 10; i++) {
      // the first, on disability benefit, is the one of coordinator s-12's two participants with scores
      ParticipantStatus.Builder b = status("opt-" + i, "0403", i < 2 ? "s-12" : "s-13", START).setCohortId("optimist");
      b = i < 9 ? scores(b, 21 + i, 17, START) : b;
      put(i == 0 ? exited(b, StatusExitReason.DISABILITY_BENEFIT, Situation.DISABILITY_BENEFIT, NOW) : b.build());
    }
    Filters wholeCohort = new Filters(null, null, "optimist");
    Filters oneCoordinator = new Filters(null, "s-12", "optimist");

    Report whole = views().report(projectLead, wholeCohort);
    assertThat(whole.suppressed()).isEmpty();
    assertThat(whole.report().exitsByReason()).containsEntry("DISABILITY_BENEFIT", 1L);

    Report narrowed = views().report(projectLead, oneCoordinator);
    assertThat(narrowed.report().total().takenIn()).isEqualTo(2);
    assertThat(narrowed.suppressed()).containsExactlyInAnyOrder(SmallGroups.COOP_WONCA, SmallGroups.BY_TARGET_GROUP,
        SmallGroups.BY_OUTCOME_GROUP, SmallGroups.BY_EXIT_REASON, SmallGroups.BY_SITUATION);
    CohortReport shown = narrowed.report();
    assertThat(shown.exitsByReason()).isEmpty();
    assertThat(shown.situationOfEveryoneTakenIn()).isEmpty();
    assertThat(shown.byTargetGroup()).isEmpty();
    assertThat(shown.total().exitsByOutcomeGroup()).isEmpty();
    assertThat(new Object[] {shown.coopWonca().meanFirst(), shown.coopWonca().meanLatest(), shown.coopWonca().best(),
        shown.coopWonca().worst()}).containsOnlyNulls();
    assertThat(shown.total().exited()).isEqualTo(1);

    // the office's team lead sees every row behind it: the report whole
    assertThat(views().report(teamLead, oneCoordinator).report().exitsByReason()).containsEntry("DISABILITY_BENEFIT", 1L);
  }

  @Test
  void theRuleItself() {
    SmallGroups rule = new SmallGroups(SmallGroups.DEFAULT_THRESHOLD);
    assertThat(rule.tooSmall(0)).isFalse(); // describes nobody
    assertThat(rule.tooSmall(1)).isTrue();
    assertThat(rule.tooSmall(4)).isTrue();
    assertThat(rule.tooSmall(5)).isFalse();
    assertThatThrownBy(() -> new SmallGroups(0)).hasMessageContaining("at least 1");
  }
}
