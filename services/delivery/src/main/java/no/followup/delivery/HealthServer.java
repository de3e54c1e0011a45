package no.followup.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.function.Supplier;

/** Health and stats endpoints of the delivery service. */
final class HealthServer implements AutoCloseable {

  private final Javalin app;

  private HealthServer(Javalin app) {
    this.app = app;
  }

  static HealthServer start(String host, int port, Supplier<Boolean> ready, Supplier<Map<String, Long>> stats) {
    ObjectMapper mapper = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(mapper, false));
    });
    app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/health/ready", ctx -> {
      boolean isReady = ready.get();
      ctx.status(isReady ? 200 : 503).json(Map.of("status", isReady ? "UP" : "DOWN"));
    });
    app.get("/stats", ctx -> ctx.json(stats.get()));
    app.exception(Exception.class, (e, ctx) -> ctx.status(500).json(Map.of("error", e.getClass().getSimpleName())));
    app.start(host, port);
    return new HealthServer(app);
  }

  int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
