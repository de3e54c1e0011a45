package no.followup.figures;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.followup.status.ParticipantStatus;
import no.followup.status.StatusExitReason;

/**
 * A cohort's figures over a period, as the projects report a year: "25 deltakere har vært i tiltaket i
 * 2022, 7 deltakere ble skrevet ut: 3 [...] til ordinært arbeid, 2 [...] pga flytting, 1 [...] pga av
 * manglende oppmøte over tid, 1 [...] til annet tiltak" (project reports survey 2022).
 *
 * @param inProject       in the project at some time in the period: enrolled by its end, not exited before its start
 * @param takenIn         enrolled in the period
 * @param exited          exited in the period, by reason and by outcome group below
 * @param activeAtEnd     in the project at the end of the period
 * @param daysInProject   of those in the project in the period: enrolment to exit, or to the period's end
 */
public record PeriodFigures(LocalDate from, LocalDate to, long inProject, long takenIn, long exited,
    Map<String, Long> exitsByReason, Map<String, Long> exitsByOutcomeGroup, long activeAtEnd,
    TimeInProject.Distribution daysInProject) {

  /** The figures from the participants' statuses as of the end of {@code to} (local dates in {@code zone}). */
  public static PeriodFigures of(List<ParticipantStatus> statusesAtEnd, LocalDate from, LocalDate to, ZoneId zone) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the period must not end before it starts");
    }
    Instant endOfPeriod = to.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1);
    Map<String, Long> byReason = new LinkedHashMap<>();
    Map<String, Long> byOutcome = new LinkedHashMap<>();
    long inProject = 0;
    long takenIn = 0;
    long exited = 0;
    long activeAtEnd = 0;
    List<Long> days = new ArrayList<>();
    for (ParticipantStatus s : statusesAtEnd) {
      if (!Participation.takenIn(s) || s.getEnrolledAt() == null) {
        continue;
      }
      LocalDate enrolled = LocalDate.ofInstant(s.getEnrolledAt(), zone);
      LocalDate exit = Participation.exited(s) && s.getExitedAt() != null ? LocalDate.ofInstant(s.getExitedAt(), zone) : null;
      if (enrolled.isAfter(to) || (exit != null && exit.isBefore(from))) {
        continue;
      }
      inProject++;
      days.add(TimeInProject.days(s.getEnrolledAt(), s.getExitedAt(), endOfPeriod, zone));
      if (!enrolled.isBefore(from)) {
        takenIn++;
      }
      if (exit != null) {
        exited++;
        byReason.merge((s.getExitReason() == null ? StatusExitReason.OTHER : s.getExitReason()).name(), 1L, Long::sum);
        byOutcome.merge(Participation.outcomeGroup(s).name(), 1L, Long::sum);
      } else {
        activeAtEnd++;
      }
    }
    return new PeriodFigures(from, to, inProject, takenIn, exited, byReason, byOutcome, activeAtEnd,
        TimeInProject.distribution(days));
  }
}
