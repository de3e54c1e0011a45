package no.followup.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text read from a file or a stream with a bound on its size: a file named on a command line or in
 * the environment may be anything, and reading it whole first would let a wrong path (a log, a
 * device, a disk image) fill the heap before any check looks at it.
 */
public final class BoundedText {

  private BoundedText() {}

  /**
   * The file's text as UTF-8.
   *
   * @param what names the file in the error, e.g. the option it came from
   * @throws IllegalArgumentException when it holds more than {@code maxBytes}
   */
  public static String read(Path file, int maxBytes, String what) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, maxBytes, what);
    }
  }

  /** The stream's text as UTF-8, read to its end; the same bound and error as {@link #read(Path, int, String)}. */
  public static String read(InputStream in, int maxBytes, String what) throws IOException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(what + " is larger than " + maxBytes + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
