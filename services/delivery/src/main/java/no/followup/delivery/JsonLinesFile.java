package no.followup.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import no.followup.common.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of JSON records, one per line, each append forced to disk (fsync) before it
 * returns. A line torn by a crash mid-write (only ever the last one) does not parse and is skipped
 * on reading; the next append starts on a fresh line.
 */
final class JsonLinesFile<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JsonLinesFile.class);
  static final ObjectMapper JSON = Json.mapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final Class<T> type;
  private FileChannel channel;

  JsonLinesFile(Path file, Class<T> type) {
    this.file = file;
    this.type = type;
  }

  /** Reads every record (skipping torn lines) and opens the file for appending. */
  synchronized List<T> open() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      List<T> records = read();
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      if (channel.size() > 0 && !endsWithNewline()) {
        write("\n"); // after a torn last line
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file, e);
    }
  }

  /**
   * Removes the records {@code remove} matches by rewriting the file (see {@link #rewrite});
   * returns how many it removed.
   */
  synchronized int removeWhere(java.util.function.Predicate<T> remove) {
    try {
      List<T> records = read();
      List<T> kept = records.stream().filter(remove.negate()).toList();
      if (kept.size() < records.size()) {
        rewrite(kept);
      }
      return records.size() - kept.size();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private List<T> read() throws IOException {
    List<T> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    // line by line: a line torn in the middle of a multi-byte character is not UTF-8, and is skipped
    // like any other torn line instead of failing the whole file. The file is this service's own,
    // so only the largest array Java can hold bounds it (as Files.readAllLines did).
    for (Utf8Lines.Line line : Utf8Lines.read(file, Utf8Lines.ANY_SIZE)) {
      if (line.text() != null && line.text().isBlank()) {
        continue;
      }
      T record = line.text() == null ? null : parseOrNull(line.text());
      if (record == null) {
        log.warn("{}: line {} does not parse (torn by a crash?); skipped", file.getFileName(), line.number());
      } else {
        records.add(record);
      }
    }
    return records;
  }

  private T parseOrNull(String line) {
    try {
      return JSON.readValue(line, type);
    } catch (IOException torn) {
      return null;
    }
  }

  /** Appends one record and forces it to disk. */
  synchronized void append(T record) {
    try {
      write(JSON.writeValueAsString(record) + "\n");
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to " + file, e);
    }
  }

  /** Replaces the file's content with {@code records} atomically (write a copy, fsync, rename). */
  synchronized void rewrite(List<T> records) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (channel != null) {
        channel.close();
      }
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        StringBuilder text = new StringBuilder();
        for (T record : records) {
          text.append(JSON.writeValueAsString(record)).append('\n');
        }
        out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not rewrite " + file, e);
    }
  }

  private void write(String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private boolean endsWithNewline() throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      in.read(last, in.size() - 1);
      return last.get(0) == '\n';
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
