package no.followup.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;
import no.followup.common.http.RequestBodyLimit;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.dashboard.auth.AccessPolicy;
import no.followup.dashboard.auth.Authenticator;
import no.followup.dashboard.auth.LocalTokenAuthenticator;
import no.followup.dashboard.tasks.ApiResult;
import no.followup.dashboard.tasks.TaskActions;
import no.followup.dashboard.views.DashboardViews;
import no.followup.dashboard.views.Filters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side: the page, the local sign-in, the JSON API behind the page, the live
 * stream and health. Every request except health, metrics, the sign-in page and static assets (code
 * and styles, no data) must be authenticated: API and stream requests without credentials get 401,
 * page requests are sent to the sign-in.
 */
public final class DashboardHttp {

  private static final Logger log = LoggerFactory.getLogger(DashboardHttp.class);

  public static final String SESSION_COOKIE = "followup_session";
  public static final List<String> VIEWS = List.of("overview", "worklist", "review", "tasks", "report");
  static final String USER = "dashboard.user";

  /** Signals a request without valid credentials. */
  static final class Unauthenticated extends RuntimeException {
    Unauthenticated() {
      super("authentication required");
    }
  }

  private final Authenticator auth;
  private final LocalTokenAuthenticator localLogin;
  private final String loginUrl;
  private final AccessPolicy policy;
  private final DashboardViews views;
  private final TaskActions actions;
  private final AuditLog audit;
  private final Messages messages;
  private final LiveUpdates live;
  private final BooleanSupplier ready;
  private final Duration sessionTtl;
  private final boolean cookieSecure;
  private final String indexHtml;
  private final String loginHtml;
  private ParticipantHttp participants;

  /**
   * @param auth authenticates every request
   * @param localLogin the local token's sign-in of local mode; null in OIDC mode
   * @param loginUrl where pages send a browser without credentials in OIDC mode (the login proxy); null answers 401
   * @param cookieSecure mark the session cookie Secure even on a plain-http request (behind a TLS-terminating proxy)
   */
  public DashboardHttp(Authenticator auth, LocalTokenAuthenticator localLogin, String loginUrl, boolean cookieSecure,
      AccessPolicy policy, DashboardViews views, TaskActions actions, AuditLog audit, Messages messages, LiveUpdates live,
      BooleanSupplier ready, Duration sessionTtl) {
    this.auth = auth;
    this.localLogin = localLogin;
    this.loginUrl = loginUrl;
    this.cookieSecure = cookieSecure;
    this.policy = policy;
    this.views = views;
    this.actions = actions;
    this.audit = audit;
    this.messages = messages;
    this.live = live;
    this.ready = ready;
    this.sessionTtl = sessionTtl;
    this.indexHtml = resource("web/index.html");
    this.loginHtml = resource("web/login.html");
  }

  /** Adds the participant pages and their forms. */
  public DashboardHttp withParticipants(ParticipantHttp pages) {
    this.participants = pages;
    return this;
  }

  /** Computes a view by name; the live stream uses the same code as the API. */
  public Object render(Caller user, String view, Filters filters) {
    return switch (view) {
      case "overview" -> views.overview(user, filters);
      case "worklist" -> views.worklist(user, filters);
      case "review" -> views.review(user, filters);
      case "tasks" -> views.tasks(user, filters, true);
      case "report" -> views.report(user, filters);
      default -> throw new IllegalArgumentException("unknown view " + view);
    };
  }

  /** Largest request body read: a form is at most {@link no.followup.dashboard.forms.EventForms#MAX_BODY_CHARS}, a sign-in far less. */
  static final int MAX_REQUEST_BODY_BYTES = 64 * 1024;

  /** A configured, not yet started server. */
  public Javalin create() {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      RequestBodyLimit.install(cfg, MAX_REQUEST_BODY_BYTES);
      cfg.staticFiles.add(sf -> {
        sf.hostedPath = "/static";
        sf.directory = "/web/static";
        sf.location = Location.CLASSPATH;
      });
    });
    RequestBodyLimit.answerTooLarge(app);
    app.before(this::securityHeaders);
    app.before(this::authenticate);

    app.get("/", ctx -> ctx.html(indexHtml));
    app.get("/login", this::loginPage);
    app.post("/login", this::login);
    app.post("/logout", this::logout);

    app.get("/api/v1/me", this::me);
    app.get("/api/v1/labels", ctx -> json(ctx, 200, messages.labels(ctx.queryParam("lang"))));
    app.get("/api/v1/overview", ctx -> read(ctx, "overview"));
    app.get("/api/v1/worklist", ctx -> read(ctx, "worklist"));
    app.get("/api/v1/review", ctx -> read(ctx, "review"));
    app.get("/api/v1/report", ctx -> read(ctx, "report"));
    app.get("/api/v1/tasks", ctx -> {
      Caller user = user(ctx);
      boolean openOnly = !"all".equalsIgnoreCase(ctx.queryParam("state"));
      Filters filters = Filters.from(ctx::queryParam);
      respond(ctx, user, "tasks", filters, views.tasks(user, filters, openOnly));
    });
    app.post("/api/v1/tasks/{taskId}/done", this::markDone);
    if (participants != null) {
      participants.routes(app);
    }
    app.sse("/api/v1/stream", client -> {
      Context ctx = client.ctx();
      Caller user = ctx.attribute(USER);
      String view = Optional.ofNullable(ctx.queryParam("view")).orElse("overview");
      Authenticator.Credentials signedIn =
          new Authenticator.Credentials(ctx.header("Authorization"), ctx.cookie(SESSION_COOKIE));
      if (view.equals(ParticipantHttp.VIEW) && participants != null) {
        client.keepAlive();
        participants.connect(client, user, ctx.queryParam("participant"), () -> stillSignedIn(signedIn, user));
        return;
      }
      if (!VIEWS.contains(view)) {
        // the value is not repeated: anyone can put anything there
        client.sendEvent("failure", Json.write(error("unknown view (view: one of " + VIEWS + ")")));
        client.close();
        return;
      }
      Filters filters;
      try {
        filters = Filters.from(ctx::queryParam);
      } catch (IllegalArgumentException badFilter) {
        // a failure event, not a 400: a browser's EventSource cannot read an error answer, and would
        // only try again; the event names the parameter, never its value
        client.sendEvent("failure", Json.write(error(badFilter.getMessage()).put("view", view).put("filter", true)));
        client.close();
        return;
      }
      client.keepAlive();
      // the stream outlives the request: its credentials are checked again before every push
      live.connect(client, user, view, filters, () -> stillSignedIn(signedIn, user));
    });

    app.get("/health/live", ctx -> json(ctx, 200, Json.MAPPER.createObjectNode().put("status", "UP")));
    app.get("/health/ready", ctx -> {
      boolean isReady = ready.getAsBoolean();
      json(ctx, isReady ? 200 : 503, Json.MAPPER.createObjectNode().put("status", isReady ? "READY" : "NOT_READY"));
    });

    app.exception(Unauthenticated.class, (e, ctx) -> unauthenticated(ctx));
    app.exception(Refused.class, (e, ctx) -> json(ctx, e.status, error(e.getMessage())));
    app.exception(DashboardViews.RowsNotAllowedException.class, (e, ctx) -> json(ctx, 403, error(e.getMessage())));
    app.exception(BearerAuthenticator.AuthUnavailableException.class, (e, ctx) -> {
      log.warn("Authentication unavailable: {}", e.getMessage());
      json(ctx, 503, error("authentication is unavailable; try again"));
    });
    app.exception(IllegalArgumentException.class, (e, ctx) -> json(ctx, 400, error(e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("Unexpected failure handling {} {}", ctx.method(), ctx.path(), e);
      json(ctx, 500, error("internal error"));
    });
    app.error(404, ctx -> {
      if (ctx.result() == null) {
        json(ctx, 404, error("not found"));
      }
    });
    return app;
  }

  // ---- authentication -------------------------------------------------------------------------------

  /** The same staff member is still signed in with these credentials (not logged out, not expired). */
  private boolean stillSignedIn(Authenticator.Credentials credentials, Caller user) {
    try {
      return auth.authenticate(credentials).map(current -> current.id().equals(user.id())).orElse(false);
    } catch (RuntimeException cannotCheck) {
      return false; // the page reconnects and signs in again; better than streaming unchecked
    }
  }

  private static boolean isPublic(String path) {
    // metrics carry counts and timings only, no participant data; scrapers do not sign in
    return path.equals("/login") || path.startsWith("/static/") || path.startsWith("/health/") || path.equals("/favicon.ico")
        || path.equals(ServiceMetrics.PATH);
  }

  private void authenticate(Context ctx) {
    if (isPublic(ctx.path())) {
      return;
    }
    Optional<Caller> user = auth.authenticate(
        new Authenticator.Credentials(ctx.header("Authorization"), ctx.cookie(SESSION_COOKIE)));
    if (user.isEmpty()) {
      throw new Unauthenticated();
    }
    if (!policy.admits(user.get())) {
      throw new Refused(403, "this sign-in grants no dashboard role");
    }
    if (!ctx.method().name().equals("GET") && ctx.header("Authorization") == null && !sameOrigin(ctx)) {
      // cookie-authenticated writes must come from the dashboard's own pages
      throw new Refused(403, "cross-origin request refused");
    }
    ctx.attribute(USER, user.get());
  }

  /** A request refused with a status and a message. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) {
      return origin == null; // no Origin: not a browser cross-site request; "null": opaque origin, refuse
    }
    try {
      URI o = URI.create(origin);
      String host = ctx.header("Host");
      String originHost = o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort());
      return host != null && host.equalsIgnoreCase(originHost);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void unauthenticated(Context ctx) {
    if (ctx.path().startsWith("/api/")) {
      ctx.header("WWW-Authenticate", localLogin != null ? "Session" : "Bearer");
      json(ctx, 401, error("authentication required"));
      return;
    }
    String target = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    if (localLogin != null) {
      ctx.redirect("/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
      return;
    }
    if (loginUrl != null) {
      ctx.redirect(loginUrl + (loginUrl.contains("?") ? "&" : "?") + "redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
      return;
    }
    ctx.status(401).header("WWW-Authenticate", "Bearer").html(
        "<!doctype html><html lang=\"nb\"><meta charset=\"utf-8\"><title>401</title>"
            + "<p>Innlogging kreves / Sign-in required.</p></html>");
  }

  private void loginPage(Context ctx) {
    if (localLogin == null) {
      unauthenticated(ctx);
      return;
    }
    String lang = Messages.language(ctx.queryParam("lang"));
    Map<String, String> labels = messages.labels(lang);
    String next = safeNext(ctx.queryParam("next"));
    String page = loginHtml;
    for (String key : List.of("app.title", "login.heading", "login.localHint", "login.token", "login.submit")) {
      page = page.replace("{{" + key + "}}", escape(labels.get(key)));
    }
    page = page.replace("{{lang}}", lang)
        .replace("{{error}}", ctx.queryParam("error") == null ? ""
            : "<p id=\"login-error\" class=\"error\" role=\"alert\">" + escape(labels.get("login.error")) + "</p>")
        .replace("{{nextEncoded}}", escape(URLEncoder.encode(next, StandardCharsets.UTF_8)))
        .replace("{{next}}", escape(next));
    ctx.html(page);
  }

  /** HTML-escapes text for element content and quoted attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  private void login(Context ctx) {
    if (localLogin == null) {
      json(ctx, 404, error("local sign-in is off; use the organisation's sign-in"));
      return;
    }
    String next = safeNext(ctx.formParam("next"));
    Optional<String> session = localLogin.exchange(ctx.formParam("token"));
    if (session.isEmpty()) {
      log.info("Local sign-in refused (wrong or used token)");
      String lang = Messages.language(ctx.formParam("lang"));
      ctx.redirect("/login?error=1&lang=" + lang + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8),
          io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    log.info("Local sign-in accepted");
    ctx.header("Set-Cookie", SESSION_COOKIE + "=" + session.get() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + sessionTtl.toSeconds() + secure(ctx));
    ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    if (localLogin != null) {
      localLogin.logout(ctx.cookie(SESSION_COOKIE));
    }
    ctx.header("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + secure(ctx));
    ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /**
   * The cookie attribute that keeps the session off plain http. A request that reached us over http
   * says nothing about the browser's side of a TLS-terminating proxy, hence the setting.
   */
  private String secure(Context ctx) {
    return cookieSecure || "https".equals(ctx.scheme()) ? "; Secure" : "";
  }

  /**
   * Where to go after signing in: a path of this site, else {@code /}. Browsers read a Location
   * leniently (they drop tabs and newlines and take {@code \} for {@code /}, so {@code /<TAB>/evil} and
   * {@code /\evil} lead to another host), so only printable ASCII without {@code \} or spaces passes, and
   * never {@code //}. The value is checked as given and once more percent-decoded, so that an encoded
   * {@code //} cannot turn into one further on.
   */
  static String safeNext(String next) {
    if (next == null || !isLocalPath(next) || next.startsWith("/login")) {
      return "/";
    }
    try {
      // '+' is kept: it is not an escape in a path, and decoding it to a space would refuse good queries
      return isLocalPath(URLDecoder.decode(next.replace("+", "%2B"), StandardCharsets.UTF_8)) ? next : "/";
    } catch (IllegalArgumentException malformedEscape) {
      return "/";
    }
  }

  private static boolean isLocalPath(String candidate) {
    if (!candidate.startsWith("/") || candidate.startsWith("//")) {
      return false;
    }
    return candidate.chars().allMatch(c -> c > ' ' && c < 127 && c != '\\');
  }

  // ---- API ------------------------------------------------------------------------------------------

  static Caller user(Context ctx) {
    Caller user = ctx.attribute(USER);
    if (user == null) {
      throw new Unauthenticated();
    }
    return user;
  }

  private void me(Context ctx) {
    Caller user = user(ctx);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("staffId", user.id());
    body.set("roles", Json.MAPPER.valueToTree(user.roleNames()));
    body.set("offices", Json.MAPPER.valueToTree(user.officeList()));
    body.put("allOffices", user.allOffices());
    body.put("localMode", user.local());
    body.put("participantRows", policy.seesParticipantRows(user));
    body.put("zone", views.zone().getId());
    json(ctx, 200, body);
  }

  private void read(Context ctx, String view) {
    Caller user = user(ctx);
    Filters filters = Filters.from(ctx::queryParam);
    respond(ctx, user, view, filters, render(user, view, filters));
  }

  private void respond(Context ctx, Caller user, String view, Filters filters, Object data) {
    ViewAudit.record(audit, user, "api", view, filters.asMap(), data);
    json(ctx, 200, data);
  }

  private void markDone(Context ctx) {
    Caller user = user(ctx);
    String outcome = null;
    String body = ctx.body();
    if (!body.isBlank()) {
      try {
        JsonNode node = Json.MAPPER.readTree(body);
        outcome = node.path("outcome").isTextual() ? node.get("outcome").asText() : null;
      } catch (IOException e) {
        json(ctx, 400, error("the body must be JSON like {\"outcome\": \"ATTENDED\"}"));
        return;
      }
    }
    if (outcome == null) {
      json(ctx, 400, error("outcome is required, e.g. {\"outcome\": \"ATTENDED\"}"));
      return;
    }
    ApiResult result = actions.markDone(user, ctx.pathParam("taskId"), outcome);
    json(ctx, result.status(), result.body());
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    // no address of this site goes to another; and a browser sends a form post's Origin only under a policy
    // other than no-referrer (else "null"), which the cross-origin check of writes refuses (sign-out, search)
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    if (!ctx.path().startsWith("/static/")) {
      ctx.header("Cache-Control", "no-store");
    }
  }

  static ObjectNode error(String message) {
    return Json.MAPPER.createObjectNode().put("error", message);
  }

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(Json.write(body));
  }

  static String resource(String name) {
    try (InputStream in = DashboardHttp.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
