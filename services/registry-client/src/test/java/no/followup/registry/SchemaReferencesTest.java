package no.followup.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import no.followup.events.FollowUpEvent;
import no.followup.registry.FakeRegistryServer.Response;
import no.followup.registry.serde.GenericAvroDeserializer;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.serde.WireFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writer schemas registered with references, as Confluent's clients can register them, read by the REST client. */
class SchemaReferencesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Response SUBJECT_NOT_FOUND = Response.json(404, "{\"error_code\":40401,\"message\":\"Subject not found.\"}");

  private record Ref(String name, String subject, int version) {}

  private FakeRegistryServer server;
  /** Answers by "METHOD path?query"; anything else is an unknown subject. */
  private final Map<String, Response> routes = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeRegistryServer();
    server.answer(request -> routes.getOrDefault(request.method() + " " + request.pathAndQuery(), SUBJECT_NOT_FOUND));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRecordWhoseWriterSchemaReferencesOtherSubjectsIsReadIntoOurType() {
    // FollowUpEvent as a producer registers it with references: Actor and StaffRole under their own
    // subjects, the event naming Actor, Actor naming StaffRole, and the event referencing StaffRole too
    ObjectNode event = (ObjectNode) tree(TestEvents.contractSchema().toString());
    ObjectNode actor = (ObjectNode) field(event, "actor").get("type");
    ObjectNode staffRole = (ObjectNode) field(actor, "role").get("type");
    field(event, "actor").put("type", "no.followup.events.Actor");
    field(actor, "role").put("type", "no.followup.events.StaffRole");
    actor.put("namespace", "no.followup.events");
    staffRole.put("namespace", "no.followup.events");
    routes.put("POST /subjects/followup.events.v1-value/versions", Response.json(200, "{\"id\":31}"));
    routes.put("GET /schemas/ids/31", answer(event.toString(),
        new Ref("no.followup.events.Actor", "actor", 2), new Ref("no.followup.events.StaffRole", "staff-role", 1)));
    routes.put("GET /subjects/actor/versions/2?deleted=true", answer(actor.toString(),
        new Ref("no.followup.events.StaffRole", "staff-role", 1)));
    routes.put("GET /subjects/staff-role/versions/1?deleted=true", answer(staffRole.toString()));
    RestSchemaRegistryClient consumerSide = client();
    var serializer = new SpecificAvroSerializer<FollowUpEvent>(client());
    var deserializer = new SpecificAvroDeserializer<>(consumerSide, FollowUpEvent.class);

    FollowUpEvent written = TestEvents.meetingScheduled("p-31");
    byte[] bytes = serializer.serialize("followup.events.v1", written);

    assertThat(deserializer.deserialize("followup.events.v1", bytes)).isEqualTo(written);
    assertThat(deserializer.deserialize("followup.events.v1", bytes)).isEqualTo(written);
    assertThat(consumerSide.getSchemaById(31)).as("the referenced types in place").isEqualTo(TestEvents.contractSchema());
    assertThat(server.count("GET", "/schemas/ids/31")).isEqualTo(1);
    assertThat(server.count("GET", "/subjects/actor/")).isEqualTo(1);
    assertThat(server.count("GET", "/subjects/staff-role/")).as("referenced twice, fetched once").isEqualTo(1);
  }

  @Test
  void aReferenceCycleIsAnInvalidSchemaNamingTheReference() {
    routes.put("GET /schemas/ids/41", answer(record("Main", "test.A"), new Ref("test.A", "a", 1)));
    routes.put("GET /subjects/a/versions/1?deleted=true", answer(record("A", "test.B"), new Ref("test.B", "b", 1)));
    routes.put("GET /subjects/b/versions/1?deleted=true", answer(record("B", "test.A"), new Ref("test.A", "a", 1)));

    assertThatThrownBy(() -> client().getSchemaById(41))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.isTransient()).isFalse();
          assertThat(e.getMessage()).contains("subject 'b' version 1 references[0] 'test.A' (subject 'a' version 1)")
              .contains("cycle: test.A -> test.B -> test.A");
        });
    assertThat(server.count("GET", "/subjects/a/")).isEqualTo(1);
    assertThat(server.count("GET", "/subjects/b/")).isEqualTo(1);
  }

  @Test
  void aChainOfReferencesDeeperThanTheBoundIsInvalid() {
    routes.put("GET /schemas/ids/51", answer(record("Main", "test.T1"), new Ref("test.T1", "s-1", 1)));
    for (int i = 1; i <= ReferencedSchemaParser.MAX_DEPTH + 5; i++) {
      routes.put("GET /subjects/s-" + i + "/versions/1?deleted=true",
          answer(record("T" + i, "test.T" + (i + 1)), new Ref("test.T" + (i + 1), "s-" + (i + 1), 1)));
    }

    assertThatThrownBy(() -> client().getSchemaById(51))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("'test.T17' (subject 's-17' version 1) nests references deeper than 16");
        });
    assertThat(server.count("GET", "/subjects/")).isEqualTo(ReferencedSchemaParser.MAX_DEPTH);
  }

  @Test
  void moreReferencedSchemasThanTheBoundAreInvalid() {
    ArrayNode references = JSON.createArrayNode();
    for (int i = 0; i < ReferencedSchemaParser.MAX_REFERENCES + 10; i++) {
      references.addObject().put("name", "test.E" + i).put("subject", "e-" + i).put("version", 1);
      routes.put("GET /subjects/e-" + i + "/versions/1?deleted=true",
          answer("{\"type\":\"enum\",\"name\":\"E" + i + "\",\"namespace\":\"test\",\"symbols\":[\"X\"]}"));
    }
    ObjectNode main = JSON.createObjectNode().put("schema", record("Main", "test.E0"));
    main.set("references", references);
    routes.put("GET /schemas/ids/52", Response.json(200, main.toString()));

    assertThatThrownBy(() -> client().getSchemaById(52))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("references[256] 'test.E256'").contains("limit of 256 referenced schemas");
        });
    assertThat(server.count("GET", "/subjects/")).isEqualTo(ReferencedSchemaParser.MAX_REFERENCES);
  }

  @Test
  void referencedSchemasLargerTogetherThanOneAnswerAreInvalid() {
    String doc = "d".repeat((int) ReferencedSchemaParser.MAX_REFERENCED_CHARS / 2);
    routes.put("GET /schemas/ids/53", answer(record("Main", "test.Big1"),
        new Ref("test.Big1", "big-1", 1), new Ref("test.Big2", "big-2", 1)));
    for (int i = 1; i <= 2; i++) {
      routes.put("GET /subjects/big-" + i + "/versions/1?deleted=true",
          answer("{\"type\":\"enum\",\"name\":\"Big" + i + "\",\"namespace\":\"test\",\"doc\":\"" + doc + "\",\"symbols\":[\"X\"]}"));
    }

    assertThatThrownBy(() -> client().getSchemaById(53))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("references[1] 'test.Big2'")
              .contains("past " + ReferencedSchemaParser.MAX_REFERENCED_CHARS + " characters");
        });
  }

  @Test
  void aMissingReferencedSubjectIsAnInvalidSchemaNotAnUnreachableRegistry() {
    routes.put("GET /schemas/ids/61", answer(record("Main", "test.Gone"), new Ref("test.Gone", "gone", 3)));

    assertThatThrownBy(() -> client().getSchemaById(61))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.isTransient()).isFalse();
          assertThat(e.getMessage()).contains("schema id 61 references[0] 'test.Gone' (subject 'gone' version 3) cannot be fetched")
              .contains("404 (error_code 40401)");
        });
    assertThat(server.count("GET", "/subjects/gone/versions/3")).as("a final answer, not retried").isEqualTo(1);

    // a record carrying that id is undecodable for good (a dead letter), and says why
    byte[] record = concat(WireFormat.header(61), new byte[] {2});
    assertThatThrownBy(() -> new GenericAvroDeserializer(client()).deserialize("t", record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'test.Gone' (subject 'gone' version 3)")
        .cause().isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isFalse());
  }

  @Test
  void aMalformedReferenceIsInvalidNamingTheField() {
    routes.put("GET /schemas/ids/71", Response.json(200,
        "{\"schema\":" + quoted(record("Main", "test.X")) + ",\"references\":[{\"name\":\"test.X\",\"version\":1}]}"));

    assertThatThrownBy(() -> client().getSchemaById(71))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("schema id 71 references[0]: 'subject' is missing or not a string");
        });
    assertThat(server.count("GET", "/subjects/")).isZero();
  }

  @Test
  void aRegistryFailingWhileReferencesAreFetchedStaysTransientAndNothingIsCached() {
    AtomicBoolean down = new AtomicBoolean(true);
    String referenced = "GET /subjects/x/versions/1?deleted=true";
    routes.put("GET /schemas/ids/81", answer(record("Main", "test.X"), new Ref("test.X", "x", 1)));
    server.answer(request -> {
      String route = request.method() + " " + request.pathAndQuery();
      if (route.equals(referenced) && down.get()) {
        return Response.json(503, "{\"error_code\":50003,\"message\":\"busy\"}");
      }
      return routes.getOrDefault(route, SUBJECT_NOT_FOUND);
    });
    routes.put(referenced, answer("{\"type\":\"enum\",\"name\":\"X\",\"namespace\":\"test\",\"symbols\":[\"A\"]}"));
    RestSchemaRegistryClient client = client();

    assertThatThrownBy(() -> client.getSchemaById(81))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SERVER_ERROR);
          assertThat(e.isTransient()).isTrue();
          assertThat(e.getMessage()).contains("'test.X' (subject 'x' version 1)");
        });
    down.set(false);
    assertThat(client.getSchemaById(81).getField("value").schema().getFullName()).isEqualTo("test.X");
  }

  private RestSchemaRegistryClient client() {
    return (RestSchemaRegistryClient) SchemaRegistryClients.create(Map.of(
        RegistryClientConfig.URL, server.url(),
        RegistryClientConfig.MAX_RETRIES, 2,
        RegistryClientConfig.RETRY_BACKOFF_MS, 10));
  }

  /** A record of one field, {@code value}, of the named type {@code fieldType}. */
  private static String record(String name, String fieldType) {
    return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\",\"fields\":[{\"name\":\"value\",\"type\":\""
        + fieldType + "\"}]}";
  }

  /** A registry's answer for a schema or a subject's version: the schema text and its references. */
  private static Response answer(String schema, Ref... references) {
    ObjectNode answer = JSON.createObjectNode().put("schema", schema);
    if (references.length > 0) {
      ArrayNode list = answer.putArray("references");
      for (Ref reference : references) {
        list.addObject().put("name", reference.name()).put("subject", reference.subject()).put("version", reference.version());
      }
    }
    return Response.json(200, answer.toString());
  }

  private static ObjectNode field(JsonNode record, String name) {
    for (JsonNode field : record.get("fields")) {
      if (field.get("name").asText().equals(name)) {
        return (ObjectNode) field;
      }
    }
    throw new IllegalArgumentException("no field " + name);
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quoted(String text) {
    return JSON.getNodeFactory().textNode(text).toString();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
