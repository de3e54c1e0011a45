package no.followup.dashboard.tasks;

import static no.followup.dashboard.tasks.ApiResult.error;
import static no.followup.dashboard.tasks.ApiResult.errorBody;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a task done from the page: records the event that resolves it through the intake API, with
 * a fresh eventId and the signed-in staff member as the actor. The task's DONE state comes back on
 * the tasks topic once the reminders and delivery services have seen the event; until then the task
 * is "marked, waiting for confirmation" ({@link PendingMarks}).
 */
public final class TaskActions {

  private static final Logger log = LoggerFactory.getLogger(TaskActions.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ReadModel model;
  private final AccessPolicy policy;
  private final PendingMarks pending;
  private final IntakeClient intake;
  private final AuditLog audit;
  private final Clock clock;
  private final Runnable onMarked;

  public TaskActions(ReadModel model, AccessPolicy policy, PendingMarks pending, IntakeClient intake, AuditLog audit,
      Clock clock, Runnable onMarked) {
    this.model = model;
    this.policy = policy;
    this.pending = pending;
    this.intake = intake;
    this.audit = audit;
    this.clock = clock;
    this.onMarked = onMarked;
  }

  public ApiResult markDone(Caller user, String taskId, String outcomeName) {
    CoordinatorTask task = model.task(taskId);
    ParticipantStatus status = task == null ? null : model.status(task.getParticipantId());
    if (task == null || !policy.canSee(user, task, status)) {
      return error(404, "no such task");
    }
    if (!policy.canAct(user, task, status)) {
      return error(403, "this role cannot record events for participants");
    }
    if (task.getState() != TaskState.OPEN) {
      ObjectNode body = errorBody("the task is not open");
      body.put("state", task.getState().name());
      return new ApiResult(409, body);
    }
    TaskOutcome outcome = parse(outcomeName);
    if (outcome == null || !outcome.appliesTo(task.getKind())) {
      ObjectNode body = errorBody("outcome must be one of " + TaskOutcome.forKind(task.getKind()) + " for a "
          + task.getKind() + " task");
      body.set("allowed", NODES.pojoNode(TaskOutcome.forKind(task.getKind())));
      return new ApiResult(400, body);
    }
    ObjectNode payload = outcome.payload(task);
    if (payload == null) {
      return error(422, "the task names no meeting, so attendance cannot be recorded from here");
    }
    UUID eventId = UUID.randomUUID();
    if (!pending.mark(taskId, outcome.name(), eventId)) {
      return error(409, "the task is already marked done and waiting for confirmation");
    }
    ObjectNode event = event(user, task, status, outcome, payload, eventId);
    // audited before it is sent: an action that cannot be recorded is not taken
    try {
      audit.action(user, "mark-task-done", task.getParticipantId(), Map.of(
          "taskId", taskId, "taskKind", task.getKind().name(), "outcome", outcome.name(), "eventId", eventId.toString()));
    } catch (RuntimeException auditFailed) {
      pending.clear(taskId);
      throw auditFailed;
    }
    IntakeClient.Answer answer = intake.publish(event);
    audit.action(user, AuditLog.INTAKE_ANSWERED, task.getParticipantId(), Map.of(
        "eventId", eventId.toString(), "intakeStatus", String.valueOf(answer.status())));
    if (!answer.accepted()) {
      pending.clear(taskId);
      log.warn("Intake answered {} to the {} event for task {}", answer.status(), outcome.eventType(), taskId);
      if (answer.status() == IntakeClient.UNREACHABLE || answer.status() >= 500) {
        return error(503, "the intake service is unavailable; try again");
      }
      ObjectNode body = errorBody("the intake refused the event");
      body.put("intakeStatus", answer.status());
      if (answer.body() != null) {
        body.set("intake", answer.body());
      }
      return new ApiResult(502, body);
    }
    log.info("Task {} ({}) marked {} by the dashboard; event {}", taskId, task.getKind(), outcome, eventId);
    onMarked.run();
    ObjectNode body = NODES.objectNode();
    body.put("taskId", taskId);
    body.put("eventId", eventId.toString());
    body.put("eventType", outcome.eventType());
    body.put("status", "MARKED_WAITING_FOR_CONFIRMATION");
    return new ApiResult(202, body);
  }

  private ObjectNode event(Caller user, CoordinatorTask task, ParticipantStatus status, TaskOutcome outcome,
      ObjectNode payload, UUID eventId) {
    Instant now = clock.instant();
    Instant occurred = now;
    if ((outcome == TaskOutcome.ATTENDED || outcome == TaskOutcome.MISSED) && task.getMeetingStartsAt() != null
        && task.getMeetingStartsAt().isBefore(now)) {
      occurred = task.getMeetingStartsAt(); // attendance happened (or not) at the meeting, not when it was recorded
    }
    ObjectNode event = NODES.objectNode();
    event.put("eventId", eventId.toString());
    event.put("participantId", task.getParticipantId());
    event.put("officeId", task.getOfficeId());
    if (status != null && status.getCohortId() != null) {
      event.put("cohortId", status.getCohortId());
    }
    ObjectNode actor = event.putObject("actor");
    actor.put("role", user.actingRole().staffRole());
    actor.put("staffId", user.id());
    event.put("occurredAt", occurred.toString());
    event.put("type", outcome.eventType());
    event.set("payload", payload);
    return event;
  }

  private static TaskOutcome parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return TaskOutcome.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
