package no.followup.dashboard.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.dashboard.views.ViewModels.CoopWonca;
import no.followup.dashboard.views.ViewModels.Outcome;
import no.followup.dashboard.views.ViewModels.Overview;
import no.followup.dashboard.views.ViewModels.Report;
import no.followup.figures.CohortReport;

/**
 * Small-group suppression, the one rule: an aggregate shown to someone who may not see every row
 * behind it must not describe a person. Below {@link #threshold()} participants (default
 * {@value #DEFAULT_THRESHOLD}) in the group a figure is computed over, the figures derived from
 * health data are withheld:
 * <ul>
 *   <li>COOP/WONCA means, best, worst and the improved / unchanged / worse counts, when fewer
 *       participants than that have before-and-after scores (the group those figures describe);</li>
 *   <li>the counts by situation, exit reason, outcome group, services received and target group, when
 *       the selection has fewer participants than that: each list holds health-derived categories
 *       (health benefit AAP, disability benefit, treatment, health support, diffuse health
 *       complaints; the outcome group "benefit" is the disability benefit, "further follow-up in NAV"
 *       holds AAP and treatment), and the other categories of the same list would give them away by
 *       subtraction from the total.</li>
 * </ul>
 * Counts that say nothing about health (participants, phases, exits into work, meetings, caseloads,
 * SMS receipts) stay. Who can see every row behind the aggregate sees it whole: the rows say more.
 * The same rule serves the overview and the cohort report.
 */
public final class SmallGroups {

  public static final int DEFAULT_THRESHOLD = 5;

  /** Names of the overview's figures, as {@link Overview#suppressed()} lists them. */
  public static final String COOP_WONCA = "coopWonca";
  public static final String BY_SITUATION = "bySituation";
  public static final String BY_EXIT_REASON = "byExitReason";
  public static final String BY_SERVICES_RECEIVED = "byServicesReceived";
  public static final String BY_TARGET_GROUP = "byTargetGroup";
  public static final String BY_OUTCOME_GROUP = "byOutcomeGroup";

  private final int threshold;

  public SmallGroups(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("the small-group threshold must be at least 1, not " + threshold);
    }
    this.threshold = threshold;
  }

  public int threshold() {
    return threshold;
  }

  /** True when a figure over {@code participants} would describe too few people (an empty group describes nobody). */
  public boolean tooSmall(long participants) {
    return participants > 0 && participants < threshold;
  }

  /** The overview as someone who cannot see every row behind it may see it. */
  public Overview forAggregateOnlyViewer(Overview o) {
    List<String> suppressed = new ArrayList<>();
    CoopWonca coop = o.coopWonca();
    if (tooSmall(coop.pairs())) {
      suppressed.add(COOP_WONCA);
      coop = new CoopWonca(coop.measured(), coop.pairs(), null, null, null, null, null, null, null, null);
    }
    boolean smallSelection = tooSmall(o.participants());
    if (smallSelection) {
      suppressed.addAll(List.of(BY_SITUATION, BY_EXIT_REASON, BY_OUTCOME_GROUP, BY_SERVICES_RECEIVED, BY_TARGET_GROUP));
    }
    if (suppressed.isEmpty()) {
      return o;
    }
    Outcome outcome = o.outcome();
    return new Overview(o.filters(), o.participants(), o.active(), o.awaitingEnrolment(),
        smallSelection ? List.of() : o.bySituation(),
        o.byPhase(),
        smallSelection ? List.of() : o.byExitReason(),
        smallSelection ? List.of() : o.byServicesReceived(),
        smallSelection ? List.of() : o.byTargetGroup(),
        smallSelection ? new Outcome(outcome.takenIn(), outcome.exits(), outcome.intoWorkOrEducation(), outcome.goalShare(),
            outcome.shareOfExits(), List.of(), outcome.cohorts()) : outcome,
        coop, o.meetingsLast30Days(), o.caseloads(), o.smsLast30Days(), List.copyOf(suppressed), threshold, o.asOf());
  }

  /**
   * The cohort report as someone who cannot see every row behind it may see it: the same figures
   * withheld as from the overview (the report's target-group rows and outcome groups, exit reasons
   * and situations when fewer than the threshold were taken in; COOP/WONCA when fewer have pairs).
   */
  public Report forAggregateOnlyViewer(Report r) {
    CohortReport report = r.report();
    if (report == null) {
      return r;
    }
    List<String> suppressed = new ArrayList<>();
    CohortReport.Coop coop = report.coopWonca();
    if (tooSmall(coop.pairs())) {
      suppressed.add(COOP_WONCA);
      coop = new CohortReport.Coop(coop.measured(), coop.pairs(), null, null, null, null, null, 0, 0, 0);
    }
    boolean smallSelection = tooSmall(report.total().takenIn());
    if (smallSelection) {
      suppressed.addAll(List.of(BY_TARGET_GROUP, BY_OUTCOME_GROUP, BY_EXIT_REASON, BY_SITUATION));
    }
    if (suppressed.isEmpty()) {
      return r;
    }
    CohortReport.GroupOutcome total = report.total();
    CohortReport shown = new CohortReport(report.cohortId(), report.name(), report.asOf(), report.periodStart(),
        report.periodEnd(), report.goal(), report.referred(), report.referralsDeclined(),
        smallSelection ? List.of() : report.byTargetGroup(),
        smallSelection ? new CohortReport.GroupOutcome(total.targetGroup(), total.takenIn(), total.active(), total.exited(),
            total.reachedWorkOrEducation(), total.goalShare(), total.shareOfExits(), total.goalMet(), Map.of()) : total,
        smallSelection ? Map.of() : report.exitsByReason(),
        smallSelection ? Map.of() : report.situationOfEveryoneTakenIn(),
        report.phaseOfActive(), report.daysInProject(), report.daysInProjectOfExited(), report.daysInProjectOfActive(),
        coop);
    return new Report(r.filters(), r.cohortId(), shown, List.copyOf(suppressed), threshold, r.asOf());
  }
}
