package no.followup.intake.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;

/**
 * Scans the services' local files for one participant: the delivery ledger, the SMS outbox, the
 * contact directory and any other file of the data directories. Kept on purpose, and noted: the
 * erasure markers (the id only) and the audit log (the fact of access, no health data). RocksDB
 * stores (Kafka Streams state, the dashboard's read model) keep deleted rows in their files until
 * RocksDB compacts them; their live content is what the topics and changelogs hold, which
 * {@link TopicScan} checks, and their erasure markers (the id only), so a mention there is a note.
 * The broker's own log directory is the topics, scanned there.
 */
final class LocalFilesScan {

  /** Files that name the participant on purpose. */
  private static final Set<String> KEPT_ON_PURPOSE = Set.of("erased-participants.jsonl", "audit.log");

  private final List<Path> dataDirs;

  LocalFilesScan(List<Path> dataDirs) {
    this.dataDirs = dataDirs;
  }

  void scan(String participantId, Findings out) {
    byte[] id = participantId.getBytes(StandardCharsets.UTF_8);
    for (Path dir : dataDirs) {
      if (!Files.isDirectory(dir)) {
        out.note(dir.toString(), "not a directory: not scanned");
        continue;
      }
      try {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path sub, BasicFileAttributes attributes) {
            // the broker's log directory is the topics, scanned as topics; it changes while we look
            return dir.relativize(sub).startsWith("kafka") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              scanFile(file, id, out);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone while we looked (a temporary file of a running service)
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("could not walk " + dir, e);
      }
    }
  }

  private void scanFile(Path file, byte[] id, Findings out) {
    if (file.getFileName().toString().equals("master-key.json")) {
      return;
    }
    byte[] content;
    try {
      if (Files.size(file) > 256L * 1024 * 1024) {
        out.note(file.toString(), "larger than 256 MiB: not scanned");
        return;
      }
      content = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException gone) {
      return;
    } catch (IOException e) {
      out.note(file.toString(), "could not be read: " + e.getClass().getSimpleName());
      return;
    }
    if (!Findings.mentions(content, id)) {
      return;
    }
    String name = file.getFileName().toString();
    if (KEPT_ON_PURPOSE.contains(name)) {
      out.note(file.toString(), name.equals("audit.log") ? "the fact of access (ids, no health data)" : "erasure marker (the id only)");
    } else if (inRocksDb(file)) {
      out.note(file.toString(), "RocksDB store file: deleted rows stay until RocksDB compacts them"
          + " (live rows: see the topics and changelogs; erasure markers hold the id only)");
    } else {
      out.found(file.toString(), "names the participant");
    }
  }

  /**
   * Whether the file belongs to a RocksDB database: its directory holds RocksDB's {@code CURRENT}
   * pointer and a {@code MANIFEST-} file. Recognised by what is there rather than by where, so a
   * store of any service (Kafka Streams' {@code rocksdb/} directories, the dashboard's read model)
   * counts, and an ordinary file beside them does not.
   */
  private static boolean inRocksDb(Path file) {
    Path dir = file.getParent();
    if (dir == null || !Files.isRegularFile(dir.resolve("CURRENT"))) {
      return false;
    }
    try (var names = Files.list(dir)) {
      return names.anyMatch(name -> name.getFileName().toString().startsWith("MANIFEST-"));
    } catch (IOException e) {
      return false;
    }
  }
}
