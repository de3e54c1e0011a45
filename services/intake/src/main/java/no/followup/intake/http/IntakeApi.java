package no.followup.intake.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;
import no.followup.common.http.RequireSignIn;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantErased;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.FieldError;
import no.followup.intake.publish.EventPublisher;
import no.followup.intake.publish.EventStoreUnavailableException;
import no.followup.intake.publish.EventTooLargeException;
import no.followup.intake.publish.ParticipantErasedException;
import no.followup.intake.publish.RecentEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: {@code POST /api/v1/events}, {@code POST /api/v1/events/batch}, health and the
 * OpenAPI document. Every request under {@code /api/} must be signed in (401 before the body is
 * read); a valid event the caller may not record is answered 403 ({@link WritePolicy}). Validates
 * and authorises before anything is written; answers 202 only once the broker acknowledged. Logs
 * eventId, type and officeId, never participant-level values.
 */
public final class IntakeApi {

  private static final Logger log = LoggerFactory.getLogger(IntakeApi.class);

  public static final String EVENTS_PATH = "/api/v1/events";
  public static final String BATCH_PATH = "/api/v1/events/batch";
  public static final String BATCH_EVENTS = "events";
  /** Seconds a caller should wait after a 503. */
  static final int RETRY_AFTER_SECONDS = 5;
  /**
   * Most field errors listed in one answer (and one log line): a body of thousands of bad fields must
   * not be answered, or logged, with something many times its size.
   */
  static final int MAX_LISTED_ERRORS = 100;
  /** The error of a 403: a valid event the caller may not record; its fields say why. */
  static final String NOT_ALLOWED = "not allowed";
  /** The error of a 409 for an event of an erased participant; its fields say which. */
  static final String PARTICIPANT_ERASED = "participant erased";

  /** Strict parsing: a key given twice or trailing content is an error, not "last one wins". */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final BearerAuthenticator authenticator;
  private final WritePolicy policy = new WritePolicy();
  private final EventJsonReader reader;
  private final EventPublisher publisher;
  private final RecentEvents recent;
  private final BooleanSupplier ready;
  private final Clock clock;
  private final long maxBodyBytes;
  private final int maxBatchEvents;
  private final String openApi;
  private final IntakeMetrics metrics;

  /** As the full constructor, counting into a registry of its own (tests that do not read the figures). */
  public IntakeApi(BearerAuthenticator authenticator, EventJsonReader reader, EventPublisher publisher, RecentEvents recent,
      BooleanSupplier ready, Clock clock, long maxBodyBytes, int maxBatchEvents, ObjectNode openApi) {
    this(authenticator, reader, publisher, recent, ready, clock, maxBodyBytes, maxBatchEvents, openApi,
        new IntakeMetrics(new SimpleMeterRegistry()));
  }

  /**
   * @param authenticator signs in every caller of the API (the local token or OIDC access tokens)
   * @param metrics counts accepted and rejected events
   */
  public IntakeApi(BearerAuthenticator authenticator, EventJsonReader reader, EventPublisher publisher, RecentEvents recent,
      BooleanSupplier ready, Clock clock, long maxBodyBytes, int maxBatchEvents, ObjectNode openApi, IntakeMetrics metrics) {
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.reader = reader;
    this.publisher = publisher;
    this.recent = recent;
    this.ready = ready;
    this.clock = clock;
    this.maxBodyBytes = Math.min(maxBodyBytes, Integer.MAX_VALUE - 16);
    this.maxBatchEvents = maxBatchEvents;
    this.openApi = openApi.toString();
  }

  /** A configured, not yet started server. */
  public Javalin create() {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.prefer405over404 = true;
      // bodies are read with our own bound (it also covers chunked bodies, which carry no Content-Length)
      cfg.http.maxRequestSize = Long.MAX_VALUE;
    });
    new RequireSignIn(authenticator, "/api/", policy::mayRecordAnything, "your sign-in does not allow recording events")
        .install(app);
    app.post(EVENTS_PATH, this::publishOne);
    app.post(BATCH_PATH, this::publishBatch);
    app.get("/health/live", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "UP")));
    app.get("/health/ready", ctx -> {
      boolean isReady = ready.getAsBoolean();
      json(ctx, isReady ? 200 : 503, JSON.createObjectNode().put("status", isReady ? "READY" : "NOT_READY"));
    });
    app.get("/openapi.json", ctx -> ctx.status(200).contentType("application/json").result(openApi));
    app.error(404, ctx -> json(ctx, 404, error("not found")));
    app.error(405, ctx -> json(ctx, 405, error("method not allowed")));
    app.exception(BadRequest.class, (e, ctx) -> {
      metrics.rejected(e.reason, 1);
      json(ctx, e.status, e.body);
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("Unexpected failure handling {} {}", ctx.method(), ctx.path(), e);
      json(ctx, 500, error("internal error"));
    });
    return app;
  }

  private void publishOne(Context ctx) {
    JsonNode body = readJson(ctx);
    Instant receivedAt = clock.instant();
    EventJsonReader.Result result = reader.read(body, receivedAt);
    if (!result.valid()) {
      logRejected("event", result.errors());
      metrics.rejected(IntakeMetrics.Reason.INVALID, 1);
      json(ctx, 400, invalid("invalid event", result.errors()));
      return;
    }
    FollowUpEvent event = result.event();
    // before the resend check: a caller who may not record the event must not learn whether its id is known
    List<FieldError> refusals = policy.refusals(RequireSignIn.caller(ctx), event);
    if (!refusals.isEmpty()) {
      logRefused("event", refusals);
      metrics.rejected(IntakeMetrics.Reason.NOT_ALLOWED, 1);
      json(ctx, 403, invalid(NOT_ALLOWED, refusals));
      return;
    }
    RecentEvents.Seen seen = recent.check(event);
    if (seen == RecentEvents.Seen.CONFLICTING) {
      log.info("Rejected event {}: eventId reused for different content", event.getEventId());
      metrics.rejected(IntakeMetrics.Reason.CONFLICT, 1);
      json(ctx, 409, invalid("eventId already used", List.of(conflict(""))));
      return;
    }
    if (seen == RecentEvents.Seen.SAME) {
      log.info("Accepted resent event {} type {} office {} (already written)", event.getEventId(), type(event),
          event.getOfficeId());
    } else {
      try {
        publisher.publish(event);
      } catch (EventStoreUnavailableException e) {
        metrics.rejected(IntakeMetrics.Reason.UNAVAILABLE, 1);
        unavailable(ctx);
        return;
      } catch (EventTooLargeException e) {
        metrics.rejected(IntakeMetrics.Reason.TOO_LARGE, 1);
        log.info("Rejected event {} type {}: too large for the event store", event.getEventId(), type(event));
        json(ctx, 413, error("event too large for the event store; it was not written"));
        return;
      } catch (ParticipantErasedException e) {
        metrics.rejected(IntakeMetrics.Reason.ERASED, 1);
        log.info("Refused event {} type {}: its participant was erased", event.getEventId(), type(event));
        json(ctx, 409, invalid(PARTICIPANT_ERASED, List.of(erased(""))));
        return;
      }
      recent.remember(event);
      log.info("Accepted event {} type {} office {}", event.getEventId(), type(event), event.getOfficeId());
    }
    metrics.accepted(type(event));
    json(ctx, 202, JSON.createObjectNode().put("eventId", event.getEventId().toString()));
  }

  private void publishBatch(Context ctx) {
    JsonNode body = readJson(ctx);
    Instant receivedAt = clock.instant();
    List<FieldError> errors = new ArrayList<>();
    JsonNode events = batchEvents(body, errors);
    List<FollowUpEvent> converted = new ArrayList<>();
    List<FieldError> refusals = new ArrayList<>();
    if (events != null) {
      Caller caller = RequireSignIn.caller(ctx);
      for (int i = 0; i < events.size(); i++) {
        EventJsonReader.Result result = reader.read(events.get(i), receivedAt);
        String prefix = BATCH_EVENTS + "[" + i + "].";
        result.errors().forEach(e -> errors.add(e.prefixed(prefix)));
        converted.add(result.event());
        if (result.valid()) {
          policy.refusals(caller, result.event()).forEach(e -> refusals.add(e.prefixed(prefix)));
        }
      }
    }
    List<FollowUpEvent> toWrite = new ArrayList<>();
    List<FieldError> conflicts = new ArrayList<>();
    Map<UUID, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < converted.size(); i++) {
      FollowUpEvent event = converted.get(i);
      if (event == null) {
        continue;
      }
      Integer earlier = firstIndex.putIfAbsent(event.getEventId(), i);
      if (earlier != null) {
        // the same event twice is harmless (written once); one id for two different events is a mistake
        if (!RecentEvents.sameContent(converted.get(earlier), event)) {
          errors.add(new FieldError(BATCH_EVENTS + "[" + i + "].eventId",
              "same eventId as " + BATCH_EVENTS + "[" + earlier + "] but different content"));
        }
        continue;
      }
      switch (recent.check(event)) {
        case NEW -> toWrite.add(event);
        case SAME -> { }
        case CONFLICTING -> conflicts.add(conflict(BATCH_EVENTS + "[" + i + "]."));
      }
    }
    if (!errors.isEmpty()) {
      logRejected("batch", errors);
      metrics.rejected(events == null ? IntakeMetrics.Reason.MALFORMED : IntakeMetrics.Reason.INVALID, converted.size());
      json(ctx, 400, invalid("invalid event", errors));
      return;
    }
    if (!refusals.isEmpty()) {
      logRefused("batch", refusals);
      metrics.rejected(IntakeMetrics.Reason.NOT_ALLOWED, converted.size());
      json(ctx, 403, invalid(NOT_ALLOWED, refusals));
      return;
    }
    if (!conflicts.isEmpty()) {
      log.info("Rejected batch: {} eventIds reused for different content", conflicts.size());
      metrics.rejected(IntakeMetrics.Reason.CONFLICT, converted.size());
      json(ctx, 409, invalid("eventId already used", conflicts));
      return;
    }
    try {
      publisher.publishAll(toWrite);
    } catch (EventStoreUnavailableException e) {
      metrics.rejected(IntakeMetrics.Reason.UNAVAILABLE, converted.size());
      unavailable(ctx);
      return;
    } catch (EventTooLargeException e) {
      metrics.rejected(IntakeMetrics.Reason.TOO_LARGE, converted.size());
      log.info("Rejected batch of {} events: an event is too large for the event store", converted.size());
      json(ctx, 413, error("an event is too large for the event store; nothing of the batch was written"));
      return;
    } catch (ParticipantErasedException e) {
      List<FieldError> refused = new ArrayList<>();
      for (int i = 0; i < converted.size(); i++) {
        FollowUpEvent event = converted.get(i);
        if (e.participantIds().contains(event.getParticipantId()) && !(event.getPayload() instanceof ParticipantErased)) {
          refused.add(erased(BATCH_EVENTS + "[" + i + "]."));
        }
      }
      metrics.rejected(IntakeMetrics.Reason.ERASED, converted.size());
      log.info("Refused batch of {} events: {} are for erased participants", converted.size(), refused.size());
      json(ctx, 409, invalid(PARTICIPANT_ERASED, refused));
      return;
    }
    toWrite.forEach(recent::remember);
    for (FollowUpEvent event : toWrite) {
      log.info("Accepted event {} type {} office {} (batch)", event.getEventId(), type(event), event.getOfficeId());
    }
    log.info("Accepted batch of {} events ({} written, {} already written)", converted.size(), toWrite.size(),
        converted.size() - toWrite.size());
    converted.forEach(event -> metrics.accepted(type(event)));
    ObjectNode response = JSON.createObjectNode();
    ArrayNode accepted = response.putArray("accepted");
    converted.forEach(e -> accepted.add(e.getEventId().toString()));
    json(ctx, 202, response);
  }

  /** The {@code events} array of a batch body, or null with the reasons added to {@code errors}. */
  private JsonNode batchEvents(JsonNode body, List<FieldError> errors) {
    if (!body.isObject()) {
      errors.add(new FieldError("$", "must be a JSON object with an array \"" + BATCH_EVENTS + "\""));
      return null;
    }
    // the caller chose these names (up to Jackson's 50,000 characters each, an identity number
    // among them perhaps): they reach the response and the log only when they look like field names
    body.properties().stream().map(Map.Entry::getKey).filter(name -> !name.equals(BATCH_EVENTS))
        .forEach(name -> errors.add(new FieldError(EventJsonReader.echoable(name, "(a field name that is not an identifier)"),
            "unknown field; expected one of: " + BATCH_EVENTS)));
    JsonNode events = body.get(BATCH_EVENTS);
    if (events == null) {
      errors.add(new FieldError(BATCH_EVENTS, "is required"));
      return null;
    }
    if (!events.isArray()) {
      errors.add(new FieldError(BATCH_EVENTS, "must be a JSON array"));
      return null;
    }
    if (events.isEmpty()) {
      errors.add(new FieldError(BATCH_EVENTS, "must contain at least one event"));
      return null;
    }
    if (events.size() > maxBatchEvents) {
      errors.add(new FieldError(BATCH_EVENTS, "must contain at most " + maxBatchEvents + " events"));
      return null;
    }
    return events;
  }

  /** The body as JSON; a 415, 413 or 400 when it is not acceptable. */
  private JsonNode readJson(Context ctx) {
    if (!isJson(ctx.contentType())) {
      throw new BadRequest(415, IntakeMetrics.Reason.UNSUPPORTED_MEDIA_TYPE,
          error("unsupported content type; send application/json"));
    }
    byte[] body = readBody(ctx);
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null || json.isMissingNode()) {
        throw new BadRequest(400, IntakeMetrics.Reason.MALFORMED,
          invalid("malformed JSON", List.of(new FieldError("$", "the body is empty"))));
      }
      return json;
    } catch (JsonProcessingException e) {
      // the location only: parser messages may quote the submitted text
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new BadRequest(400, IntakeMetrics.Reason.MALFORMED,
          invalid("malformed JSON", List.of(new FieldError("$", "not valid JSON" + where))));
    } catch (IOException e) {
      throw new BadRequest(400, IntakeMetrics.Reason.MALFORMED,
          invalid("malformed JSON", List.of(new FieldError("$", "could not read the body"))));
    }
  }

  private byte[] readBody(Context ctx) {
    if (ctx.req().getContentLengthLong() > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new BadRequest(400, IntakeMetrics.Reason.MALFORMED,
          invalid("malformed JSON", List.of(new FieldError("$", "could not read the body"))));
    }
  }

  private BadRequest tooLarge() {
    ObjectNode body = error("request body too large");
    body.put("maxBytes", maxBodyBytes);
    return new BadRequest(413, IntakeMetrics.Reason.TOO_LARGE, body);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  private static void unavailable(Context ctx) {
    ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    json(ctx, 503, error("event store unavailable, retry later"));
  }

  private static FieldError erased(String prefix) {
    return new FieldError(prefix + "participantId", "was erased: nothing more is recorded for this participant");
  }

  private static FieldError conflict(String prefix) {
    return new FieldError(prefix + "eventId", "was just used for an event with different content; use a new eventId");
  }

  private static void logRejected(String what, List<FieldError> errors) {
    // field names only: the values may be personal data
    log.info("Rejected {}: {} invalid fields {}", what, errors.size(),
        errors.stream().limit(MAX_LISTED_ERRORS).map(FieldError::field).toList());
  }

  private static void logRefused(String what, List<FieldError> refusals) {
    log.info("Refused {}: not allowed for the caller ({})", what,
        refusals.stream().limit(MAX_LISTED_ERRORS).map(FieldError::field).toList());
  }

  /** The event's type: its payload record's name, as in the JSON's {@code type}. */
  static String type(FollowUpEvent event) {
    return ((org.apache.avro.generic.GenericContainer) event.getPayload()).getSchema().getName();
  }

  static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  static ObjectNode invalid(String message, List<FieldError> errors) {
    ObjectNode body = error(message);
    ArrayNode fields = body.putArray("fields");
    for (FieldError e : errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS))) {
      fields.addObject().put("field", e.field()).put("message", e.message());
    }
    if (errors.size() > MAX_LISTED_ERRORS) {
      fields.addObject().put("field", "$")
          .put("message", (errors.size() - MAX_LISTED_ERRORS) + " more invalid fields, not listed");
    }
    return body;
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(HttpStatus.forStatus(status)).contentType("application/json").result(body.toString());
  }

  /** Ends a request with an error response. */
  private static final class BadRequest extends RuntimeException {
    final int status;
    final transient IntakeMetrics.Reason reason;
    final transient ObjectNode body;

    BadRequest(int status, IntakeMetrics.Reason reason, ObjectNode body) {
      super(body.path("error").asText(), null, false, false);
      this.status = status;
      this.reason = reason;
      this.body = body;
    }
  }
}
