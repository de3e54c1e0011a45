package no.followup.status.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import no.followup.common.audit.AuditLog;
import no.followup.common.http.RequireSignIn;
import no.followup.common.rules.IdShapes;

/**
 * The status API's audit of person-level reads: every answer of a route that holds participants'
 * statuses or events (one participant, an office's list, a review list) is recorded in the audit
 * log before it is sent, with the signed-in service, the route, its parameters and the answer's
 * status; a read that cannot be recorded is not served (the log throws, and the answer is a 500).
 * Tallies and cohort reports are counts, and are not recorded here.
 *
 * <p>Only parameters this API defines are recorded, and a value only when it has the shape of what
 * the parameter holds (an id, an office number, a date, a number): a caller who puts an identity
 * number or a name in a URL does not get it into the audit log.
 */
final class ReadAudit {

  /** The routes that answer with participants' data. */
  static final List<String> PERSON_LEVEL_ROUTES = List.of(
      "/api/v1/participants/{id}",
      "/api/v1/participants/{id}/events",
      "/api/v1/participants",
      "/api/v1/offices/{officeId}/review");

  private static final Set<String> RECORDED_PARAMETERS = Set.of("id", "officeId", "office", "asOf", "limit",
      PeerRequests.SCOPE);
  private static final Pattern DATE_OR_NUMBER = Pattern.compile("^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,6})$");
  static final String NOT_AN_ID = "(not an id)";

  private final AuditLog audit;

  ReadAudit(AuditLog audit) {
    this.audit = audit;
  }

  void install(Javalin app) {
    for (String route : PERSON_LEVEL_ROUTES) {
      app.after(route, this::record);
    }
  }

  private void record(Context ctx) {
    // a request refused at sign-in read nothing
    RequireSignIn.signedInCaller(ctx).ifPresent(caller ->
        audit.apiRead(caller, ctx.matchedPath(), parameters(ctx), ctx.statusCode()));
  }

  private static Map<String, String> parameters(Context ctx) {
    Map<String, String> recorded = new LinkedHashMap<>();
    ctx.pathParamMap().forEach((name, value) -> recorded.put(name, shown(value)));
    ctx.queryParamMap().forEach((name, values) -> {
      if (RECORDED_PARAMETERS.contains(name) && !values.isEmpty()) {
        recorded.put(name, shown(values.get(0)));
      }
    });
    return recorded;
  }

  private static String shown(String value) {
    boolean anId = IdShapes.isPseudonymousId(value) || IdShapes.isNavUnitNumber(value)
        || DATE_OR_NUMBER.matcher(value).matches();
    return anId && !IdShapes.looksLikeNationalIdentityNumber(value) ? value : NOT_AN_ID;
  }
}
