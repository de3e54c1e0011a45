package no.followup.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.common.Topics;
import no.followup.common.http.RequestBodyLimit;
import no.followup.registry.CompatibilityLevel;
import no.followup.registry.CompatibilityResult;
import no.followup.registry.RegisteredSchema;
import no.followup.registry.RestSchemaRegistryClient;
import no.followup.registry.SchemaRegistryException;
import no.followup.registry.SchemaRegistryState;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small schema registry speaking the subset of the Confluent Schema Registry REST API this
 * project uses, for the local stack and tests. <strong>A local convenience, not a product:</strong>
 * Avro only, no schema references, no subject deletion, no modes, one instance per schema topic (no
 * leader election). With a {@link RegistryUser} every request but the health checks needs that
 * user's HTTP basic credentials, or is answered 401 as Confluent's registry answers it; without
 * one (tests and the benchmark, on 127.0.0.1) it is open. Production points the services at a real Confluent-compatible
 * registry; the same client and serdes work against both (the contract test suite checks this API
 * against either).
 *
 * <p>Schemas are kept in a compacted, single-partition Kafka topic ({@code _schemas} by default,
 * created here), in Confluent's record layout, so ids survive restarts of the local stack: the topic
 * is read to its end at start, and each change is acknowledged by the broker before it is answered.
 * Compatibility follows Avro's own {@code SchemaCompatibility} ({@link no.followup.registry.CompatibilityChecker}),
 * BACKWARD unless configured otherwise.
 *
 * <pre>{@code
 * try (LocalSchemaRegistry registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0)) {
 *   serdeConfig.put("schema.registry.url", registry.url());
 * }
 * }</pre>
 */
public final class LocalSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);

  public static final String DEFAULT_TOPIC = Topics.SCHEMA_STORE;
  private static final String CONTENT_TYPE = RestSchemaRegistryClient.CONTENT_TYPE;
  private static final String HANDLED = "registry.error.handled";

  /** How to start a registry; port 0 picks a free port; {@code user} null: no sign-in. */
  public record Options(String bootstrapServers, String host, int port, String topic, RegistryUser user) {
    /** Open, on 127.0.0.1: for tests and the benchmark. */
    public static Options of(String bootstrapServers, int port) {
      return new Options(bootstrapServers, "127.0.0.1", port, DEFAULT_TOPIC, null);
    }

    public Options withUser(RegistryUser registryUser) {
      return new Options(bootstrapServers, host, port, topic, registryUser);
    }
  }

  private final SchemaRegistryState state = new SchemaRegistryState(CompatibilityLevel.BACKWARD);
  private final SchemaLog schemaLog;
  private final ObjectMapper json = new ObjectMapper();
  private final ConcurrentMap<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
  private final Javalin app;
  private final String host;
  private final RegistryUser user;

  private LocalSchemaRegistry(SchemaLog schemaLog, String host, int port, RegistryUser user) {
    this.schemaLog = schemaLog;
    this.host = host;
    this.user = user;
    schemaLog.load(state);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.defaultContentType = CONTENT_TYPE;
      // a schema and its JSON wrapping: the client reads no answer larger than this either
      RequestBodyLimit.install(config, RestSchemaRegistryClient.MAX_ANSWER_BYTES);
      config.requestLogger.http((ctx, millis) -> countRequest(ctx));
    });
    RequestBodyLimit.answerTooLarge(app);
    if (user != null) {
      app.before(this::requireSignIn);
    }
    routes();
    app.start(host, port);
    log.info("Local schema registry listening on {} ({})", url(), user == null ? "open" : "basic auth, user " + user.name());
  }

  /** Starts a registry keeping its schemas in topic {@code _schemas} of the given cluster, on 127.0.0.1. */
  public static LocalSchemaRegistry start(String bootstrapServers, int port) {
    return start(Options.of(bootstrapServers, port));
  }

  public static LocalSchemaRegistry start(Options options) {
    KafkaSchemaLog kafkaLog = new KafkaSchemaLog(options.bootstrapServers(), options.topic());
    try {
      return new LocalSchemaRegistry(kafkaLog, options.host(), options.port(), options.user());
    } catch (RuntimeException e) {
      kafkaLog.close();
      throw e;
    }
  }

  /** A registry keeping its schemas in memory only (gone when closed): for tests that need the REST API but no Kafka. */
  public static LocalSchemaRegistry startInMemory(int port) {
    return startInMemory(port, null);
  }

  /** As {@link #startInMemory(int)}, letting in only {@code user} (null: anyone). */
  public static LocalSchemaRegistry startInMemory(int port, RegistryUser user) {
    return new LocalSchemaRegistry(SchemaLog.NONE, "127.0.0.1", port, user);
  }

  /** The address, without credentials: safe to print. */
  public String url() {
    return "http://" + host + ":" + port();
  }

  /**
   * The address with the user's credentials in it ({@code http://user:password@host:port}), as the
   * services take it in {@code SCHEMA_REGISTRY_URL}; the same as {@link #url()} when open. Never log it.
   */
  public String urlForClients() {
    return user == null ? url() : "http://" + user.name() + ":" + user.password() + "@" + host + ":" + port();
  }

  public int port() {
    return app.port();
  }

  /** Requests answered so far, by method and route, e.g. {@code "POST /subjects/{subject}/versions" -> 1}. */
  public Map<String, Long> requestCounts() {
    Map<String, Long> counts = new TreeMap<>();
    requestCounts.forEach((route, count) -> counts.put(route, count.get()));
    return counts;
  }

  /** Requests answered so far for one method and route template, e.g. {@code ("GET", "/schemas/ids/{id}")}. */
  public long requestCount(String method, String route) {
    AtomicLong count = requestCounts.get(method + " " + route);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    app.stop();
    schemaLog.close();
  }

  /**
   * Lets a request through with the user's basic credentials; health checks are open, as a
   * container's probe has none. A refusal is Confluent's: 401, {@code WWW-Authenticate: Basic},
   * error code 401, and it names nothing that was offered.
   */
  /** The Basic credentials offered, or null for none or a header that is not Basic credentials. */
  private static io.javalin.security.BasicAuthCredentials offeredCredentials(Context ctx) {
    try {
      return ctx.basicAuthCredentials();
    } catch (RuntimeException notBasicCredentials) {
      return null; // Javalin fails on bad Base64 or a missing ':'; a refusal, not a server error
    }
  }

  private void requireSignIn(Context ctx) {
    if (ctx.path().startsWith("/health/")) {
      return;
    }
    var offered = offeredCredentials(ctx);
    if (offered != null && user.matches(offered.getUsername(), offered.getPassword())) {
      return;
    }
    ctx.header("WWW-Authenticate", "Basic realm=\"schema-registry\"");
    error(ctx, 401, 401, "Unauthorized");
    ctx.skipRemainingHandlers();
  }

  // --- routes ---

  private void routes() {
    app.get("/", ctx -> ctx.result("{}"));
    app.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
    app.get("/health/ready", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
    app.get("/schemas/types", ctx -> ctx.result("[\"AVRO\"]"));

    app.post("/subjects/{subject}/versions", ctx -> {
      String subject = ctx.pathParam("subject");
      Schema schema = schemaFromBody(ctx);
      RegisteredSchema registered = state.register(subject, schema, schemaLog::write);
      respond(ctx, json.createObjectNode().put("id", registered.id()));
    });
    app.post("/subjects/{subject}", ctx -> {
      Schema schema = schemaFromBody(ctx);
      respond(ctx, describe(state.lookup(ctx.pathParam("subject"), schema)));
    });
    app.get("/subjects", ctx -> respond(ctx, state.subjects()));
    app.get("/subjects/{subject}/versions", ctx -> respond(ctx, state.versions(ctx.pathParam("subject"))));
    app.get("/subjects/{subject}/versions/{version}", ctx -> respond(ctx, describe(version(ctx))));
    app.get("/subjects/{subject}/versions/{version}/schema", ctx -> ctx.result(version(ctx).schema().toString()));

    app.get("/schemas/ids/{id}", ctx -> respond(ctx, json.createObjectNode().put("schema", state.schemaById(schemaId(ctx)).toString())));
    app.get("/schemas/ids/{id}/schema", ctx -> ctx.result(state.schemaById(schemaId(ctx)).toString()));

    app.post("/compatibility/subjects/{subject}/versions/{version}", this::checkCompatibility);
    app.post("/compatibility/subjects/{subject}/versions", this::checkCompatibility);

    app.get("/config", ctx -> respond(ctx, json.createObjectNode().put("compatibilityLevel", state.globalCompatibility().name())));
    app.put("/config", ctx -> {
      CompatibilityLevel level = levelFromBody(ctx);
      state.setCompatibility(null, level, schemaLog::write);
      respond(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.get("/config/{subject}", ctx -> {
      String subject = ctx.pathParam("subject");
      CompatibilityLevel level = state.subjectCompatibility(subject)
          .or(() -> Boolean.parseBoolean(ctx.queryParam("defaultToGlobal")) ? java.util.Optional.of(state.globalCompatibility()) : java.util.Optional.empty())
          .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
              "Subject '" + subject + "' does not have subject-level compatibility configured"));
      respond(ctx, json.createObjectNode().put("compatibilityLevel", level.name()));
    });
    app.put("/config/{subject}", ctx -> {
      CompatibilityLevel level = levelFromBody(ctx);
      state.setCompatibility(ctx.pathParam("subject"), level, schemaLog::write);
      respond(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.delete("/config/{subject}", ctx -> {
      String subject = ctx.pathParam("subject");
      CompatibilityLevel previous = state.subjectCompatibility(subject).orElseThrow(() -> SchemaRegistryException.subjectNotFound(subject));
      state.setCompatibility(subject, null, schemaLog::write);
      respond(ctx, json.createObjectNode().put("compatibilityLevel", previous.name()));
    });

    app.exception(SchemaRegistryException.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.registryMessage()));
    app.exception(JsonProcessingException.class, (e, ctx) -> error(ctx, 400, 400, "Unrecognized request body: " + e.getOriginalMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("Request {} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, SchemaRegistryException.BACKEND_STORE_ERROR, "Error in the backend: " + e.getMessage());
    });
    // Jersey-style JSON for unknown routes and methods, unless a handler already answered
    app.error(404, ctx -> {
      if (ctx.attribute(HANDLED) == null) {
        error(ctx, 404, 404, "HTTP 404 Not Found");
      }
    });
    app.error(405, ctx -> {
      if (ctx.attribute(HANDLED) == null) {
        error(ctx, 405, 405, "HTTP 405 Method Not Allowed");
      }
    });
  }

  private void checkCompatibility(Context ctx) throws JsonProcessingException {
    String subject = ctx.pathParam("subject");
    String version = ctx.pathParamMap().getOrDefault("version", "latest");
    Integer number = parseVersion(version);
    Schema schema = schemaFromBody(ctx);
    CompatibilityResult result = number == null
        ? state.checkCompatibility(subject, schema)
        : state.checkCompatibility(subject, schema, number);
    ObjectNode answer = json.createObjectNode().put("is_compatible", result.compatible());
    if (Boolean.parseBoolean(ctx.queryParam("verbose"))) {
      result.messages().forEach(answer.putArray("messages")::add);
      if (result.messages().isEmpty()) {
        answer.putArray("messages");
      }
    }
    respond(ctx, answer);
  }

  private RegisteredSchema version(Context ctx) {
    String subject = ctx.pathParam("subject");
    Integer number = parseVersion(ctx.pathParam("version"));
    return number == null ? state.latest(subject) : state.version(subject, number);
  }

  /** A version number, or null for "latest" (also -1, as Confluent accepts). */
  private static Integer parseVersion(String version) {
    if (version.equalsIgnoreCase("latest") || version.equals("-1")) {
      return null;
    }
    try {
      int number = Integer.parseInt(version);
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // falls through to the error below
    }
    throw SchemaRegistryException.invalidVersion(version);
  }

  private static int schemaId(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw SchemaRegistryException.schemaNotFound("Schema " + id + " not found");
    }
  }

  private Schema schemaFromBody(Context ctx) throws JsonProcessingException {
    JsonNode body = json.readTree(ctx.body());
    if (body == null || !body.isObject()) {
      throw SchemaRegistryException.invalidSchema("Request body must be a JSON object with a \"schema\" field");
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw SchemaRegistryException.invalidSchema("Unsupported schema type " + type + ": this registry accepts AVRO only");
    }
    // refused rather than dropped: a client told 200 would believe its references or rules were kept
    if (body.path("references").size() > 0) {
      throw SchemaRegistryException.invalidSchema("Schema references (\"references\") are not supported by this registry");
    }
    for (String unkept : List.of("metadata", "ruleSet")) {
      if (body.path(unkept).size() > 0) {
        throw SchemaRegistryException.invalidSchema("\"" + unkept + "\" is not supported by this registry: it keeps schemas alone");
      }
    }
    JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw SchemaRegistryException.invalidSchema("Missing \"schema\": the schema as a JSON string");
    }
    return SchemaRegistryState.parse(schema.asText());
  }

  private CompatibilityLevel levelFromBody(Context ctx) throws JsonProcessingException {
    JsonNode body = json.readTree(ctx.body());
    JsonNode level = body == null ? null : body.get("compatibility");
    if (level == null) {
      level = body == null ? null : body.get("compatibilityLevel");
    }
    return CompatibilityLevel.parse(level == null ? null : level.asText());
  }

  private ObjectNode describe(RegisteredSchema registered) {
    return json.createObjectNode()
        .put("subject", registered.subject())
        .put("version", registered.version())
        .put("id", registered.id())
        .put("schema", registered.schema().toString());
  }

  private void respond(Context ctx, Object body) throws JsonProcessingException {
    ctx.contentType(CONTENT_TYPE).result(json.writeValueAsString(body));
  }

  private void error(Context ctx, int status, int errorCode, String message) {
    ctx.attribute(HANDLED, true);
    ObjectNode body = json.createObjectNode().put("error_code", errorCode).put("message", message);
    ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
  }

  private void countRequest(Context ctx) {
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (RuntimeException noEndpoint) {
      route = "(no route)";
    }
    if (route == null || route.isEmpty() || route.equals("*")) {
      route = "(no route)";
    }
    requestCounts.computeIfAbsent(ctx.method().name() + " " + route, r -> new AtomicLong()).incrementAndGet();
  }
}
