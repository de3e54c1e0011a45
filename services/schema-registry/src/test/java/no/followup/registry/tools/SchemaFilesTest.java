package no.followup.registry.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFilesTest {

  @TempDir Path dir;

  @Test
  void aFileMayNameATypeAFileLaterInNameOrderDefines() throws Exception {
    Files.writeString(dir.resolve("A.avsc"), """
        {"type": "record", "name": "Uses", "namespace": "t", "fields": [{"name": "inner", "type": "t.Defined"}]}""");
    Files.writeString(dir.resolve("B.avsc"), """
        {"type": "record", "name": "Outer", "namespace": "t", "fields": [
          {"name": "defined", "type": {"type": "record", "name": "Defined", "fields": [{"name": "x", "type": "int"}]}}]}""");

    var schemas = SchemaFiles.fromDirectory(dir);

    assertThat(schemas).containsOnlyKeys("A.avsc", "B.avsc");
    assertThat(schemas.get("A.avsc").getField("inner").schema().getFullName()).isEqualTo("t.Defined");
  }

  @Test
  void aTypeNoFileDefinesAndABrokenFileAreNamedInTheError() throws Exception {
    Files.writeString(dir.resolve("A.avsc"), """
        {"type": "record", "name": "Uses", "namespace": "t", "fields": [{"name": "inner", "type": "t.Nowhere"}]}""");
    assertThatThrownBy(() -> SchemaFiles.fromDirectory(dir)).hasMessageContaining("A.avsc").hasMessageContaining("t.Nowhere");

    Files.writeString(dir.resolve("A.avsc"), "{\"type\": \"record\"");
    assertThatThrownBy(() -> SchemaFiles.fromDirectory(dir)).hasMessageContaining("invalid Avro schema in A.avsc");
  }
}
