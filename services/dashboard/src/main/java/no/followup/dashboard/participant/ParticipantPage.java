package no.followup.dashboard.participant;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import no.followup.dashboard.views.ViewModels.ParticipantLevel;
import no.followup.dashboard.views.ViewModels.TaskRow;

/**
 * The data of one participant's page, as the JSON API returns it and the live stream pushes it.
 *
 * @param recordable the event types the reader may record for the participant (the forms offered)
 */
public record ParticipantPage(
    String participantId,
    Summary summary,
    List<TaskRow> openTasks,
    List<Meeting> upcomingMeetings,
    List<Meeting> meetings,
    List<Score> scores,
    Timeline timeline,
    List<String> recordable,
    String zone,
    Instant asOf) implements ParticipantLevel {

  @Override
  public Set<String> participantIds() {
    return Set.of(participantId);
  }

  /** The participant's current status. */
  public record Summary(String officeId, String cohortId, String coordinatorId, String counsellorId, boolean enrolled,
      Instant enrolledAt, Instant exitedAt, Long daysInProject, String situation, String phase, String exitReason,
      List<String> targetGroups, String servicesReceived, List<String> openSpecialists, Instant lastContactAt,
      Instant lastContactAttemptAt, int meetingsAttended, int meetingsMissed, int consecutiveMisses, int homeVisits,
      Instant individualPlanStartedAt, int scoreCount, String scoreChange) {}

  /** A meeting the status lists. */
  public record Meeting(String meetingId, Instant startsAt, String kind, String state) {}

  /**
   * One COOP/WONCA measurement: the 7 items (1 best, 5 worst) in chart order and their average, as
   * the status service computes it.
   */
  public record Score(Instant measuredAt, List<Integer> items, double average) {}

  /**
   * The participant's events, newest first, from the status service.
   *
   * @param available false when the status service could not be asked just now
   * @param more true when older events exist than those listed
   */
  public record Timeline(boolean available, boolean more, List<JsonNode> events) {}
}
