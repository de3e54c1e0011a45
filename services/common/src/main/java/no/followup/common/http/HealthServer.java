package no.followup.common.http;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import no.followup.common.metrics.ServiceMetrics;

/**
 * The HTTP side of a service without an API of its own: {@code GET /health/live} (always
 * {@code {"status":"UP"}}), {@code GET /health/ready} (200 {@code {"status":"UP", ...}} when ready,
 * else 503 {@code {"status":"DOWN", ...}}, followed by the readiness details) and any extra
 * read-only JSON routes, and the service's Prometheus metrics at {@code GET /metrics}. Unexpected errors answer 500 {@code {"error": "<exception class>"}}.
 */
public final class HealthServer implements AutoCloseable {

  private final Javalin app;

  private HealthServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts serving on {@code host:port} (0 = any free port).
   *
   * @param ready whether the service is ready (answers 200 rather than 503)
   * @param readyDetails extra fields of the readiness body, name to value, e.g. the Streams state
   * @param jsonRoutes extra GET routes, path to the supplier of their JSON body
   * @param metrics served at {@code /metrics}, with this server's requests timed
   */
  public static HealthServer start(String host, int port, Supplier<Boolean> ready,
      Map<String, Supplier<?>> readyDetails, Map<String, Supplier<?>> jsonRoutes, ServiceMetrics metrics) {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
    });
    metrics.install(app);
    app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/health/ready", ctx -> {
      boolean isReady = ready.get();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", isReady ? "UP" : "DOWN");
      readyDetails.forEach((name, value) -> body.put(name, value.get()));
      ctx.status(isReady ? 200 : 503).json(body);
    });
    jsonRoutes.forEach((path, body) -> app.get(path, ctx -> ctx.json(body.get())));
    app.exception(Exception.class, (e, ctx) -> ctx.status(500).json(Map.of("error", e.getClass().getSimpleName())));
    app.start(host, port);
    return new HealthServer(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
