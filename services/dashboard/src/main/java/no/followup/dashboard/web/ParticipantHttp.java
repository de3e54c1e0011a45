package no.followup.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.common.rules.IdShapes;
import no.followup.dashboard.forms.EventForms;
import no.followup.dashboard.forms.FormCatalog;
import no.followup.dashboard.participant.ParticipantPage;
import no.followup.dashboard.participant.ParticipantViews;
import no.followup.dashboard.tasks.ApiResult;
import no.followup.dashboard.views.Filters;

/**
 * The participant page and its forms over HTTP:
 * <ul>
 *   <li>{@code GET /participants/{id}}: the page (its data comes from the API and the live stream);</li>
 *   <li>{@code POST /participants} {@code id=p-7f3a9c}: the search on a pseudonymous id, redirects to the page
 *       (a form post, so what was typed stays out of addresses and the browser's history);</li>
 *   <li>{@code GET /api/v1/participants/{id}}: the page's data; every answer audited;</li>
 *   <li>{@code GET /api/v1/stream?view=participant&participant={id}}: the same, live (each push audited);</li>
 *   <li>{@code GET /api/v1/forms}: the forms, generated from the event contract ({@link FormCatalog});</li>
 *   <li>{@code POST /api/v1/participants/{id}/events}: a filled-in form ({@link EventForms}).</li>
 * </ul>
 * A participant the reader may not see answers exactly as an unknown one: 404.
 */
public final class ParticipantHttp {

  /** The live stream's name for a participant page, in the audit log too. */
  public static final String VIEW = "participant";

  private final ParticipantViews pages;
  private final EventForms forms;
  private final FormCatalog catalog;
  private final LiveUpdates live;
  private final AuditLog audit;
  private final String pageHtml;

  public ParticipantHttp(ParticipantViews pages, EventForms forms, FormCatalog catalog, LiveUpdates live, AuditLog audit) {
    this.pages = pages;
    this.forms = forms;
    this.catalog = catalog;
    this.live = live;
    this.audit = audit;
    this.pageHtml = DashboardHttp.resource("web/participant.html");
  }

  void routes(Javalin app) {
    app.post("/participants", this::search);
    app.get("/participants/{id}", ctx -> ctx.html(pageHtml));
    app.get("/api/v1/participants/{id}", this::read);
    app.get("/api/v1/forms", ctx -> DashboardHttp.json(ctx, 200, Map.of("forms", catalog.forms())));
    app.post("/api/v1/participants/{id}/events", this::record);
    app.exception(ParticipantViews.NotFound.class, (e, ctx) -> {
      ObjectNode body = DashboardHttp.error(e.getMessage());
      // a person who may enrol is offered the enrolment of the id instead
      body.set("recordable", Json.MAPPER.valueToTree(pages.recordableForNew(DashboardHttp.user(ctx))));
      DashboardHttp.json(ctx, 404, body);
    });
  }

  /** Opens a connected page's live stream of one participant's page. */
  void connect(SseClient client, Caller user, String participantId, BooleanSupplier stillSignedIn) {
    if (!isParticipantId(participantId)) {
      client.sendEvent("failure", Json.write(DashboardHttp.error("no such participant")));
      client.close();
      return;
    }
    live.connect(client, user, VIEW, Filters.NONE, stillSignedIn, () -> pages.page(user, participantId));
  }

  private void search(Context ctx) {
    String id = ctx.formParam("id") == null ? "" : ctx.formParam("id").trim();
    String lang = Messages.language(ctx.formParam("lang"));
    if (!isParticipantId(id)) {
      ctx.redirect("/?view=worklist&lang=" + lang + "&search=invalid", HttpStatus.SEE_OTHER);
      return;
    }
    ctx.redirect("/participants/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?lang=" + lang, HttpStatus.SEE_OTHER);
  }

  private static boolean isParticipantId(String id) {
    // what the search accepts: the intake's pseudonymous id, never eleven digits (anything else is not a participant id)
    return IdShapes.isPseudonymousId(id);
  }

  private void read(Context ctx) {
    Caller user = DashboardHttp.user(ctx);
    ParticipantPage page = pages.page(user, ctx.pathParam("id"));
    audit.read(user, "api", VIEW, Map.of(), page.participantIds());
    DashboardHttp.json(ctx, 200, page);
  }

  private void record(Context ctx) {
    Caller user = DashboardHttp.user(ctx);
    String body = ctx.body();
    if (body.length() > EventForms.MAX_BODY_CHARS) {
      DashboardHttp.json(ctx, 413, DashboardHttp.error("the form is too large"));
      return;
    }
    JsonNode form;
    try {
      form = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      form = null;
    }
    if (form == null || !form.isObject()) {
      DashboardHttp.json(ctx, 400, DashboardHttp.error("the body must be a JSON object"));
      return;
    }
    String participantId = ctx.pathParam("id");
    if (!isParticipantId(participantId)) {
      ObjectNode error = DashboardHttp.error("invalid form; nothing was recorded");
      error.set("fields", Json.MAPPER.valueToTree(List.of(Map.of("field", "participantId",
          "message", "must be a pseudonymous id: letters, digits, '-', '_', '.', ':' (at most 64), never an identity number"))));
      DashboardHttp.json(ctx, 400, error);
      return;
    }
    ApiResult result = forms.submit(user, participantId, form);
    DashboardHttp.json(ctx, result.status(), result.body());
  }
}
