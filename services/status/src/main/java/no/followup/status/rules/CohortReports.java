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

  /** The first instant after the reporting date {@code asOf} in {@code zone}. */
  public static Instant endOf(LocalDate asOf, ZoneId zone) {
    return asOf.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** The status from the events that occurred before {@code end}; null when there are none. */
  public static ParticipantStatus statusBefore(String participantId, List<FollowUpEvent> events, Instant end) {
    List<FollowUpEvent> before = events.stream().filter(e -> e.getOccurredAt().isBefore(end)).toList();
    return before.isEmpty() ? null : StatusRules.fold(participantId, before);
  }

  /**
   * The report as of {@code asOf}, the period figures from {@code from} to {@code asOf} when {@code from} is
   * given, and how many events that occurred by the end of the date were recorded after it: when that is
   * not zero, the figures differ from what could be known on the date, and the answer says so.
   */
  public record Answer(CohortReport report, PeriodFigures period, long recordedAfterTheDate) {}

  public static Answer answer(CohortDefinition cohort, Map<String, List<FollowUpEvent>> eventsByParticipant,
      LocalDate from, LocalDate asOf, ZoneId zone) {
    Instant end = endOf(asOf, zone);
    List<ParticipantStatus> statuses = new ArrayList<>();
    long recordedAfter = 0;
    for (Map.Entry<String, List<FollowUpEvent>> participant : eventsByParticipant.entrySet()) {
      ParticipantStatus status = statusBefore(participant.getKey(), participant.getValue(), end);
      if (status != null) {
        statuses.add(status);
      }
      recordedAfter += participant.getValue().stream()
          .filter(e -> e.getOccurredAt().isBefore(end) && !e.getRecordedAt().isBefore(end)).count();
    }
    return new Answer(CohortReport.of(cohort, statuses, asOf, zone),
        from == null ? null : PeriodFigures.of(statuses, from, asOf, zone), recordedAfter);
  }
}
