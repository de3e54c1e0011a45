package no.followup.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text file read line by line, each line decoded as UTF-8 on its own. {@code Files.readAllLines}
 * fails the whole file on one byte that is not UTF-8 (a Latin-1 'ø' in an export, a line torn in the
 * middle of a character by a crash); here only that line is unreadable and the caller decides what
 * to do with it, so the other lines stay usable.
 */
final class Utf8Lines {

  /**
   * One line, without its '\n' (or lone '\r').
   *
   * @param number 1-based, for error messages that must not quote the content
   * @param bytes the line as it is in the file (a trailing '\r' included)
   * @param text the decoded line without a trailing '\r', or null when it is not valid UTF-8
   */
  record Line(int number, byte[] bytes, String text) {}

  /** The file holds more than the caller accepts; the message names the limit, never the content. */
  static final class TooLargeException extends IOException {
    TooLargeException(Path file, long maxBytes) {
      super(file + " is larger than " + maxBytes + " bytes");
    }
  }

  /** A bound of no size but Java's own: the largest array it can hold, as {@code Files.readAllLines} has. */
  static final int ANY_SIZE = Integer.MAX_VALUE - 8;

  private Utf8Lines() {}

  /**
   * The file's lines, reading at most {@code maxBytes} (+1 to notice more): the size is checked on
   * what was read, not on {@code Files.size}, so a file growing while it is read is bounded too.
   */
  static List<Line> read(Path file, int maxBytes) throws IOException {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(maxBytes + 1);
    }
    if (content.length > maxBytes) {
      throw new TooLargeException(file, maxBytes);
    }
    return split(content);
  }

  static List<Line> split(byte[] content) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    while (start < content.length) {
      int end = start;
      while (end < content.length && content[end] != '\n' && !loneCarriageReturn(content, end)) {
        end++;
      }
      byte[] bytes = Arrays.copyOfRange(content, start, end);
      lines.add(new Line(lines.size() + 1, bytes, decode(bytes)));
      start = end + 1;
    }
    return lines;
  }

  /** A '\r' not followed by '\n' ends a line too, as in an old Mac export (and {@code Files.readAllLines}). */
  private static boolean loneCarriageReturn(byte[] content, int at) {
    return content[at] == '\r' && (at + 1 == content.length || content[at + 1] != '\n');
  }

  private static String decode(byte[] bytes) {
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
