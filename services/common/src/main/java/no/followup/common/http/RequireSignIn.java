package no.followup.common.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.common.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in at a service's HTTP door: a request for a path under the protected prefix must carry a
 * bearer token the authenticator accepts (else 401), from a caller the door admits (else 403), before
 * any handler runs or any body is read. Health endpoints live outside the prefix and stay open. The
 * answers name no data: not the token, not what the request was for.
 */
public final class RequireSignIn {

  private static final Logger log = LoggerFactory.getLogger(RequireSignIn.class);
  private static final String CALLER = RequireSignIn.class.getName() + ".caller";
  /** Seconds a caller should wait when the identity provider cannot be reached. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final BearerAuthenticator authenticator;
  private final String protectedPrefix;
  private final Predicate<Caller> admitted;
  private final String refusal;

  /**
   * @param protectedPrefix every path starting with it needs sign-in, e.g. {@code /api/}
   * @param admitted which signed-in callers this door lets in at all
   * @param refusal the 403 message for a signed-in caller it does not admit
   */
  public RequireSignIn(BearerAuthenticator authenticator, String protectedPrefix, Predicate<Caller> admitted, String refusal) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.protectedPrefix = Objects.requireNonNull(protectedPrefix, "protectedPrefix");
    this.admitted = Objects.requireNonNull(admitted, "admitted");
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  /** Checks every request of {@code app} before its handlers. */
  public void install(Javalin app) {
    app.before(this::check);
    app.exception(Refused.class, (e, ctx) -> {
      if (e.status == 401) {
        // RFC 6750 section 3: say that a bearer token is wanted, and whether the one sent was refused
        ctx.header("WWW-Authenticate", e.tokenSent ? "Bearer realm=\"followup\", error=\"invalid_token\"" : "Bearer realm=\"followup\"");
      }
      json(ctx, e.status, e.getMessage());
    });
    app.exception(BearerAuthenticator.AuthUnavailableException.class, (e, ctx) -> {
      log.warn("Sign-in cannot be checked: {}", e.getMessage());
      ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
      json(ctx, 503, "sign-in cannot be checked now; try again");
    });
  }

  /** The signed-in caller of the request; empty when it was not signed in (refused, or not under the protected prefix). */
  public static Optional<Caller> signedInCaller(Context ctx) {
    return Optional.ofNullable(ctx.attribute(CALLER));
  }

  /** The signed-in caller of a request under the protected prefix. */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      throw new IllegalStateException("no signed-in caller: the path is not under the protected prefix");
    }
    return caller;
  }

  private void check(Context ctx) {
    if (!ctx.path().startsWith(protectedPrefix)) {
      return;
    }
    String header = ctx.header("Authorization");
    Caller caller = authenticator.authenticate(header)
        .orElseThrow(() -> new Refused(401, "authentication required", header != null));
    if (!admitted.test(caller)) {
      // the path is not logged: it can hold a participant id
      log.info("Refused a {} request: the caller's roles {} are not admitted here", ctx.method(), caller.roleNames());
      throw new Refused(403, refusal, true);
    }
    ctx.attribute(CALLER, caller);
  }

  private static void json(Context ctx, int status, String error) {
    ctx.status(status).contentType("application/json").result(Json.mapper().createObjectNode().put("error", error).toString());
  }

  /** Ends a request that may not go on. */
  private static final class Refused extends RuntimeException {
    final int status;
    final boolean tokenSent;

    Refused(int status, String message, boolean tokenSent) {
      super(message, null, false, false);
      this.status = status;
      this.tokenSent = tokenSent;
    }
  }
}
