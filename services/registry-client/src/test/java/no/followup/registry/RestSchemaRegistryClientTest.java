package no.followup.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import no.followup.events.FollowUpEvent;
import no.followup.registry.FakeRegistryServer.Request;
import no.followup.registry.FakeRegistryServer.Response;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

  private static final Schema SCHEMA = TestEvents.record("R", "{\"name\":\"a\",\"type\":\"int\"}");
  private static final String SUBJECT = "t-value";

  private FakeRegistryServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeRegistryServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RestSchemaRegistryClient client(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        RegistryClientConfig.URL, server.url(),
        RegistryClientConfig.MAX_RETRIES, 2,
        RegistryClientConfig.RETRY_BACKOFF_MS, 40,
        RegistryClientConfig.REQUEST_TIMEOUT_MS, 2000));
    config.putAll(extra);
    return (RestSchemaRegistryClient) SchemaRegistryClients.create(config);
  }

  @Test
  void retriesServerErrorsWithBackoffThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    server.answer(request -> calls.incrementAndGet() <= 2
        ? Response.json(503, "{\"error_code\":50003,\"message\":\"busy\"}")
        : Response.json(200, "{\"id\":7}"));

    long started = System.nanoTime();
    int id = client(Map.of()).register(SUBJECT, SCHEMA);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(id).isEqualTo(7);
    assertThat(server.count("POST", "/subjects/t-value/versions")).isEqualTo(3);
    // two backoffs with jitter of at least half their ceiling: 40/2 + 80/2
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(60);
  }

  @Test
  void retriesAreBoundedAndTheLastErrorIsKept() {
    server.answer(request -> Response.json(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}"));

    assertThatThrownBy(() -> client(Map.of()).register(SUBJECT, SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SERVER_ERROR);
          assertThat(e.errorCode()).isEqualTo(50001);
          assertThat(e.registryMessage()).isEqualTo("Error in the backend data store");
        });
    assertThat(server.requests()).hasSize(3); // first attempt + max.retries 2
  }

  @Test
  void clientErrorsAreNotRetried() {
    server.answer(request -> Response.json(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));
    assertThatThrownBy(() -> client(Map.of()).register(SUBJECT, SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.errorCode()).isEqualTo(42201);
        });
    assertThat(server.requests()).hasSize(1);

    server.answer(request -> Response.json(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}"));
    assertThatThrownBy(() -> client(Map.of()).getSchemaById(9))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.isSchemaNotFound()).isTrue();
          assertThat(e.getMessage()).contains("Schema 9 not found").contains("404");
        });
    assertThat(server.requests()).hasSize(2);
  }

  /** Records written against another registry carry a few ids thousands of times: one question each id. */
  @Test
  void anIdTheRegistryDoesNotKnowIsNotAskedForAgainAtOnce() {
    server.answer(request -> Response.json(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}"));
    SchemaRegistryClient client = client(Map.of());
    for (int record = 0; record < 100; record++) {
      assertThatThrownBy(() -> client.getSchemaById(9))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
    }
    assertThat(server.requests()).hasSize(1);
    assertThatThrownBy(() -> client.getSchemaById(10)).isInstanceOf(SchemaRegistryException.class);
    assertThat(server.requests()).as("another id is asked for").hasSize(2);
  }

  @Test
  void statusDecidesTheKindEvenWhenTheErrorCodeIsZero() {
    server.answer(request -> Response.json(409, "{\"error_code\":0,\"message\":\"Schema being registered is incompatible\"}"));

    assertThatThrownBy(() -> client(Map.of()).register(SUBJECT, SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.isIncompatible()).isTrue();
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.errorCode()).isZero();
          assertThat(e.registryMessage()).isEqualTo("Schema being registered is incompatible");
        });
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aNonJsonErrorBodyIsKeptAsTheMessage() {
    server.answer(request -> Response.json(401, "<html>Unauthorized</html>"));
    assertThatThrownBy(() -> client(Map.of()).getSubjects())
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_AUTHORIZED);
          assertThat(e.registryMessage()).contains("Unauthorized");
        });
  }

  @Test
  void expiredCredentialsAndABusyRegistryAreTransientAnUnknownIdIsNot() {
    server.answer(request -> Response.json(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"));
    assertThatThrownBy(() -> client(Map.of()).getSchemaById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue());
    server.answer(request -> Response.json(429, "{\"error_code\":42901,\"message\":\"Too many requests\"}"));
    assertThatThrownBy(() -> client(Map.of()).getSchemaById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.BUSY);
          assertThat(e.isTransient()).isTrue();
        });
    server.answer(request -> Response.json(404, "{\"error_code\":40403,\"message\":\"Schema 1 not found\"}"));
    assertThatThrownBy(() -> client(Map.of()).getSchemaById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isFalse());
  }

  @Test
  void tooManyRequestsIsRetriedThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    server.answer(request -> calls.incrementAndGet() == 1
        ? Response.json(429, "{\"error_code\":42901,\"message\":\"Too many requests\"}")
        : Response.json(200, "{\"id\":4}"));

    assertThat(client(Map.of()).register(SUBJECT, SCHEMA)).isEqualTo(4);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void anAnswerThatIsNotJsonIsRetriedAndThenTransient() {
    AtomicInteger calls = new AtomicInteger();
    server.answer(request -> {
      calls.incrementAndGet();
      return Response.json(200, "<html>a proxy's sign-in page</html>");
    });

    assertThatThrownBy(() -> client(Map.of()).getSchemaById(2))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
          assertThat(e.isTransient()).isTrue();
        });
    assertThat(calls.get()).isEqualTo(3); // the first try and the 2 retries
  }

  @Test
  void aSuccessWithoutWhatItMustHoldIsTransient() {
    server.answer(request -> Response.json(200, ""));
    assertThatThrownBy(() -> client(Map.of()).getSchemaById(4))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue());
    server.answer(request -> Response.json(200, "{}"));
    assertThatThrownBy(() -> client(Map.of()).register(SUBJECT, SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue());
  }

  @Test
  void anAnswerLargerThanAnyRegistrysIsNotReadWhole() {
    String huge = "{\"schema\":\"" + "x".repeat(RestSchemaRegistryClient.MAX_ANSWER_BYTES) + "\"}";
    server.answer(request -> Response.json(200, huge));

    assertThatThrownBy(() -> client(Map.of()).getSchemaById(3))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.getMessage()).contains("larger than " + RestSchemaRegistryClient.MAX_ANSWER_BYTES + " bytes");
        });
  }

  @Test
  void aLongErrorMessageIsCutShort() {
    server.answer(request -> Response.json(422, "{\"error_code\":42201,\"message\":\"" + "y".repeat(10_000) + "\"}"));

    assertThatThrownBy(() -> client(Map.of()).register(SUBJECT, SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.registryMessage()).hasSizeLessThan(600));
  }

  @Test
  void connectionErrorsMoveToTheNextUrl() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    server.answer(request -> Response.json(200, "{\"id\":3}"));
    RestSchemaRegistryClient client = client(Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + deadPort + "," + server.url()));

    assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(3);
    assertThat(client.register("other-value", SCHEMA)).isEqualTo(3);
    assertThat(server.requests()).hasSize(2); // the second call went straight to the live url
  }

  @Test
  void anUnreachableRegistryFailsAfterBoundedRetries() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    RestSchemaRegistryClient client = client(Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + deadPort));
    assertThatThrownBy(() -> client.getSchemaById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
          assertThat(e.getMessage()).contains("fetching schema id 1");
        });
  }

  @Test
  void aSlowAnswerTimesOutAndIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    server.answer(request -> {
      if (calls.incrementAndGet() == 1) {
        sleep(1500);
      }
      return Response.json(200, "{\"schema\":" + quoted(SCHEMA.toString()) + "}");
    });
    RestSchemaRegistryClient client = client(Map.of(RegistryClientConfig.REQUEST_TIMEOUT_MS, 300));

    assertThat(client.getSchemaById(5)).isEqualTo(SCHEMA);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void anAnswerThatStallsInItsBodyTimesOutAsUnreachable() {
    server.answer(request -> Response.stallingAfter(200, "{\"schema\":\"{\\\"type\\\":"));
    RestSchemaRegistryClient client = client(Map.of(
        RegistryClientConfig.REQUEST_TIMEOUT_MS, 300,
        RegistryClientConfig.MAX_RETRIES, 0));

    long started = System.nanoTime();
    // the preemptive bound keeps a regression from hanging the build: the call would block for good
    Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> catchThrowable(() -> client.getSchemaById(6)));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(failure).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
      assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("fetching schema id 6");
    });
    assertThat(server.count("GET", "/schemas/ids/6")).isEqualTo(1);
    assertThat(elapsedMillis).isBetween(300L, 3_000L);
  }

  @Test
  void sendsTheRegistryContentTypeAndBasicAuth() throws Exception {
    server.answer(request -> Response.json(200, "{\"id\":1}"));
    client(Map.of(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
        RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:secret")).register("a b", SCHEMA);

    Request request = server.requests().get(0);
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.authorization()).isEqualTo("Basic c3ZjOnNlY3JldA==");
    assertThat(request.pathAndQuery()).isEqualTo("/subjects/a%20b/versions");
    assertThat(new ObjectMapper().readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
  }

  @Test
  void idsAndSchemasAreCachedSoTheHotPathMakesNoCalls() {
    server.answer(request -> {
      if (request.pathAndQuery().startsWith("/schemas/ids/")) {
        return Response.json(200, "{\"schema\":" + quoted(FollowUpEvent.getClassSchema().toString()) + "}");
      }
      return Response.json(200, "{\"id\":11,\"version\":1,\"subject\":\"x\",\"schema\":\"\"}");
    });
    RestSchemaRegistryClient producerSide = client(Map.of());
    RestSchemaRegistryClient consumerSide = client(Map.of());
    var serializer = new SpecificAvroSerializer<FollowUpEvent>(producerSide);
    var deserializer = new SpecificAvroDeserializer<>(consumerSide, FollowUpEvent.class);

    for (int i = 0; i < 50; i++) {
      FollowUpEvent event = TestEvents.meetingScheduled("p-" + i);
      assertThat(deserializer.deserialize("topic", serializer.serialize("topic", event))).isEqualTo(event);
    }
    // the serializer registered the contract form of the class's schema
    assertThat(producerSide.register("topic-value", TestEvents.contractSchema())).isEqualTo(11);
    assertThat(producerSide.getId("topic-value", TestEvents.contractSchema())).isEqualTo(11);
    assertThat(producerSide.getSchemaById(11)).isEqualTo(TestEvents.contractSchema()); // known from registering

    assertThat(server.count("POST", "/subjects/topic-value/versions")).isEqualTo(1);
    assertThat(server.count("GET", "/schemas/ids/11")).isEqualTo(1);
    assertThat(server.requests()).hasSize(2);

    // a lookup is cached too
    consumerSide.lookup("topic-value", SCHEMA);
    consumerSide.getId("topic-value", SCHEMA);
    assertThat(server.count("POST", "/subjects/topic-value")).isEqualTo(2); // one register + one lookup
  }

  @Test
  void compatibilityAndConfigSpeakConfluentJson() {
    server.answer(request -> switch (request.method() + " " + request.pathAndQuery()) {
      case "POST /compatibility/subjects/s/versions/latest?verbose=true" ->
          Response.json(200, "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE\"]}");
      case "POST /compatibility/subjects/new/versions/latest?verbose=true" ->
          Response.json(404, "{\"error_code\":40401,\"message\":\"Subject 'new' not found.\"}");
      case "GET /config" -> Response.json(200, "{\"compatibilityLevel\":\"FULL\"}");
      case "GET /config/s?defaultToGlobal=true" -> Response.json(200, "{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
      case "GET /config/old?defaultToGlobal=true" -> Response.json(404, "{\"error_code\":40408,\"message\":\"not configured\"}");
      case "PUT /config/s" -> Response.json(200, request.body());
      default -> Response.json(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
    });
    RestSchemaRegistryClient client = client(Map.of());

    CompatibilityResult result = client.checkCompatibility("s", SCHEMA);
    assertThat(result.compatible()).isFalse();
    assertThat(result.messages()).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(client.testCompatibility("new", SCHEMA)).as("nothing to be incompatible with").isTrue();
    assertThat(client.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(client.getCompatibility("old")).as("falls back to the global level").isEqualTo(CompatibilityLevel.FULL);
    client.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(server.requests().get(server.requests().size() - 1).body()).isEqualTo("{\"compatibility\":\"NONE\"}");
  }

  @Test
  void configNeverPrintsCredentials() {
    RegistryClientConfig config = RegistryClientConfig.fromMap(Map.of(
        RegistryClientConfig.URL, "https://svc:pw@registry.example:8081",
        RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL",
        RegistryClientConfig.TRUSTSTORE_PASSWORD, "changeit"));
    assertThat(config.basicAuthUserInfo()).isEqualTo("svc:pw");
    assertThat(config.toString()).doesNotContain("pw").doesNotContain("changeit").contains("registry.example");
  }

  @Test
  void credentialsInTheUrlAreUsedWithoutNamingTheSource() {
    RegistryClientConfig fromUrl = RegistryClientConfig.fromMap(Map.of(RegistryClientConfig.URL, "https://svc:pw@registry.example:8081"));
    assertThat(fromUrl.basicAuthUserInfo()).isEqualTo("svc:pw");
    RegistryClientConfig explicit = RegistryClientConfig.fromMap(Map.of(
        RegistryClientConfig.URL, "https://svc:pw@registry.example:8081",
        RegistryClientConfig.BASIC_AUTH_USER_INFO, "other:secret"));
    assertThat(explicit.basicAuthUserInfo()).as("an explicit user info wins").isEqualTo("other:secret");
    RegistryClientConfig none = RegistryClientConfig.fromMap(Map.of(RegistryClientConfig.URL, "https://registry.example:8081"));
    assertThat(none.basicAuthUserInfo()).isNull();
  }

  @Test
  void unusableTlsSettingsFailAtCreationNamingTheStore() {
    assertThatThrownBy(() -> client(Map.of(RegistryClientConfig.TRUSTSTORE_LOCATION, "/no/such/truststore.jks",
        RegistryClientConfig.TRUSTSTORE_PASSWORD, "secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/no/such/truststore.jks")
        .hasMessageNotContaining("secret");
  }

  private static String quoted(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
