package no.followup.figures;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.followup.status.CohortDefinition;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ScoreChange;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;

/**
 * A cohort's report as of a reporting date, with the tables the projects' reports hold: participants
 * and outcomes against the goal per target group (Gjøvik's "Tall pr 31.12.21"), exits by reason and
 * by outcome group, the situation of everyone taken in (OPTIMIST's "Status brukere"), phases of those
 * still in the project, time in project, and COOP/WONCA before and after. Every figure is the one
 * defined in this module; the statuses given must be as of the date (folded from the events that
 * occurred by then).
 *
 * @param asOf the reporting date: figures count what occurred up to the end of that day
 */
public record CohortReport(
    String cohortId,
    String name,
    LocalDate asOf,
    LocalDate periodStart,
    LocalDate periodEnd,
    Double goal,
    long referred,
    long referralsDeclined,
    List<GroupOutcome> byTargetGroup,
    GroupOutcome total,
    Map<String, Long> exitsByReason,
    Map<String, Long> situationOfEveryoneTakenIn,
    Map<String, Long> phaseOfActive,
    TimeInProject.Distribution daysInProject,
    TimeInProject.Distribution daysInProjectOfExited,
    TimeInProject.Distribution daysInProjectOfActive,
    Coop coopWonca) {

  /**
   * Taken in, still active, exited, exits by outcome group and the goal share for a target group (or
   * the whole cohort: {@code targetGroup} "ALL"). A participant enrolled under two groups counts in both.
   */
  public record GroupOutcome(String targetGroup, long takenIn, long active, long exited, long reachedWorkOrEducation,
      Double goalShare, Double shareOfExits, Boolean goalMet, Map<String, Long> exitsByOutcomeGroup) {}

  /**
   * COOP/WONCA over the participants' pairs (first measurement at or after enrolment, last at or before
   * exit or the reporting date): means of the first and the last average over the pairs, the mean of
   * the first over everyone measured, best and worst among the pairs' averages, and the change.
   */
  public record Coop(long measured, long pairs, Double meanFirst, Double meanLatest, Double meanFirstAllMeasured,
      Double best, Double worst, long improved, long unchanged, long worsened) {}

  /** The group of the whole cohort in {@link #byTargetGroup}'s rows. */
  public static final String ALL = "ALL";

  /**
   * The report of {@code cohort} from its participants' statuses as of {@code asOf} (end of that day in
   * {@code zone}). Statuses of other cohorts, and of participants not referred or enrolled by then, are
   * left out.
   */
  public static CohortReport of(CohortDefinition cohort, List<ParticipantStatus> statusesAsOf, LocalDate asOf,
      ZoneId zone) {
    Instant endOfDay = asOf.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1);
    List<ParticipantStatus> members = statusesAsOf.stream()
        .filter(s -> cohort.getCohortId().equals(s.getCohortId()))
        .toList();
    List<ParticipantStatus> takenIn = members.stream().filter(Participation::takenIn).toList();

    Set<String> groups = new LinkedHashSet<>(cohort.getTargetGroups());
    takenIn.forEach(s -> groups.addAll(s.getTargetGroups()));
    List<GroupOutcome> byGroup = new ArrayList<>();
    for (String group : groups) {
      byGroup.add(outcome(group, takenIn.stream().filter(s -> s.getTargetGroups().contains(group)).toList(),
          cohort.getWorkOrEducationGoal()));
    }

    Map<String, Long> exitsByReason = zeros(StatusExitReason.values());
    Map<String, Long> situations = zeros(Situation.values());
    situations.remove(Situation.UNKNOWN.name());
    Map<String, Long> phases = zeros(Phase.values());
    phases.keySet().removeAll(List.of(Phase.AWAITING_ENROLMENT.name(), Phase.EXITED.name(), Phase.UNKNOWN.name()));
    List<Long> days = new ArrayList<>();
    List<Long> daysExited = new ArrayList<>();
    List<Long> daysActive = new ArrayList<>();
    for (ParticipantStatus s : takenIn) {
      situations.merge(s.getSituation().name(), 1L, Long::sum);
      Long inProject = TimeInProject.days(s.getEnrolledAt(), s.getExitedAt(), endOfDay, zone);
      if (inProject != null) {
        days.add(inProject);
      }
      if (Participation.exited(s)) {
        StatusExitReason reason = s.getExitReason() == null ? StatusExitReason.OTHER : s.getExitReason();
        exitsByReason.merge(reason.name(), 1L, Long::sum);
        if (inProject != null) {
          daysExited.add(inProject);
        }
      } else {
        phases.merge(s.getPhase().name(), 1L, Long::sum);
        if (inProject != null) {
          daysActive.add(inProject);
        }
      }
    }

    return new CohortReport(cohort.getCohortId(), cohort.getName(), asOf, cohort.getPeriodStart(), cohort.getPeriodEnd(),
        cohort.getWorkOrEducationGoal(),
        members.stream().filter(Participation::referred).count(),
        members.stream().filter(Participation::referralDeclined).count(),
        byGroup, outcome(ALL, takenIn, cohort.getWorkOrEducationGoal()), exitsByReason, situations, phases,
        TimeInProject.distribution(days), TimeInProject.distribution(daysExited), TimeInProject.distribution(daysActive),
        coop(takenIn));
  }

  private static GroupOutcome outcome(String group, List<ParticipantStatus> takenIn, Double goal) {
    Map<String, Long> byOutcome = zeros(OutcomeGroup.values());
    long exited = 0;
    long reached = 0;
    for (ParticipantStatus s : takenIn) {
      if (Participation.exited(s)) {
        exited++;
        byOutcome.merge(Participation.outcomeGroup(s).name(), 1L, Long::sum);
        if (Participation.reachedWorkOrEducation(s)) {
          reached++;
        }
      }
    }
    GoalShare share = new GoalShare(reached, takenIn.size(), exited, goal);
    return new GroupOutcome(group, takenIn.size(), takenIn.size() - exited, exited, reached, share.share(),
        share.shareOfExits(), share.goalMet(), byOutcome);
  }

  /**
   * COOP/WONCA over {@code takenIn} (participants taken in, as of the date of their statuses), from the
   * measurements' 7-item sums: the one aggregation the report and the dashboard's overview both show.
   */
  public static Coop coop(List<ParticipantStatus> takenIn) {
    long measured = 0;
    long pairs = 0;
    long firstAll = 0;
    long firstPairs = 0;
    long latestPairs = 0;
    Integer best = null;
    Integer worst = null;
    long improved = 0;
    long unchanged = 0;
    long worsened = 0;
    for (ParticipantStatus s : takenIn) {
      if (s.getScoreCount() < 1 || s.getFirstScore() == null) {
        continue;
      }
      measured++;
      int first = s.getFirstScore().getItemSum();
      firstAll += first;
      if (s.getScoreCount() < 2 || s.getLatestScore() == null) {
        continue;
      }
      int latest = s.getLatestScore().getItemSum();
      pairs++;
      firstPairs += first;
      latestPairs += latest;
      best = best == null ? Math.min(first, latest) : Math.min(best, Math.min(first, latest));
      worst = worst == null ? Math.max(first, latest) : Math.max(worst, Math.max(first, latest));
      ScoreChange change = CoopWonca.change(first, latest);
      if (change == ScoreChange.IMPROVED) {
        improved++;
      } else if (change == ScoreChange.WORSENED) {
        worsened++;
      } else {
        unchanged++;
      }
    }
    double items = CoopWonca.ITEMS;
    return new Coop(measured, pairs, pairs == 0 ? null : firstPairs / (items * pairs),
        pairs == 0 ? null : latestPairs / (items * pairs), measured == 0 ? null : firstAll / (items * measured),
        best == null ? null : CoopWonca.average(best), worst == null ? null : CoopWonca.average(worst),
        improved, unchanged, worsened);
  }

  private static <E extends Enum<E>> Map<String, Long> zeros(E[] symbols) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (E symbol : symbols) {
      out.put(symbol.name(), 0L);
    }
    return out;
  }
}
