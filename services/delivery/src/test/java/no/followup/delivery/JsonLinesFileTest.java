package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileTest {

  record Line(String key, String text) {}

  @TempDir Path dir;

  @Test
  void aLastLineTornInsideAMultiByteCharacterIsSkippedAndAppendingGoesOn() throws Exception {
    Path path = dir.resolve("outbox.jsonl");
    byte[] whole = "{\"key\":\"r-1\",\"text\":\"Husk p\u00e5minnelsen\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] torn = "{\"key\":\"r-2\",\"text\":\"Husk p\u00e5minnelsen\"}".getBytes(StandardCharsets.UTF_8);
    int insideTheA = new String(torn, StandardCharsets.UTF_8).indexOf('\u00e5') + 1; // after 0xC3, before 0xA5
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(whole);
    content.writeBytes(Arrays.copyOf(torn, insideTheA));
    Files.write(path, content.toByteArray());

    try (JsonLinesFile<Line> file = new JsonLinesFile<>(path, Line.class)) {
      assertThat(file.open()).containsExactly(new Line("r-1", "Husk p\u00e5minnelsen"));
      file.append(new Line("r-3", "Hei"));
    }
    try (JsonLinesFile<Line> reopened = new JsonLinesFile<>(path, Line.class)) {
      assertThat(reopened.open()).containsExactly(new Line("r-1", "Husk p\u00e5minnelsen"), new Line("r-3", "Hei"));
    }
  }
}
