package no.followup.dashboard.forms;

import static no.followup.dashboard.tasks.ApiResult.error;
import static no.followup.dashboard.tasks.ApiResult.errorBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.model.ReadModel;
import no.followup.dashboard.tasks.ApiResult;
import no.followup.dashboard.tasks.IntakeClient;
import no.followup.status.ParticipantStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what a form describes: checks that the signed-in staff member may record it for this
 * participant, turns the form's values into the intake's event JSON (times entered in the
 * dashboard's zone become instants; the actor is the staff member), and sends it to the intake once
 * per eventId ({@link SubmittedEvents}). The intake validates; its 400 field errors come back as
 * they are, naming the fields ({@code payload.startsAt}, {@code occurredAt}) the page shows them beside.
 *
 * <p>Who may record: those who see participant rows, for a participant they may see (a new
 * participant: enrolment, for an office of theirs); erasure only a team lead, as at the intake.
 */
public final class EventForms {

  private static final Logger log = LoggerFactory.getLogger(EventForms.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** A form's fields are few and short; anything larger is not from the page. */
  public static final int MAX_BODY_CHARS = 8 * 1024;

  private final FormCatalog catalog;
  private final ReadModel model;
  private final AccessPolicy policy;
  private final IntakeClient intake;
  private final AuditLog audit;
  private final ZoneId zone;
  private final Runnable onRecorded;
  private final SubmittedEvents submitted = new SubmittedEvents();

  public EventForms(FormCatalog catalog, ReadModel model, AccessPolicy policy, IntakeClient intake, AuditLog audit,
      ZoneId zone, Runnable onRecorded) {
    this.catalog = catalog;
    this.model = model;
    this.policy = policy;
    this.intake = intake;
    this.audit = audit;
    this.zone = zone;
    this.onRecorded = onRecorded;
  }

  /** The event types the user may record for this participant (null status: not known yet). */
  public List<String> recordable(Caller user, ParticipantStatus statusOrNull) {
    List<String> types = new ArrayList<>();
    for (FormCatalog.Form form : catalog.forms()) {
      if (mayRecord(user, form.type(), statusOrNull)) {
        types.add(form.type());
      }
    }
    return types;
  }

  private boolean mayRecord(Caller user, String type, ParticipantStatus statusOrNull) {
    if (!policy.seesParticipantRows(user)) {
      return false;
    }
    if (type.equals(FormCatalog.ERASURE) && !policy.mayErase(user)) {
      return false;
    }
    if (statusOrNull == null) {
      return type.equals(FormCatalog.ENROLMENT);
    }
    return policy.canSee(user, statusOrNull);
  }

  /** Records the form's event for {@code participantId}; the body is what the page sent. */
  public ApiResult submit(Caller user, String participantId, JsonNode body) {
    List<ObjectNode> errors = new ArrayList<>();
    String eventId = text(body, "eventId");
    if (eventId == null || !isUuid(eventId)) {
      errors.add(fieldError("eventId", "must be the UUID the form was opened with"));
    }
    String type = text(body, "type");
    FormCatalog.Form form = type == null ? null : catalog.form(type).orElse(null);
    if (form == null) {
      errors.add(fieldError("type", "is not an event type with a form"));
    }
    if (!errors.isEmpty()) {
      return invalid(errors);
    }
    ParticipantStatus status = model.status(participantId);
    if (status == null && !type.equals(FormCatalog.ENROLMENT)) {
      // an erased participant too: nothing is left to tell who may see them, so nobody learns the id was erased
      return error(404, "no such participant");
    }
    if (status == null && model.erased(participantId)) {
      // an enrolment under an erased id would be refused by the intake and ignored by every service (so an
      // erasure holds): the person enrolling is told to choose a new id, and learns no more than that
      return error(409, "this participant was erased; record a new enrolment under a new pseudonymous id");
    }
    if (status != null && !policy.canSee(user, status)) {
      return error(404, "no such participant");
    }
    if (!mayRecord(user, type, status)) {
      return error(403, "your role cannot record " + type + " events here");
    }
    if (form.restricted() && !participantId.equals(text(body, "confirm"))) {
      // an erasure cannot be undone: the page asks for the participant id typed out, and so does this
      return invalid(List.of(fieldError("confirm", "type the participant id to confirm")));
    }
    String officeId = status == null ? text(body, "officeId") : status.getOfficeId();
    if (status == null && (officeId == null || !user.belongsTo(officeId))) {
      return invalid(List.of(fieldError("officeId", "must be an office of yours")));
    }

    ObjectNode event = NODES.objectNode();
    event.put("eventId", eventId);
    event.put("participantId", participantId);
    event.put("officeId", officeId);
    String cohortId = type.equals(FormCatalog.ENROLMENT) ? text(body, "cohortId")
        : status == null ? null : status.getCohortId();
    if (cohortId != null) {
      event.put("cohortId", cohortId);
    }
    event.putObject("actor").put("role", user.actingRole().staffRole()).put("staffId", user.id());
    putInstant(event, "occurredAt", text(body, "occurredAt"), "occurredAt", errors);
    event.put("type", type);
    event.set("payload", payload(form, body.path("payload"), errors));
    if (!errors.isEmpty()) {
      return invalid(errors);
    }

    SubmittedEvents.Sent sent = submitted.sendOnce(eventId, event, () -> send(user, participantId, type, event));
    if (sent == null) {
      return error(409, "this form was already sent with other content; open it again");
    }
    return new ApiResult(sent.status(), sent.body());
  }

  private SubmittedEvents.Sent send(Caller user, String participantId, String type, ObjectNode event) {
    String eventId = event.get("eventId").asText();
    // audited before it is sent: an action that cannot be recorded is not taken
    audit.action(user, "record-event", participantId, Map.of("eventId", eventId, "eventType", type));
    IntakeClient.Answer answer = intake.publish(event);
    audit.action(user, AuditLog.INTAKE_ANSWERED, participantId, Map.of("eventId", eventId,
        "intakeStatus", String.valueOf(answer.status())));
    if (answer.accepted()) {
      log.info("Event {} ({}) recorded from a form", eventId, type);
      onRecorded.run();
      ObjectNode body = NODES.objectNode().put("eventId", eventId).put("type", type).put("status", "RECORDED");
      return new SubmittedEvents.Sent(event, 202, body);
    }
    log.warn("Intake answered {} to a {} event from a form", answer.status(), type);
    if (answer.status() == IntakeClient.UNREACHABLE || answer.status() >= 500) {
      return new SubmittedEvents.Sent(event, 503, errorBody("the intake service is unavailable; nothing was recorded, try again"));
    }
    ObjectNode body = errorBody(answer.status() == 403 ? "not allowed" : "the intake refused the event; nothing was recorded");
    if (answer.body() != null && answer.body().path("fields").isArray()) {
      body.set("fields", answer.body().get("fields"));
    }
    int status = answer.status() == 400 || answer.status() == 403 || answer.status() == 409 ? answer.status() : 502;
    return new SubmittedEvents.Sent(event, status, body);
  }

  /** The payload the form describes: values of its fields only, times as instants, numbers as numbers. */
  private ObjectNode payload(FormCatalog.Form form, JsonNode values, List<ObjectNode> errors) {
    ObjectNode payload = NODES.objectNode();
    if (!values.isObject()) {
      return payload;
    }
    for (FormCatalog.Field field : form.fields()) {
      JsonNode value = values.get(field.name());
      if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
        continue; // absent: the intake names a required field that is missing
      }
      String path = "payload." + field.name();
      switch (field.input()) {
        case DATETIME -> putInstant(payload, field.name(), value.asText(), path, errors);
        case NUMBER, SCORE -> payload.set(field.name(), number(value));
        case YES_NO -> payload.set(field.name(), value.isBoolean() ? value
            : "true".equals(value.asText()) ? NODES.booleanNode(true)
            : "false".equals(value.asText()) ? NODES.booleanNode(false) : value);
        case CHECKBOXES -> {
          ArrayNode list = payload.putArray(field.name());
          if (value.isArray()) {
            list.addAll((ArrayNode) value);
          } else {
            list.add(value);
          }
        }
        default -> payload.set(field.name(), value.isTextual() ? NODES.textNode(value.asText().trim()) : value);
      }
    }
    return payload;
  }

  private static JsonNode number(JsonNode value) {
    if (value.isTextual()) {
      try {
        return NODES.numberNode(Integer.parseInt(value.asText().trim()));
      } catch (NumberFormatException notANumber) {
        return value; // the intake names it
      }
    }
    return value;
  }

  /** A date and time as entered (local, in the dashboard's zone) as the instant it names. */
  private void putInstant(ObjectNode target, String name, String local, String path, List<ObjectNode> errors) {
    if (local == null || local.isBlank()) {
      return;
    }
    try {
      // in the autumn's repeated hour the earlier instant is meant; a time in the spring's gap moves forward
      target.put(name, LocalDateTime.parse(local.trim()).atZone(zone).toInstant().toString());
    } catch (DateTimeException e) {
      errors.add(fieldError(path, "must be a date and time like 2026-05-12T13:30"));
    }
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText().trim() : null;
  }

  private static ObjectNode fieldError(String field, String message) {
    return NODES.objectNode().put("field", field).put("message", message);
  }

  private static ApiResult invalid(List<ObjectNode> errors) {
    ObjectNode body = errorBody("invalid form; nothing was recorded");
    ArrayNode fields = body.putArray("fields");
    errors.forEach(fields::add);
    return new ApiResult(400, body);
  }
}
