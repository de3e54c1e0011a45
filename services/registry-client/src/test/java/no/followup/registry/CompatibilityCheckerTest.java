package no.followup.registry;

import static no.followup.registry.TestEvents.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

  private static final Schema V1 = record("R", "{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema WITH_OPTIONAL = record("R", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}");
  private static final Schema WITH_REQUIRED = record("R", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");

  private static TreeMap<Integer, Schema> versions(Schema... schemas) {
    TreeMap<Integer, Schema> map = new TreeMap<>();
    for (int i = 0; i < schemas.length; i++) {
      map.put(i + 1, schemas[i]);
    }
    return map;
  }

  @Test
  void backwardAcceptsANewOptionalFieldAndRejectsANewRequiredOne() {
    assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, WITH_OPTIONAL, versions(V1)).compatible()).isTrue();

    CompatibilityResult required = CompatibilityChecker.check(CompatibilityLevel.BACKWARD, WITH_REQUIRED, versions(V1));
    assertThat(required.compatible()).isFalse();
    assertThat(required.messages()).singleElement().asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("version 1");
  }

  @Test
  void forwardIsTheOtherDirection() {
    // removing a field without default: old readers need it
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, V1, versions(WITH_REQUIRED)).compatible()).isFalse();
    assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, V1, versions(WITH_REQUIRED)).compatible()).isTrue();
    // adding a required field is fine for old readers (they skip it)
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, WITH_REQUIRED, versions(V1)).compatible()).isTrue();
  }

  @Test
  void fullNeedsBothDirections() {
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, WITH_OPTIONAL, versions(V1)).compatible()).isTrue();
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, WITH_REQUIRED, versions(V1)).compatible()).isFalse();
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, V1, versions(WITH_REQUIRED)).compatible()).isFalse();
  }

  @Test
  void transitiveLevelsCheckEveryVersionOthersOnlyTheLatest() {
    Schema v1 = record("R", "{\"name\":\"a\",\"type\":\"int\"}");
    Schema v2 = record("R", "");
    Schema v3 = record("R", "{\"name\":\"a\",\"type\":\"string\",\"default\":\"x\"}");
    // v3 reads v2 data (a gets its default) but not v1 data (int is not a string)
    assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, v3, versions(v1, v2)).compatible()).isTrue();
    CompatibilityResult transitive = CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, v3, versions(v1, v2));
    assertThat(transitive.compatible()).isFalse();
    assertThat(transitive.messages()).singleElement().asString().contains("TYPE_MISMATCH").contains("version 1");
  }

  @Test
  void unionBranchesMayBeAddedButNotRemovedUnderBackward() {
    Schema two = record("R", "{\"name\":\"p\",\"type\":[" + record("A", "").toString() + "," + record("B", "").toString() + "]}");
    Schema three = record("R", "{\"name\":\"p\",\"type\":[" + record("A", "").toString() + "," + record("B", "").toString()
        + "," + record("C", "").toString() + "]}");
    Schema one = record("R", "{\"name\":\"p\",\"type\":[" + record("A", "").toString() + "]}");
    assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, three, versions(two)).compatible()).isTrue();
    assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, one, versions(two)).messages())
        .anySatisfy(m -> assertThat(m).contains("MISSING_UNION_BRANCH"));
    // old readers cannot read the new branch
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, three, versions(two)).compatible()).isFalse();
  }

  @Test
  void noneAndNewSubjectsAcceptAnything() {
    assertThat(CompatibilityChecker.check(CompatibilityLevel.NONE, record("Other", ""), versions(V1)).compatible()).isTrue();
    assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL_TRANSITIVE, WITH_REQUIRED, versions()).compatible()).isTrue();
  }

  @Test
  void checkAgainstOneVersionIgnoresTheOthers() {
    assertThat(CompatibilityChecker.checkAgainst(CompatibilityLevel.BACKWARD, WITH_REQUIRED, 2, WITH_REQUIRED).compatible()).isTrue();
    assertThat(CompatibilityChecker.checkAgainst(CompatibilityLevel.BACKWARD, WITH_REQUIRED, 1, V1).compatible()).isFalse();
  }
}
