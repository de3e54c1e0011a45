package no.followup.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Writes a contact directory with made-up numbers for demo participants (the embedded default), so
 * the demo shows SMS in the outbox. Numbers are in +47 0xxxxxxx, a range not given to subscribers.
 * Every fifth participant reads nynorsk, every seventh declined digital contact, every eleventh has
 * no entry (to show each receipt status).
 */
public final class DemoContacts {

  private DemoContacts() {}

  /** Writes {@code file} unless it exists; returns how many participants it lists. */
  public static int writeIfAbsent(Path file, Collection<String> participantIds) {
    if (Files.exists(file)) {
      return -1;
    }
    StringBuilder out = new StringBuilder("# participantId;phone;language;optedOut  (demo data, made-up numbers)\n");
    int i = 0;
    int listed = 0;
    for (String participantId : participantIds) {
      i++;
      if (i % 11 == 0) {
        continue;
      }
      out.append(participantId).append(';')
          .append(String.format("+470%07d", i)).append(';')
          .append(i % 5 == 0 ? "nn" : "nb").append(';')
          .append(i % 7 == 0).append('\n');
      listed++;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    return listed;
  }
}
