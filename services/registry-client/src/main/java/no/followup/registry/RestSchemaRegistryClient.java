package no.followup.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import no.followup.http.BoundedExchange;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the Confluent Schema Registry REST API over the JDK's {@link HttpClient}.
 *
 * <p>Schemas registered with references (by other producers: Confluent's clients can register
 * them) are read with the schemas they reference, see {@link ReferencedSchemaParser}.
 *
 * <p>Caches: the id of each schema per subject (from register or lookup) and the schema of each id
 * (ids are immutable), so serializers and deserializers make no HTTP call once warm. Listings,
 * versions, compatibility checks and configuration are not cached: they change.
 *
 * <p>Failures: 5xx, 408 and 429 answers, 2xx answers that are not JSON or larger than
 * {@link #MAX_ANSWER_BYTES}, and connection errors (refused, reset, no complete answer within the
 * request timeout) are retried a bounded number of times with exponential backoff and jitter,
 * moving to the next configured url on a connection error; other 4xx answers are final. A 2xx
 * answer without what it must hold (a schema, an id) is a failure to answer, as transient as one
 * that did not arrive. Errors become {@link SchemaRegistryException}s whose kind follows the HTTP status, keeping the registry's {@code error_code} and message. Retrying a
 * register is safe: registering the same schema again returns the same id.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private final RegistryClientConfig config;
  private final HttpClient http;
  /** Largest answer read: the largest schema the contract could grow to is far below it. */
  public static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
  private static final int MAX_MESSAGE_CHARS = 500;

  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  /** Index of the url that answered last; requests start there. */
  private final AtomicInteger currentUrl = new AtomicInteger();
  private final ConcurrentMap<String, ConcurrentMap<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<Schema, RegisteredSchema>> lookupsBySubject = new ConcurrentHashMap<>();
  private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  /**
   * Ids the registry answered "schema not found" (40403) for, with {@link System#nanoTime()} until when
   * that answer stands: records written against another registry (a producer pointed at the wrong
   * one) carry a few ids thousands of times, and each would otherwise cost a round trip on a stream
   * thread before its dead letter. Two seconds collapse such a flood into one question per id, and
   * keep short: a registry replica still catching up answers 404 for an id just registered.
   */
  private final ConcurrentMap<Integer, Long> unknownIds = new ConcurrentHashMap<>();
  static final Duration UNKNOWN_ID_REMEMBERED = Duration.ofSeconds(2);
  /** More unknown ids than this are forgotten all at once: a flood of random ids must not grow the map. */
  static final int MAX_UNKNOWN_IDS = 10_000;

  public RestSchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.tls().configured()) {
      builder.sslContext(sslContext(config.tls()));
    }
    this.http = builder.build();
    this.authorization = config.basicAuthUserInfo() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
  }

  public RegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", subjectPath(subject) + "/versions", schemaBody(schema),
        "registering schema " + schema.getFullName() + " under subject '" + subject + "'");
    int id = requiredInt(answer, "id");
    remember(subject, schema, id);
    log.info("Registered schema {} under subject '{}' with id {}", schema.getFullName(), subject, id);
    return id;
  }

  @Override
  public int getId(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    return cached != null ? cached : lookup(subject, schema).id();
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    ConcurrentMap<Schema, RegisteredSchema> lookups = lookupsBySubject.get(subject);
    RegisteredSchema cached = lookups == null ? null : lookups.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", subjectPath(subject), schemaBody(schema),
        "looking up schema " + schema.getFullName() + " under subject '" + subject + "'");
    RegisteredSchema found = new RegisteredSchema(subject, requiredInt(answer, "version"), requiredInt(answer, "id"), schema);
    remember(subject, schema, found.id());
    lookupsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, found);
    return found;
  }

  @Override
  public Schema getSchemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Long unknownUntil = unknownIds.get(id);
    if (unknownUntil != null && System.nanoTime() - unknownUntil < 0) {
      throw SchemaRegistryException.schemaNotFound("Schema " + id + " not found (the registry said so less than "
          + UNKNOWN_ID_REMEMBERED.toSeconds() + " s ago)");
    }
    JsonNode answer;
    try {
      answer = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) { // the registry's own answer, not a proxy's 404
        if (unknownIds.size() >= MAX_UNKNOWN_IDS) {
          unknownIds.clear();
        }
        unknownIds.put(id, System.nanoTime() + UNKNOWN_ID_REMEMBERED.toNanos());
      }
      throw e;
    }
    Schema schema = parseAnswerSchema(answer, "schema id " + id);
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public List<String> getSubjects() {
    JsonNode answer = call("GET", "/subjects", null, "listing subjects");
    List<String> subjects = new ArrayList<>();
    answer.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  @Override
  public List<Integer> getVersions(String subject) {
    JsonNode answer = call("GET", subjectPath(subject) + "/versions", null, "listing versions of subject '" + subject + "'");
    List<Integer> versions = new ArrayList<>();
    answer.forEach(node -> versions.add(node.asInt()));
    return versions;
  }

  @Override
  public RegisteredSchema getVersion(String subject, int version) {
    return version(subject, String.valueOf(version));
  }

  @Override
  public RegisteredSchema getLatestVersion(String subject) {
    return version(subject, "latest");
  }

  private RegisteredSchema version(String subject, String version) {
    JsonNode answer = call("GET", subjectPath(subject) + "/versions/" + version, null,
        "fetching version " + version + " of subject '" + subject + "'");
    int id = requiredInt(answer, "id");
    Schema schema = parseAnswerSchema(answer, "subject '" + subject + "' version " + version);
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(subject, requiredInt(answer, "version"), id, schema);
  }

  @Override
  public CompatibilityResult checkCompatibility(String subject, Schema schema) {
    try {
      return compatibility(subject, schema, "latest");
    } catch (SchemaRegistryException e) {
      // older registries answer 404 for a subject without versions; there is nothing to be incompatible with
      if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND
          && e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
        return CompatibilityResult.ok();
      }
      throw e;
    }
  }

  @Override
  public CompatibilityResult checkCompatibility(String subject, Schema schema, int version) {
    return compatibility(subject, schema, String.valueOf(version));
  }

  private CompatibilityResult compatibility(String subject, Schema schema, String version) {
    JsonNode answer = call("POST", "/compatibility" + subjectPath(subject) + "/versions/" + version + "?verbose=true",
        schemaBody(schema), "checking compatibility of " + schema.getFullName() + " with subject '" + subject + "' version " + version);
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(node -> messages.add(node.asText()));
    return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
  }

  @Override
  public CompatibilityLevel getGlobalCompatibility() {
    return level(call("GET", "/config", null, "reading the global compatibility level"));
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    call("PUT", "/config", levelBody(level), "setting the global compatibility level");
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    try {
      return level(call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null,
          "reading the compatibility level of subject '" + subject + "'"));
    } catch (SchemaRegistryException e) {
      // registries that ignore defaultToGlobal answer 404 for a subject without a level of its own
      if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
        return getGlobalCompatibility();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    call("PUT", "/config/" + encode(subject), levelBody(level), "setting the compatibility level of subject '" + subject + "'");
  }

  // --- HTTP with retries ---

  private JsonNode call(String method, String pathAndQuery, String body, String context) {
    SchemaRegistryException lastFailure = null;
    int attempts = config.maxRetries() + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        backOff(attempt);
      }
      int urlIndex = Math.floorMod(currentUrl.get(), config.urls().size());
      URI uri = URI.create(RegistryClientConfig.withoutUserInfo(config.urls().get(urlIndex)) + pathAndQuery);
      HttpResponse<String> response;
      try {
        // one deadline over the whole answer, body included: a registry (or a proxy before it) that
        // sent its headers and then stalled would otherwise hold the calling stream thread for good
        response = BoundedExchange.send(http, request(method, uri, body), config.requestTimeout(), MAX_ANSWER_BYTES);
      } catch (BoundedExchange.IncompleteAnswer e) {
        lastFailure = SchemaRegistryException.unreachable(context + ": " + e.getMessage(), e);
        // another url may answer whole
        currentUrl.compareAndSet(urlIndex, urlIndex + 1);
        log.warn("Schema registry request {} {}: {} (attempt {} of {})", method, uri, e.getMessage(), attempt + 1, attempts);
        continue;
      } catch (IOException e) {
        lastFailure = SchemaRegistryException.unreachable(context + " at " + uri.getHost() + ":" + uri.getPort(), e);
        // another url may be up
        currentUrl.compareAndSet(urlIndex, urlIndex + 1);
        log.warn("Schema registry request {} {} failed (attempt {} of {}): {}", method, uri, attempt + 1, attempts, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SchemaRegistryException.unreachable(context + " (interrupted)", e);
      }
      int status = response.statusCode();
      String answer = response.body();
      if (status >= 200 && status < 300) {
        try {
          return parse(answer);
        } catch (IOException e) {
          // not the registry's JSON: a proxy's page, or an answer cut short; the registry may answer properly next time
          lastFailure = SchemaRegistryException.unreachable(context + ": an answer that is not JSON", e);
          log.warn("Schema registry request {} {} answered {} with something other than JSON (attempt {} of {})",
              method, uri, status, attempt + 1, attempts);
          continue;
        }
      }
      lastFailure = error(status, answer, context + " (" + method + " " + uri.getPath() + ")");
      if (!retried(status)) {
        throw lastFailure;
      }
      log.warn("Schema registry request {} {} answered {} (attempt {} of {})", method, uri, status, attempt + 1, attempts);
    }
    throw lastFailure;
  }

  private HttpRequest request(String method, URI uri, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", ACCEPT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  private void backOff(int retry) {
    long base = config.retryBackoff().toMillis();
    long ceiling = Math.min(config.maxRetryBackoff().toMillis(), base << Math.min(retry - 1, 20));
    // jitter spreads the retries of many clients hitting the same failing registry
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SchemaRegistryException.unreachable("interrupted while backing off", e);
    }
  }

  private SchemaRegistryException error(int status, String body, String context) {
    int errorCode = -1;
    String message = body == null ? "" : body;
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject()) {
        errorCode = node.path("error_code").asInt(-1);
        message = node.path("message").asText(message);
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body: a proxy or load balancer may answer in HTML or plain text
    }
    // the message reaches logs: a registry's own messages are short, anything longer is not one
    message = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message;
    return new SchemaRegistryException(status, errorCode, message, context, null);
  }

  private JsonNode parse(String body) throws IOException {
    if (body == null || body.isBlank()) {
      return NullNode.getInstance();
    }
    return json.readTree(body);
  }

  /** 5xx, 408 (request timeout) and 429 (too many requests): the same request may succeed later. */
  private static boolean retried(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  // --- helpers ---

  private Integer cachedId(String subject, Schema schema) {
    ConcurrentMap<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private String schemaBody(Schema schema) {
    ObjectNode body = json.createObjectNode();
    // schemaType is left out for Avro: it is the default, and older registries reject the field
    body.put("schema", schema.toString());
    return body.toString();
  }

  private String levelBody(CompatibilityLevel level) {
    ObjectNode body = json.createObjectNode();
    body.put("compatibility", level.name());
    return body.toString();
  }

  private static CompatibilityLevel level(JsonNode answer) {
    JsonNode level = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.path("compatibility");
    return CompatibilityLevel.parse(level.asText());
  }

  private Schema parseAnswerSchema(JsonNode answer, String what) {
    return ReferencedSchemaParser.parse(answer, what, this::referencedVersion);
  }

  private JsonNode referencedVersion(String subject, int version, String context) {
    // deleted=true, as Confluent's deserializers ask: records written before a referenced version
    // was soft-deleted must stay readable
    return call("GET", subjectPath(subject) + "/versions/" + version + "?deleted=true", null, context);
  }

  private static int requiredInt(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw SchemaRegistryException.unreachable("an answer without a number '" + field + "'",
          new IOException("no '" + field + "' in a 2xx answer"));
    }
    return value.asInt();
  }

  private static String subjectPath(String subject) {
    return "/subjects/" + encode(subject);
  }

  /** Encodes a path segment (URLEncoder encodes for forms, where a space is '+'). */
  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static SSLContext sslContext(RegistryClientConfig.TlsSettings tls) {
    try {
      TrustManagerFactory trust = null;
      if (tls.truststoreLocation() != null) {
        KeyStore store = load(tls.truststoreLocation(), tls.truststorePassword(), tls.truststoreType());
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (tls.keystoreLocation() != null) {
        KeyStore store = load(tls.keystoreLocation(), tls.keystorePassword(), tls.keystoreType());
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
        keys.init(store, keyPassword == null ? null : keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("invalid schema registry TLS settings " + tls + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String location, String password, String type) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
