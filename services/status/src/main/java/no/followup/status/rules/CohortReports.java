package no.followup.status.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.events.FollowUpEvent;
import no.followup.figures.CohortReport;
import no.followup.figures.PeriodFigures;
import no.followup.status.CohortDefinition;
import no.followup.status.ParticipantStatus;

/**
 * A cohort's report as of a date, from the events alone: each participant's status is folded from the
 * events that occurred by the end of the date (in {@code zone}), so later events change nothing and a
 * late-recorded event that occurred before the date counts.
 */
public final class CohortReports {

  private CohortReports() {}

  /**
   * The report as of {@code asOf}, the period figures from {@code from} to {@code asOf} when {@code from} is
   * given, and how many events that occurred by the end of the date were recorded after it: when that is
   * not zero, the figures differ from what could be known on the date, and the answer says so.
   */
  public record Answer(CohortReport report, PeriodFigures period, long recordedAfterTheDate) {}

  public static Answer answer(CohortDefinition cohort, Map<String, List<FollowUpEvent>> eventsByParticipant,
      LocalDate from, LocalDate asOf, ZoneId zone) {
    Instant end = AsOf.endOf(asOf, zone);
    List<AsOf.Folded> folded = new ArrayList<>();
    for (Map.Entry<String, List<FollowUpEvent>> participant : eventsByParticipant.entrySet()) {
      AsOf.Folded one = AsOf.fold(participant.getKey(), participant.getValue(), end);
      if (one != null) {
        folded.add(one);
      }
    }
    return answer(cohort, folded, from, asOf, zone);
  }

  /**
   * The same from participants already folded as of the date (gathered from every instance). Participants
   * of other cohorts count in none of its figures.
   */
  public static Answer answer(CohortDefinition cohort, List<AsOf.Folded> folded, LocalDate from, LocalDate asOf,
      ZoneId zone) {
    List<AsOf.Folded> ofTheCohort = folded.stream()
        .filter(one -> cohort.getCohortId().equals(one.status().getCohortId()))
        .toList();
    List<ParticipantStatus> statuses = ofTheCohort.stream().map(AsOf.Folded::status).toList();
    long recordedAfter = ofTheCohort.stream().mapToLong(AsOf.Folded::recordedAfterTheDate).sum();
    return new Answer(CohortReport.of(cohort, statuses, asOf, zone),
        from == null ? null : PeriodFigures.of(statuses, from, asOf, zone), recordedAfter);
  }
}
