package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import no.followup.figures.TimeInProject;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.SpecialistAssignment;

/**
 * A participant's status as the API shows it: the status as JSON plus what depends on the day it
 * is read (time in project, days since contact, the next meeting), and the lists' orders.
 */
final class ParticipantJson {

  /**
   * The review list's order: those needing attention first (most consecutive misses, then longest
   * without contact), then by id.
   */
  static final Comparator<JsonNode> REVIEW_ORDER = Comparator
      .comparingInt((JsonNode row) -> -row.path("consecutiveMisses").asInt())
      .thenComparing(row -> row.path("lastContactAt").isTextual()
          ? Instant.parse(row.path("lastContactAt").asText()) : Instant.EPOCH)
      .thenComparing(row -> row.path("participantId").asText());
  /** The participant list's order: by participantId. */
  static final Comparator<JsonNode> PARTICIPANT_ORDER = Comparator.comparing(row -> row.path("participantId").asText());

  private final ZoneId zone;

  ParticipantJson(ZoneId zone) {
    this.zone = zone;
  }

  /** A participant as a JSON-ready map, with time in project and days since contact as of {@code now}. */
  Map<String, Object> participant(ParticipantStatus p, Instant now) {
    Map<String, Object> view = AvroJson.toMap(p);
    view.put("daysInProject", daysInProject(p, now));
    view.put("daysSinceLastContact", daysSinceLastContact(p, now));
    view.put("openSpecialists", p.getSpecialists().stream().filter(a -> a.getEndedAt() == null)
        .map(SpecialistAssignment::getSpecialistId).distinct().toList());
    return view;
  }

  /** A row of the team lead's monthly review, as of {@code now}. */
  Map<String, Object> reviewRow(ParticipantStatus p, Instant now) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("participantId", p.getParticipantId());
    row.put("situation", p.getSituation().name());
    row.put("phase", p.getPhase().name());
    row.put("servicesReceived", p.getServicesReceived().name());
    row.put("coordinatorId", p.getCoordinatorId());
    row.put("openSpecialists", p.getSpecialists().stream().filter(a -> a.getEndedAt() == null)
        .map(a -> Map.of("service", a.getService(), "specialistId", a.getSpecialistId())).toList());
    row.put("enrolledAt", text(p.getEnrolledAt()));
    row.put("daysInProject", daysInProject(p, now));
    row.put("lastContactAt", text(p.getLastContactAt()));
    row.put("daysSinceLastContact", daysSinceLastContact(p, now));
    row.put("meetingsAttended", p.getMeetingsAttended());
    row.put("meetingsMissed", p.getMeetingsMissed());
    row.put("consecutiveMisses", p.getConsecutiveMisses());
    row.put("attendanceRate", p.getAttendanceRate());
    row.put("homeVisits", p.getHomeVisits());
    row.put("nextMeetingAt", nextMeeting(p, now));
    return row;
  }

  private Long daysInProject(ParticipantStatus p, Instant now) {
    return TimeInProject.days(p.getEnrolledAt(), p.getExitedAt(), now, zone);
  }

  private static Long daysSinceLastContact(ParticipantStatus p, Instant now) {
    return p.getLastContactAt() == null ? null : Duration.between(p.getLastContactAt(), now).toDays();
  }

  private static String nextMeeting(ParticipantStatus p, Instant now) {
    return p.getMeetings().stream()
        .filter(m -> m.getState() == MeetingState.SCHEDULED && m.getStartsAt() != null && m.getStartsAt().isAfter(now))
        .map(MeetingSummary::getStartsAt)
        .min(Comparator.naturalOrder())
        .map(Instant::toString)
        .orElse(null);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
