package no.followup.registry;

import static no.followup.registry.TestEvents.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

  private static final Schema V1 = record("R", "{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema V2 = record("R", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}");
  private static final Schema BREAKING = record("R", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"string\"}");

  @AfterEach
  void forget() {
    InMemorySchemaRegistryClient.dropScope("in-memory-test");
  }

  @Test
  void mockUrlsShareOneRegistryPerScope() {
    SchemaRegistryClient first = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://in-memory-test"));
    SchemaRegistryClient second = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://in-memory-test"));
    SchemaRegistryClient other = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://another-scope"));

    int id = first.register("t-value", V1);

    assertThat(second.getSchemaById(id)).isEqualTo(V1);
    assertThat(second.getId("t-value", V1)).isEqualTo(id);
    assertThatThrownBy(() -> other.getSchemaById(id)).isInstanceOf(SchemaRegistryException.class);
    InMemorySchemaRegistryClient.dropScope("another-scope");
  }

  @Test
  void registrationIsIdempotentAndIdsAreGlobal() {
    SchemaRegistryClient client = new InMemorySchemaRegistryClient();
    int id = client.register("a-value", V1);
    assertThat(client.register("a-value", V1)).isEqualTo(id);
    assertThat(client.register("b-value", V1)).isEqualTo(id);
    int id2 = client.register("a-value", V2);
    assertThat(id2).isNotEqualTo(id);
    assertThat(client.getVersions("a-value")).containsExactly(1, 2);
    assertThat(client.getLatestVersion("a-value")).isEqualTo(new RegisteredSchema("a-value", 2, id2, V2));
    assertThat(client.lookup("a-value", V1).version()).isEqualTo(1);
    assertThat(client.getSubjects()).containsExactly("a-value", "b-value");
  }

  @Test
  void incompatibleSchemasAreRejectedWith409UnlessTheLevelAllowsThem() {
    SchemaRegistryClient client = new InMemorySchemaRegistryClient();
    client.register("s", V1);
    assertThat(client.testCompatibility("s", BREAKING)).isFalse();
    assertThatThrownBy(() -> client.register("s", BREAKING))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
          assertThat(e.getMessage()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        });

    client.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(client.register("s", BREAKING)).isPositive();
  }

  @Test
  void subjectLevelsInheritTheGlobalLevelUntilSet() {
    SchemaRegistryClient client = new InMemorySchemaRegistryClient();
    assertThat(client.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.BACKWARD);
    client.setGlobalCompatibility(CompatibilityLevel.FULL);
    assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.FULL);
    client.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(client.getCompatibility("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
  }

  @Test
  void unknownThingsAreNotFoundWithConfluentCodes() {
    SchemaRegistryClient client = new InMemorySchemaRegistryClient();
    client.register("s", V1);
    assertThatThrownBy(() -> client.getVersions("nope"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    assertThatThrownBy(() -> client.getVersion("s", 9))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
    assertThatThrownBy(() -> client.getSchemaById(999))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> client.getId("s", V2))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
  }
}
