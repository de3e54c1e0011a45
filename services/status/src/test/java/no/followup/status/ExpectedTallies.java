package no.followup.status;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import no.followup.events.CohortDefined;
import no.followup.events.FollowUpEvent;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.StatusRules;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;

/** The tallies a recount from scratch gives: the reference the engine's incremental tallies must equal. */
public final class ExpectedTallies {

  private ExpectedTallies() {}

  /** The latest definition of every cohort defined in {@code events}. */
  public static Map<String, CohortDefinition> cohorts(List<FollowUpEvent> events) {
    Map<String, CohortDefinition> cohorts = new HashMap<>();
    events.stream().filter(e -> e.getPayload() instanceof CohortDefined).map(CohortDefinitions::of)
        .forEach(d -> cohorts.merge(d.getCohortId(), d, CohortDefinitions::latest));
    return cohorts;
  }

  /** Every participant's status, folded from scratch (cohort definitions are no participant's). */
  public static Map<String, ParticipantStatus> statuses(List<FollowUpEvent> events) {
    Map<String, List<FollowUpEvent>> byParticipant = events.stream()
        .filter(e -> !(e.getPayload() instanceof CohortDefined))
        .collect(Collectors.groupingBy(FollowUpEvent::getParticipantId, TreeMap::new, Collectors.toList()));
    Map<String, ParticipantStatus> out = new TreeMap<>();
    byParticipant.forEach((id, list) -> out.put(id, StatusRules.fold(id, list)));
    return out;
  }

  /** Every tally key's summed counters, a defined cohort's key even without participants. */
  public static Map<String, Map<String, Long>> counters(List<FollowUpEvent> events, Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    statuses(events).values().forEach(s -> TallyContributions.contributions(s, zone).forEach((key, c) ->
        sums.merge(key, TallyArithmetic.add(Map.of(), c, today), (a, b) -> TallyArithmetic.add(a, b, today))));
    cohorts(events).keySet().forEach(id -> sums.putIfAbsent(TallyContributions.COHORT + id, Map.of()));
    return sums;
  }

  /** Every tally as published at {@code now}. */
  public static Map<String, Tally> tallies(List<FollowUpEvent> events, Instant now, ZoneId zone) {
    Map<String, CohortDefinition> cohorts = cohorts(events);
    Map<String, Tally> out = new TreeMap<>();
    counters(events, now, zone).forEach((key, c) -> {
      String cohortId = TallyContributions.cohortOf(key);
      out.put(key, TallyViews.build(key, c, cohortId == null ? null : cohorts.get(cohortId), now, zone));
    });
    return out;
  }
}
