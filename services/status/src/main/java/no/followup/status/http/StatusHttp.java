package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.http.Json;
import no.followup.common.http.RequireSignIn;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.StreamsRunner;
import no.followup.status.Tally;
import no.followup.status.rules.AsOf;
import no.followup.status.rules.TallyContributions;
import no.followup.status.topology.StatusTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status application's HTTP API (JSON), answered from the Streams state stores. Every query
 * needs a service's sign-in (client credentials, role {@code SYSTEM}) or the local token: the API
 * has no per-participant access rules, so people read participants through the dashboard, which
 * has them; every person-level answer is recorded in the audit log ({@link ReadAudit}). Health
 * stays open.
 * <ul>
 *   <li>{@code GET /api/v1/participants/{id}}: one participant's status;</li>
 *   <li>{@code GET /api/v1/participants/{id}/events?limit=100}: one participant's events, newest first
 *       ({@link ParticipantTimeline}; an unknown or erased participant has none);</li>
 *   <li>{@code GET /api/v1/participants?office=3421}: the statuses of an office's participants;</li>
 *   <li>{@code GET /api/v1/offices/{officeId}/tally}, {@code /cohorts/{cohortId}/tally},
 *       {@code /cohorts/{cohortId}/groups/{targetGroup}/tally}, {@code /coordinators/{id}/tally},
 *       {@code /specialists/{id}/tally}, {@code /tallies/{key}}: one tally;
 *       {@code GET /api/v1/tallies?prefix=office:}: tally keys;</li>
 *   <li>{@code GET /api/v1/offices/{officeId}/review}: the monthly review list;</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready} (ready = Streams RUNNING).</li>
 * </ul>
 * 401 without a valid token, 403 for a person's token, 404 for an unknown participant or tally, 503 with Retry-After while Streams is starting or
 * rebalancing. With several instances any of them answers: a key held by another is asked there
 * ({@link PeerRequests}), and lists are gathered from all ({@link FanOut}), complete or 503.
 */
public final class StatusHttp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusHttp.class);

  /** What a 503 asks the client to wait: a start or a rebalance of Streams usually settles within seconds. */
  static final int RETRY_AFTER_SECONDS = 2;

  private final Javalin app;
  private final AuditLog audit;

  private StatusHttp(Javalin app, AuditLog audit) {
    this.app = app;
    this.audit = audit;
  }

  public static ObjectMapper objectMapper() {
    return Json.mapper();
  }

  /**
   * Starts serving on {@code host:port} (0 = any free port); {@code queries} may be set later.
   *
   * @param authenticator signs in every caller of {@code /api/}
   * @param metrics served at {@code /metrics}, with every request timed
   * @param audit records every person-level read; closed with the server
   */
  public static StatusHttp start(String host, int port, QueriesHolder queries, Clock clock, BearerAuthenticator authenticator,
      ServiceMetrics metrics, AuditLog audit) {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(objectMapper(), false));
    });
    metrics.install(app);
    PeerRequests peers = new PeerRequests();
    FanOut fanOut = new FanOut(peers);
    AsOfAnswers asOfAnswers = new AsOfAnswers(fanOut);
    new RequireSignIn(authenticator, "/api/", caller -> caller.local() || caller.isService(),
        "the status API is for services; people read participants through the dashboard").install(app);
    new ReadAudit(audit).install(app);

    app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/health/ready", ctx -> {
      StatusQueries q = queries.get();
      StreamsRunner.Readiness progress = queries.progress();
      boolean ready = q != null && q.stores().ready() && (progress == null || progress.ready());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", ready ? "READY" : "NOT_READY");
      body.put("streams", q == null ? "NOT_STARTED" : q.stores().state().name());
      if (progress != null && !progress.ready()) {
        body.put("reason", progress.reason());
      }
      ctx.status(ready ? 200 : 503).json(body);
    });

    app.get("/api/v1/participants/{id}", ctx -> {
      StatusQueries q = queries.require();
      var status = q.participant(ctx.pathParam("id"));
      if (status.isEmpty()) {
        notFound(ctx, "participant not found");
      } else {
        ctx.json(q.participantView(status.get()));
      }
    });
    app.get("/api/v1/participants/{id}/events", ctx -> {
      ParticipantTimeline timeline = queries.requireTimeline();
      ctx.json(timeline.read(ctx.pathParam("id"), limit(ctx.queryParam("limit"))));
    });
    app.get("/api/v1/participants", ctx -> {
      String office = ctx.queryParam("office");
      if (office == null || office.isBlank()) {
        ctx.status(400).json(Map.of("error", "query parameter 'office' is required"));
        return;
      }
      StatusQueries q = queries.require();
      LocalDate asOf = date(ctx, "asOf", q, clock);
      if (asOf != null) {
        asOfAnswers.participants(ctx, q, office, asOf);
        return;
      }
      Supplier<List<?>> scan = () -> q.participantsOfOffice(office).stream().map(q::participantView).toList();
      if (PeerRequests.localScope(ctx)) {
        ctx.json(fanOut.localPart(q.stores(), StatusTopology.FOLD_STORE, "participants", scan));
        return;
      }
      List<JsonNode> participants = fanOut.gather(ctx, q.stores(), StatusTopology.FOLD_STORE, "participants", scan);
      participants.sort(ParticipantJson.PARTICIPANT_ORDER);
      ctx.json(Map.of("officeId", office, "complete", true, "participants", participants));
    });

    TallyRoute tally = (ctx, key) -> tally(ctx, queries, key, asOfAnswers, clock);
    app.get("/api/v1/offices/{officeId}/tally", ctx -> tally.answer(ctx, TallyContributions.OFFICE + ctx.pathParam("officeId")));
    app.get("/api/v1/cohorts/{cohortId}/tally", ctx -> tally.answer(ctx, TallyContributions.COHORT + ctx.pathParam("cohortId")));
    app.get("/api/v1/cohorts/{cohortId}/groups/{group}/tally", ctx -> tally.answer(ctx,
        TallyContributions.cohortGroupKey(ctx.pathParam("cohortId"), ctx.pathParam("group"))));
    app.get("/api/v1/cohorts/{cohortId}/report", ctx -> {
      StatusQueries q = queries.require();
      LocalDate to = date(ctx, "to", q, clock);
      LocalDate asOf = to != null ? to : date(ctx, "asOf", q, clock);
      LocalDate from = date(ctx, "from", q, clock);
      // no date: today where the offices are, not where the caller is
      LocalDate end = asOf == null ? LocalDate.ofInstant(clock.instant(), q.zone()) : asOf;
      if (from != null && end.isBefore(from)) {
        ctx.status(400).json(Map.of("error", "a period's 'to' (default: today) must not be before its 'from'"));
        return;
      }
      asOfAnswers.cohortReport(ctx, q, ctx.pathParam("cohortId"), from, end);
    });
    app.get("/api/v1/coordinators/{id}/tally", ctx -> tally.answer(ctx, TallyContributions.COORDINATOR + ctx.pathParam("id")));
    app.get("/api/v1/specialists/{id}/tally", ctx -> tally.answer(ctx, TallyContributions.SPECIALIST + ctx.pathParam("id")));
    app.get("/api/v1/tallies/{key}", ctx -> tally.answer(ctx, ctx.pathParam("key")));
    app.get("/api/v1/tallies", ctx -> {
      String prefix = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
      StatusQueries q = queries.require();
      Supplier<List<?>> scan = () -> q.tallyKeys(prefix);
      if (PeerRequests.localScope(ctx)) {
        ctx.json(fanOut.localPart(q.stores(), StatusTopology.TALLY_STORE, "keys", scan));
        return;
      }
      ctx.json(Map.of("keys", fanOut.gather(ctx, q.stores(), StatusTopology.TALLY_STORE, "keys", scan).stream()
          .map(JsonNode::asText).sorted().toList()));
    });

    app.get("/api/v1/offices/{officeId}/review", ctx -> {
      StatusQueries q = queries.require();
      String office = ctx.pathParam("officeId");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("officeId", office);
      body.put("asOf", clock.instant().toString());
      Supplier<List<?>> scan = () -> q.reviewList(office);
      if (PeerRequests.localScope(ctx)) {
        ctx.json(fanOut.localPart(q.stores(), StatusTopology.FOLD_STORE, "participants", scan));
        return;
      }
      List<JsonNode> rows = fanOut.gather(ctx, q.stores(), StatusTopology.FOLD_STORE, "participants", scan);
      rows.sort(ParticipantJson.REVIEW_ORDER);
      body.put("complete", true);
      body.put("participants", rows);
      ctx.json(body);
    });

    app.exception(StoreAccess.Unavailable.class, (e, ctx) -> unavailable(ctx, e.getMessage()));
    // a key held by another instance is asked there, with the caller's sign-in (one hop; see PeerRequests)
    app.exception(StoreAccess.ElsewhereException.class, (e, ctx) -> {
      if (PeerRequests.wasForwarded(ctx)) {
        unavailable(ctx, "the key is moving between instances");
        return;
      }
      try {
        PeerRequests.Answer answer = peers.forward(e.host, ctx);
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
      } catch (StoreAccess.Unavailable away) {
        unavailable(ctx, away.getMessage());
      }
    });
    app.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("HTTP {} {} failed: {}", ctx.method(), ctx.matchedPath(), e.getClass().getName());
      ctx.status(500).json(Map.of("error", "internal error"));
    });

    app.start(host, port);
    return new StatusHttp(app, audit);
  }

  private static void unavailable(Context ctx, String detail) {
    ctx.status(503).header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
        .json(Map.of("error", "state not available, try again shortly", "detail", detail));
  }

  /** Answers a tally route for a key. */
  @FunctionalInterface
  private interface TallyRoute {
    void answer(Context ctx, String key);
  }

  /** The tally of {@code key}, now or as of {@code ?asOf=}. */
  private static void tally(Context ctx, QueriesHolder queries, String key, AsOfAnswers asOfAnswers, Clock clock) {
    StatusQueries q = queries.require();
    LocalDate asOf = date(ctx, "asOf", q, clock);
    if (asOf != null) {
      asOfAnswers.tally(ctx, q, key, asOf);
      return;
    }
    Optional<Tally> tally = q.tally(key);
    if (tally.isEmpty()) {
      notFound(ctx, "no tally with this key"); // the key is not repeated: anyone can put anything there
    } else {
      ctx.json(AvroJson.toMap(tally.get()));
    }
  }

  /** The {@code limit} parameter: a number, else the default; bounded by the timeline. */
  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return ParticipantTimeline.DEFAULT_LIMIT;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("query parameter 'limit' must be a number");
    }
  }

  /**
   * The date in query parameter {@code name}, from {@link AsOf#EARLIEST} to today; null when absent. Anything
   * else is an IllegalArgumentException naming the parameter (400).
   */
  private static LocalDate date(Context ctx, String name, StatusQueries q, Clock clock) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be an ISO-8601 date, e.g. 2021-12-31");
    }
    return AsOf.checked(name, date, LocalDate.ofInstant(clock.instant(), q.zone()));
  }

  private static void notFound(Context ctx, String message) {
    ctx.status(404).json(Map.of("error", message));
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      audit.close();
    }
  }

  /** Lets the server start (and its port be known) before the Streams instance exists. */
  public static final class QueriesHolder {
    private volatile StatusQueries queries;
    private volatile Supplier<StreamsRunner.Readiness> progress;
    private volatile ParticipantTimeline timeline;

    public void set(StatusQueries q) {
      this.queries = q;
    }

    /** The queries, and whether the application makes progress (readiness says so too). */
    public void set(StatusQueries q, Supplier<StreamsRunner.Readiness> progress) {
      this.progress = progress;
      this.queries = q;
    }

    /** The timeline query, which reads the same stores as {@code queries}. */
    public void setTimeline(ParticipantTimeline value) {
      this.timeline = value;
    }

    ParticipantTimeline requireTimeline() {
      require(); // the same answer as every query while Streams does not exist yet
      ParticipantTimeline t = timeline;
      if (t == null) {
        throw new StoreAccess.Unavailable("timeline not set up");
      }
      return t;
    }

    StatusQueries get() {
      return queries;
    }

    StreamsRunner.Readiness progress() {
      Supplier<StreamsRunner.Readiness> source = progress;
      return source == null ? null : source.get();
    }

    StatusQueries require() {
      StatusQueries q = queries;
      if (q == null) {
        throw new StoreAccess.Unavailable("streams not started");
      }
      return q;
    }
  }
}
