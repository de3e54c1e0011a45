package no.followup.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedTextTest {

  @TempDir Path dir;

  @Test
  void textUpToTheBoundIsReadWholeAndLargerTextIsRefusedNamingWhatItIs() throws Exception {
    Path key = Files.writeString(dir.resolve("key.json"), "{\"ø\":1}");
    int size = (int) Files.size(key);

    assertThat(BoundedText.read(key, size, "--master-key-file")).isEqualTo("{\"ø\":1}");
    assertThatThrownBy(() -> BoundedText.read(key, size - 1, "--master-key-file"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--master-key-file is larger than " + (size - 1) + " bytes");
  }

  @Test
  void anEndlessStreamIsReadNoFurtherThanTheBound() {
    InputStream endless = new InputStream() {
      long served;

      @Override
      public int read() {
        served++;
        if (served > 10_000) {
          throw new AssertionError("read past the bound");
        }
        return 'x';
      }
    };
    assertThatThrownBy(() -> BoundedText.read(endless, 1024, "standard input")).hasMessageContaining("standard input");
    assertThat(new ByteArrayInputStream("ok".getBytes(StandardCharsets.UTF_8))).satisfies(in ->
        assertThat(BoundedText.read(in, 2, "standard input")).isEqualTo("ok"));
  }
}
