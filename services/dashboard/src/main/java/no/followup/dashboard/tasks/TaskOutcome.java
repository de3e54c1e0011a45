package no.followup.dashboard.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskKind;

/**
 * What a coordinator can record from the page to resolve a task, and the event each one becomes:
 * attendance not recorded → attended or missed; reach out after a miss and inactivity → a phone
 * call that reached the participant; home-visit offer → the home visit took place.
 */
public enum TaskOutcome {
  ATTENDED("MeetingAttended", Set.of(TaskKind.ATTENDANCE_NOT_RECORDED)),
  MISSED("MeetingMissed", Set.of(TaskKind.ATTENDANCE_NOT_RECORDED)),
  REACHED("ContactMade", Set.of(TaskKind.REACH_OUT_AFTER_MISS, TaskKind.INACTIVITY)),
  HOME_VISIT_COMPLETED("HomeVisitCompleted", Set.of(TaskKind.OFFER_HOME_VISIT));

  private final String eventType;
  private final Set<TaskKind> kinds;

  TaskOutcome(String eventType, Set<TaskKind> kinds) {
    this.eventType = eventType;
    this.kinds = kinds;
  }

  /** The intake's event type ({@code type} of the JSON event). */
  public String eventType() {
    return eventType;
  }

  public boolean appliesTo(TaskKind kind) {
    return kinds.contains(kind);
  }

  /** The outcomes the page offers for a task of this kind (none for kinds no event resolves). */
  public static List<String> forKind(TaskKind kind) {
    return Arrays.stream(values()).filter(o -> o.appliesTo(kind)).map(Enum::name).toList();
  }

  /** The event payload for the task; null when the task lacks what the payload needs (a meeting id). */
  public ObjectNode payload(CoordinatorTask task) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    switch (this) {
      case ATTENDED, MISSED -> {
        if (task.getMeetingId() == null) {
          return null;
        }
        payload.put("meetingId", task.getMeetingId());
      }
      case REACHED -> {
        payload.put("channel", "PHONE");
        payload.put("reached", true);
      }
      // the offered visit is a new visit, not the missed meeting: no meetingId, or the missed meeting would count as attended
      case HOME_VISIT_COMPLETED -> { }
    }
    return payload;
  }
}
