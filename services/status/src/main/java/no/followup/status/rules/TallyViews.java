package no.followup.status.rules;

import static no.followup.status.rules.TallyContributions.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.events.TargetGroup;
import no.followup.figures.CaseloadRange;
import no.followup.figures.CoopWonca;
import no.followup.figures.GoalShare;
import no.followup.figures.OutcomeGroup;
import no.followup.status.Caseload;
import no.followup.status.CohortDefinition;
import no.followup.status.CoopWoncaSummary;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;
import no.followup.status.Tally;
import no.followup.status.TallyDimension;

/**
 * Turns a tally's summed counters into the published {@link Tally}: counts per category, derived
 * means, shares, extremes, caseload flags and the 30-day meeting figures relative to {@code now}.
 * Pure: the same counters and time give the same tally.
 */
public final class TallyViews {

  private TallyViews() {}

  /** The tally of a key without a specialist's capacity (every range 12-20). */
  public static Tally build(String key, Map<String, Long> c, CohortDefinition cohort, Instant now, ZoneId zone) {
    return build(key, c, cohort, null, now, zone);
  }

  /**
   * @param cohort the definition of the key's cohort (cohort and cohort-group keys), or null
   * @param fteShare a specialist key's capacity (share of a full position), or null: scales that specialist's range
   */
  public static Tally build(String key, Map<String, Long> c, CohortDefinition cohort, Double fteShare, Instant now,
      ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate windowStart = TallyArithmetic.windowStart(today);

    long exits = get(c, EXITS);
    long intoWorkOrEducation = get(c, EXITS_WORK_OR_EDUCATION);
    GoalShare goalShare = new GoalShare(intoWorkOrEducation, get(c, PARTICIPANTS), exits,
        cohort == null ? null : cohort.getWorkOrEducationGoal());

    long attended30 = 0;
    long missed30 = 0;
    for (Map.Entry<String, Long> e : c.entrySet()) {
      LocalDate day = TallyArithmetic.dayOf(e.getKey());
      if (day == null || day.isBefore(windowStart)) {
        continue;
      }
      if (e.getKey().startsWith(DAY_ATTENDED)) {
        attended30 += e.getValue();
      } else {
        missed30 += e.getValue();
      }
    }

    return Tally.newBuilder()
        .setKey(key)
        .setDimension(dimension(key))
        .setSubject(key.substring(key.indexOf(':') + 1))
        .setParticipants(get(c, PARTICIPANTS))
        .setActive(get(c, ACTIVE))
        .setAwaitingEnrolment(get(c, AWAITING_ENROLMENT))
        .setReferred(get(c, REFERRED))
        .setReferralsDeclined(get(c, REFERRALS_DECLINED))
        .setCohort(cohort)
        .setBySituation(byEnum(c, SITUATION, Situation.values(), Situation.UNKNOWN))
        .setByPhase(byEnum(c, PHASE, Phase.values(), Phase.UNKNOWN, Phase.AWAITING_ENROLMENT))
        .setByExitReason(byEnum(c, EXIT_REASON, StatusExitReason.values()))
        .setByOutcomeGroup(byEnum(c, OUTCOME_GROUP, OutcomeGroup.values()))
        .setByServicesReceived(byEnum(c, SERVICES, ServicesReceived.values(), ServicesReceived.UNKNOWN))
        .setByTargetGroup(byEnum(c, TARGET_GROUP, TargetGroup.values()))
        .setExits(exits)
        .setExitsIntoWorkOrEducation(intoWorkOrEducation)
        .setGoalShare(goalShare.share())
        .setShareOfExitsIntoWorkOrEducation(goalShare.shareOfExits())
        .setGoal(goalShare.goal())
        .setGoalMet(goalShare.goalMet())
        .setJobSpecialistCaseloads(caseloads(key, c, fteShare))
        .setCoopWonca(coopWonca(c))
        .setMeetingsAttended(get(c, MEETINGS_ATTENDED))
        .setMeetingsMissed(get(c, MEETINGS_MISSED))
        .setHomeVisits(get(c, HOME_VISITS))
        .setMeetingsAttendedLast30Days(attended30)
        .setMeetingsMissedLast30Days(missed30)
        .setWindowStart(windowStart.toString())
        .setAsOf(now)
        .build();
  }

  public static TallyDimension dimension(String key) {
    if (key.startsWith(OFFICE)) {
      return TallyDimension.OFFICE;
    } else if (key.startsWith(COORDINATOR)) {
      return TallyDimension.COORDINATOR;
    } else if (key.startsWith(SPECIALIST)) {
      return TallyDimension.SPECIALIST;
    } else if (key.startsWith(COHORT_GROUP)) {
      return TallyDimension.COHORT_GROUP;
    } else if (key.startsWith(COHORT)) {
      return TallyDimension.COHORT;
    }
    return TallyDimension.UNKNOWN;
  }

  /**
   * By specialist id: the same counters give the same list, whatever order the map iterates in. The
   * specialist's own tally ({@code specialist:<id>}) holds their whole caseload and their capacity, so
   * only there is their range scaled; elsewhere a count is that tally's part, against a full position's range.
   */
  private static List<Caseload> caseloads(String key, Map<String, Long> c, Double fteShare) {
    List<Caseload> out = new ArrayList<>();
    new TreeMap<>(c).forEach((name, value) -> {
      if (name.startsWith(CASELOAD) && value > 0) {
        String specialistId = name.substring(CASELOAD.length());
        Double share = key.equals(SPECIALIST + specialistId) ? fteShare : null;
        CaseloadRange.Range range = CaseloadRange.forCapacity(share);
        out.add(Caseload.newBuilder().setSpecialistId(specialistId).setCaseload(value).setFlag(range.flag(value))
            .setFteShare(share).setRangeMin(range.min()).setRangeCap(range.cap()).build());
      }
    });
    return out;
  }

  private static CoopWoncaSummary coopWonca(Map<String, Long> c) {
    long pairs = get(c, COOP_PAIRS);
    Integer best = null;
    Integer worst = null;
    for (Map.Entry<String, Long> e : c.entrySet()) {
      if (e.getKey().startsWith(COOP_SCORE) && e.getValue() > 0) {
        int sum = Integer.parseInt(e.getKey().substring(COOP_SCORE.length()));
        best = best == null ? sum : Math.min(best, sum);
        worst = worst == null ? sum : Math.max(worst, sum);
      }
    }
    long measured = get(c, COOP_MEASURED);
    double items = CoopWonca.ITEMS;
    return CoopWoncaSummary.newBuilder()
        .setMeasured(measured)
        .setPairs(pairs)
        .setMeanFirst(pairs == 0 ? null : get(c, COOP_FIRST_SUM) / (items * pairs))
        .setMeanFirstAllMeasured(measured == 0 ? null : get(c, COOP_FIRST_SUM_ALL_MEASURED) / (items * measured))
        .setMeanLatest(pairs == 0 ? null : get(c, COOP_LATEST_SUM) / (items * pairs))
        .setBest(best == null ? null : CoopWonca.average(best))
        .setWorst(worst == null ? null : CoopWonca.average(worst))
        .setImproved(get(c, COOP_IMPROVED))
        .setUnchanged(get(c, COOP_UNCHANGED))
        .setWorsened(get(c, COOP_WORSENED))
        .build();
  }

  /** Every symbol (but the skipped ones, which never carry a count) with its count, zeros included. */
  @SafeVarargs
  private static <E extends Enum<E>> Map<String, Long> byEnum(Map<String, Long> c, String prefix, E[] symbols, E... skip) {
    List<E> skipped = List.of(skip);
    Map<String, Long> out = new LinkedHashMap<>();
    for (E symbol : symbols) {
      if (!skipped.contains(symbol)) {
        out.put(symbol.name(), get(c, prefix + symbol.name()));
      }
    }
    return out;
  }

  private static long get(Map<String, Long> c, String name) {
    return c.getOrDefault(name, 0L);
  }
}
