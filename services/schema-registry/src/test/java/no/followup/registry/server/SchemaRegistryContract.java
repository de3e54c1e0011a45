package no.followup.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The REST API subset this project relies on, as a contract any Confluent-compatible registry must
 * meet. Talks raw HTTP (not our client), so a passing run says the registry behaves as expected,
 * not that our client and server agree with each other. Subjects and schema namespaces are unique
 * per run, so it can run against a shared registry; it changes the global level only where
 * {@link #mayChangeGlobalConfig()} allows.
 */
public abstract class SchemaRegistryContract {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String run = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  /** Base url of the registry under test. */
  protected abstract String registryUrl();

  /** Whether the registry-wide level may be changed (and restored): never on a shared registry. */
  protected boolean mayChangeGlobalConfig() {
    return false;
  }

  /**
   * Whether the registry keeps Avro schemas alone: other schema types, references, metadata and rule
   * sets are refused (Confluent's keeps them all).
   */
  protected boolean avroSchemasOnly() {
    return false;
  }

  // --- register, lookup, by id ---

  @Test
  void registeringReturnsAnIdAndTheSameSchemaAlwaysGetsTheSameId() {
    String subject = subject("register");
    String schema = v1("Register");

    Answer first = post("/subjects/" + subject + "/versions", schemaBody(schema));
    assertThat(first.status()).isEqualTo(200);
    int id = first.body().get("id").asInt();
    assertThat(id).isPositive();

    assertThat(post("/subjects/" + subject + "/versions", schemaBody(schema)).body().get("id").asInt()).isEqualTo(id);
    assertThat(get("/subjects/" + subject + "/versions").body()).hasSize(1);
    // the same schema under another subject keeps its global id
    assertThat(post("/subjects/" + subject("register-other") + "/versions", schemaBody(schema)).body().get("id").asInt()).isEqualTo(id);
    // whitespace does not make another schema
    String reformatted = parse(schema).toString(true);
    assertThat(post("/subjects/" + subject + "/versions", schemaBody(reformatted)).body().get("id").asInt()).isEqualTo(id);
  }

  @Test
  void lookupFindsTheVersionAndIdOfARegisteredSchema() {
    String subject = subject("lookup");
    int id = register(subject, v1("Lookup"));
    register(subject, v2("Lookup"));

    Answer found = post("/subjects/" + subject, schemaBody(v1("Lookup")));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.body().get("subject").asText()).isEqualTo(subject);
    assertThat(found.body().get("version").asInt()).isEqualTo(1);
    assertThat(found.body().get("id").asInt()).isEqualTo(id);
    assertThat(parse(found.body().get("schema").asText())).isEqualTo(parse(v1("Lookup")));
  }

  @Test
  void lookupOfAnUnknownSubjectOrSchemaIsNotFound() {
    String subject = subject("lookup-missing");
    assertError(post("/subjects/" + subject, schemaBody(v1("Missing"))), 404, 40401);
    register(subject, v1("Missing"));
    assertError(post("/subjects/" + subject, schemaBody(v2("Missing"))), 404, 40403);
  }

  @Test
  void schemasAreFetchedByTheirId() {
    String schema = v1("ById");
    int id = register(subject("by-id"), schema);

    Answer answer = get("/schemas/ids/" + id);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(parse(answer.body().get("schema").asText())).isEqualTo(parse(schema));
    assertThat(answer.body().path("schemaType").asText("AVRO")).isEqualTo("AVRO");
  }

  @Test
  void anUnknownIdIsNotFound() {
    assertError(get("/schemas/ids/" + (Integer.MAX_VALUE - 11)), 404, 40403);
  }

  // --- subjects and versions ---

  @Test
  void versionsAreListedAndFetchedByNumberOrLatest() {
    String subject = subject("versions");
    int id1 = register(subject, v1("Versions"));
    int id2 = register(subject, v2("Versions"));

    assertThat(ints(get("/subjects/" + subject + "/versions").body())).containsExactly(1, 2);
    assertThat(strings(get("/subjects").body())).contains(subject);

    Answer latest = get("/subjects/" + subject + "/versions/latest");
    assertThat(latest.body().get("version").asInt()).isEqualTo(2);
    assertThat(latest.body().get("id").asInt()).isEqualTo(id2);
    assertThat(latest.body().get("subject").asText()).isEqualTo(subject);

    Answer first = get("/subjects/" + subject + "/versions/1");
    assertThat(first.body().get("id").asInt()).isEqualTo(id1);
    assertThat(parse(first.body().get("schema").asText())).isEqualTo(parse(v1("Versions")));
  }

  @Test
  void unknownSubjectsAndVersionsAreNotFoundAndBadVersionsInvalid() {
    String subject = subject("versions-missing");
    assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
    assertError(get("/subjects/" + subject + "/versions/latest"), 404, 40401);
    register(subject, v1("VersionsMissing"));
    assertError(get("/subjects/" + subject + "/versions/99"), 404, 40402);
    assertError(get("/subjects/" + subject + "/versions/not-a-version"), 422, 42202);
  }

  // --- compatibility ---

  @Test
  void compatibilityIsCheckedAgainstTheLatestOrAGivenVersion() {
    String subject = subject("compat");
    setLevel(subject, "BACKWARD");
    register(subject, v1("Compat"));

    Answer compatible = post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(v2("Compat")));
    assertThat(compatible.status()).isEqualTo(200);
    assertThat(compatible.body().get("is_compatible").asBoolean()).isTrue();

    Answer breaking = post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", schemaBody(withRequiredField("Compat")));
    assertThat(breaking.status()).isEqualTo(200);
    assertThat(breaking.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(breaking.body().get("messages")).isNotEmpty();

    assertThat(post("/compatibility/subjects/" + subject + "/versions/1", schemaBody(withRequiredField("Compat")))
        .body().get("is_compatible").asBoolean()).isFalse();
    assertError(post("/compatibility/subjects/" + subject + "/versions/7", schemaBody(v2("Compat"))), 404, 40402);
  }

  @Test
  void anIncompatibleSchemaIsRejectedWith409AndNotRegistered() {
    String subject = subject("incompatible");
    setLevel(subject, "BACKWARD");
    register(subject, v1("Incompatible"));

    Answer rejected = post("/subjects/" + subject + "/versions", schemaBody(withRequiredField("Incompatible")));

    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.body().get("message").asText()).isNotBlank();
    assertThat(ints(get("/subjects/" + subject + "/versions").body())).containsExactly(1);
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersion() {
    String subject = subject("transitive");
    setLevel(subject, "BACKWARD_TRANSITIVE");
    register(subject, record("Transitive", "{\"name\":\"a\",\"type\":\"int\"}"));
    register(subject, record("Transitive", ""));
    String stringA = record("Transitive", "{\"name\":\"a\",\"type\":\"string\",\"default\":\"x\"}");

    assertThat(post("/subjects/" + subject + "/versions", schemaBody(stringA)).status()).isEqualTo(409);
    setLevel(subject, "BACKWARD");
    assertThat(post("/subjects/" + subject + "/versions", schemaBody(stringA)).status()).isEqualTo(200);
  }

  @Test
  void anInvalidSchemaIsRejectedWith422() {
    String subject = subject("invalid");
    assertError(post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"record\",\"name\":\"NoFields\"")), 422, 42201);
    assertError(post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"no-such-type\"}")), 422, 42201);
    assertThat(strings(get("/subjects").body())).doesNotContain(subject);
  }

  @Test
  void otherSchemaTypesAreRejectedWhereOnlyAvroIsSupported() {
    assumeTrue(avroSchemasOnly(), "this registry supports other schema types");
    ObjectNode body = json.createObjectNode().put("schema", "syntax = \"proto3\"; message M {}").put("schemaType", "PROTOBUF");
    Answer answer = post("/subjects/" + subject("protobuf") + "/versions", body.toString());
    assertThat(answer.status()).isEqualTo(422);
  }

  @Test
  void referencesMetadataAndRuleSetsAreRefusedWhereTheyCannotBeKept() {
    assumeTrue(avroSchemasOnly(), "this registry keeps references, metadata and rule sets");
    String subject = subject("unkept");
    String schema = withRequiredField("Unkept");
    for (String field : List.of("references", "metadata", "ruleSet")) {
      ObjectNode body = json.createObjectNode().put("schema", schema);
      if (field.equals("references")) {
        body.putArray(field).addObject().put("name", "other.Type").put("subject", "other-value").put("version", 1);
      } else {
        body.putObject(field).putObject("properties").put("owner", "someone");
      }
      Answer refused = post("/subjects/" + subject + "/versions", body.toString());
      assertError(refused, 422, 42201);
      assertThat(refused.body().get("message").asText()).contains(field);
    }
    assertThat(get("/subjects/" + subject + "/versions").status()).as("nothing registered").isEqualTo(404);

    // what a client sends when it has none of them is accepted
    ObjectNode plain = json.createObjectNode().put("schema", schema).putNull("metadata").putNull("ruleSet");
    plain.putArray("references");
    assertThat(post("/subjects/" + subject + "/versions", plain.toString()).status()).isEqualTo(200);
  }

  // --- configuration ---

  @Test
  void subjectLevelsAreSetAndReadAndUnsetSubjectsInheritTheGlobalLevel() {
    String subject = subject("config");
    Answer put = put("/config/" + subject, "{\"compatibility\":\"FULL\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().get("compatibility").asText()).isEqualTo("FULL");
    assertThat(get("/config/" + subject).body().get("compatibilityLevel").asText()).isEqualTo("FULL");

    String global = get("/config").body().get("compatibilityLevel").asText();
    assertThat(global).isIn("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");
    assertThat(get("/config/" + subject("config-unset") + "?defaultToGlobal=true").body().get("compatibilityLevel").asText())
        .isEqualTo(global);
  }

  @Test
  void anInvalidLevelIsRejectedWith422() {
    assertError(put("/config/" + subject("config-invalid"), "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
  }

  @Test
  void levelNoneAcceptsAnything() {
    String subject = subject("none");
    setLevel(subject, "NONE");
    register(subject, v1("None"));
    assertThat(post("/subjects/" + subject + "/versions", schemaBody(withRequiredField("None"))).status()).isEqualTo(200);
    assertThat(ints(get("/subjects/" + subject + "/versions").body())).containsExactly(1, 2);
  }

  @Test
  void theGlobalLevelCanBeChanged() {
    assumeTrue(mayChangeGlobalConfig(), "the global level of a shared registry is left alone");
    String before = get("/config").body().get("compatibilityLevel").asText();
    try {
      assertThat(put("/config", "{\"compatibility\":\"FORWARD\"}").body().get("compatibility").asText()).isEqualTo("FORWARD");
      assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
      assertThat(get("/config/" + subject("global-inherit") + "?defaultToGlobal=true").body().get("compatibilityLevel").asText())
          .isEqualTo("FORWARD");
    } finally {
      put("/config", "{\"compatibility\":\"" + before + "\"}");
    }
  }

  // --- helpers ---

  /** An HTTP answer: status and JSON body (null when empty or not JSON). */
  protected record Answer(int status, JsonNode body, String raw) {}

  protected String subject(String name) {
    return URLEncoder.encode("contract-" + run + "-" + name + "-value", StandardCharsets.UTF_8);
  }

  private String record(String name, String fields) {
    return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"contract." + run + "\",\"fields\":[" + fields + "]}";
  }

  private String v1(String name) {
    return record(name, "{\"name\":\"id\",\"type\":\"string\"}");
  }

  private String v2(String name) {
    return record(name, "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
  }

  private String withRequiredField(String name) {
    return record(name, "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"required\",\"type\":\"int\"}");
  }

  private int register(String subject, String schema) {
    Answer answer = post("/subjects/" + subject + "/versions", schemaBody(schema));
    assertThat(answer.status()).as("register under %s: %s", subject, answer.raw()).isEqualTo(200);
    return answer.body().get("id").asInt();
  }

  private void setLevel(String subject, String level) {
    assertThat(put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}").status()).isEqualTo(200);
  }

  private String schemaBody(String schema) {
    return json.createObjectNode().put("schema", schema).toString();
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }

  private static void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as("status of %s", answer.raw()).isEqualTo(status);
    assertThat(answer.body()).as("JSON error body: %s", answer.raw()).isNotNull();
    assertThat(answer.body().get("error_code").asInt()).as("error_code of %s", answer.raw()).isEqualTo(errorCode);
    assertThat(answer.body().get("message").asText()).isNotBlank();
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asInt()));
    return values;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  protected Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  protected Answer post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  protected Answer put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private URI uri(String path) {
    String base = registryUrl().endsWith("/") ? registryUrl().substring(0, registryUrl().length() - 1) : registryUrl();
    return URI.create(base + path);
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).header("Accept", CONTENT_TYPE).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      try {
        body = response.body().isBlank() ? null : json.readTree(response.body());
      } catch (IOException notJson) {
        // left null: assertions on the body will say so, with the raw text
      }
      return new Answer(response.statusCode(), body, response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
