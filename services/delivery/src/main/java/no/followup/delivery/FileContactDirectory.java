package no.followup.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contact directory in a local file, re-read when the file changes. One participant per line,
 * semicolon-separated; blank lines and lines starting with {@code #} are ignored:
 * <pre>
 * # participantId;phone;language;optedOut
 * p-001;+4791234567;nb;false
 * p-002;+4798765432;nn;true
 * p-003;91234567
 * </pre>
 * language is {@code nb} (bokmål, default) or {@code nn} (nynorsk); optedOut ({@code true}/{@code
 * false}, default false) marks a participant who declined digital contact. A line that does not
 * parse is skipped and reported by line number (never by content: it holds a phone number), and so
 * is a line that is not valid UTF-8: one Latin-1 'ø' must not make every other participant
 * unreachable. A file larger than {@link #MAX_FILE_BYTES}, or one that cannot be read, is not loaded:
 * the directory loaded before stays in use and the problem is logged once.
 *
 * <p>Four plain columns with no quoting: a split is clearer here than a CSV library.
 */
public final class FileContactDirectory implements ContactDirectory {

  private static final Logger log = LoggerFactory.getLogger(FileContactDirectory.class);
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{8,15}");

  /**
   * The largest file read. A county's directory is about 100,000 lines of about 40 bytes (4 MB);
   * twice that leaves room to grow while a runaway or wrong file is refused before it fills the heap.
   */
  static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  private final Path file;
  private final boolean managedOutside;
  private FileTime loadedVersion;
  private Map<String, Contact> contacts = Map.of();
  private boolean warnedMissing;
  /** A version refused as too large: reading it again would refuse it again. */
  private FileTime refusedVersion;
  private boolean warnedUnreadable;

  /** A file this service keeps: erasure removes the participant's lines. */
  public FileContactDirectory(Path file) {
    this(file, false);
  }

  /**
   * @param managedOutside the file is kept by another system (an export of the office's register), so
   *     erasure leaves it as it is and answers {@link Erasure#MANAGED_OUTSIDE}
   */
  public FileContactDirectory(Path file, boolean managedOutside) {
    this.file = file;
    this.managedOutside = managedOutside;
  }

  @Override
  public synchronized Optional<Contact> find(String participantId) {
    reloadIfChanged();
    return Optional.ofNullable(contacts.get(participantId));
  }

  /**
   * Removes the participant's lines from the file (rewritten beside it and moved over it, so a reader
   * never sees half a file), leaving every other line as it was. A file managed outside, or one this
   * service cannot write (mounted read-only), keeps the entry, and the answer tells the caller to
   * report it.
   */
  @Override
  public synchronized Erasure erase(String participantId) {
    reloadIfChanged();
    if (managedOutside) {
      return contacts.containsKey(participantId) ? Erasure.MANAGED_OUTSIDE : Erasure.NOT_LISTED;
    }
    if (!Files.exists(file)) {
      return Erasure.NOT_LISTED;
    }
    Path copy = file.resolveSibling(file.getFileName() + ".erasing");
    try {
      // The file, not the directory loaded from it: a line skipped for a bad column or byte, or a file
      // refused as too large to load, still holds the participant's phone number. Whatever its size.
      List<Utf8Lines.Line> lines = Utf8Lines.read(file, Utf8Lines.ANY_SIZE);
      List<Utf8Lines.Line> kept = lines.stream().filter(line -> !participantId.equals(idOf(line))).toList();
      if (kept.size() == lines.size()) {
        return Erasure.NOT_LISTED;
      }
      // other lines are written back byte for byte, even those that are not valid UTF-8
      try (OutputStream out = Files.newOutputStream(copy)) {
        for (Utf8Lines.Line line : kept) {
          out.write(line.bytes());
          out.write('\n');
        }
      }
      Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileSystemException | java.nio.file.ReadOnlyFileSystemException denied) {
      // permission denied, or a read-only mount
      return Erasure.MANAGED_OUTSIDE;
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove an entry from contact directory " + file, e);
    }
    loadedVersion = null;
    reloadIfChanged();
    return Erasure.REMOVED;
  }

  /** How many participants the file lists (after a reload if it changed). */
  public synchronized int size() {
    reloadIfChanged();
    return contacts.size();
  }

  private void reloadIfChanged() {
    FileTime version;
    try {
      version = Files.getLastModifiedTime(file);
    } catch (NoSuchFileException missing) {
      if (!warnedMissing) {
        log.warn("Contact directory {} does not exist; no participant can be reached by SMS", file);
        warnedMissing = true;
      }
      contacts = Map.of();
      loadedVersion = null;
      return;
    } catch (IOException e) {
      keepLastGood(e);
      return;
    }
    if (version.equals(loadedVersion) || version.equals(refusedVersion)) {
      return;
    }
    try {
      contacts = parse(Utf8Lines.read(file, MAX_FILE_BYTES));
      loadedVersion = version;
      refusedVersion = null;
      warnedMissing = false;
      warnedUnreadable = false;
      log.info("Loaded contact directory {}: {} participants", file, contacts.size());
    } catch (Utf8Lines.TooLargeException e) {
      refusedVersion = version;
      log.warn("Contact directory {} refused: larger than {} bytes; keeping the {} participants loaded before", file,
          MAX_FILE_BYTES, contacts.size());
    } catch (IOException e) {
      keepLastGood(e);
    }
  }

  /**
   * A directory that cannot be read now is not a reason to stop delivery (the caller would retry the
   * reminder forever): the last good one stays in use, and the next lookup tries again. Logged once
   * until a load succeeds, by the exception's class (not its free-text message).
   */
  private void keepLastGood(IOException e) {
    if (!warnedUnreadable) {
      log.warn("Contact directory {} could not be read ({}); keeping the {} participants loaded before", file,
          e.getClass().getName(), contacts.size());
      warnedUnreadable = true;
    }
  }

  /**
   * The participantId of a line, bytes that are not UTF-8 replaced: erasure must find the id even on
   * a line the directory skipped for a bad byte in another column.
   */
  private static String idOf(Utf8Lines.Line line) {
    return withoutByteOrderMark(new String(line.bytes(), StandardCharsets.UTF_8)).split(";", 2)[0].strip();
  }

  /** A spreadsheet's UTF-8 export starts with a byte-order mark, which is no part of the first participantId. */
  private static String withoutByteOrderMark(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  static Map<String, Contact> parse(List<Utf8Lines.Line> lines) {
    Map<String, Contact> parsed = new HashMap<>();
    for (Utf8Lines.Line raw : lines) {
      if (raw.text() == null) {
        log.warn("Contact directory line {} skipped: not valid UTF-8", raw.number());
        continue;
      }
      String line = withoutByteOrderMark(raw.text()).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split(";", -1);
      try {
        if (cols.length < 2 || cols[0].isBlank()) {
          throw new IllegalArgumentException("expected participantId;phone[;language[;optedOut]]");
        }
        String phone = cols[1].strip().replace(" ", "");
        if (!PHONE.matcher(phone).matches()) {
          throw new IllegalArgumentException("not a phone number");
        }
        Language language = cols.length > 2 ? Language.parse(cols[2]) : Language.BOKMAL;
        boolean optedOut = cols.length > 3 && parseFlag(cols[3]);
        parsed.put(cols[0].strip(), new Contact(phone, optedOut, language));
      } catch (IllegalArgumentException e) {
        log.warn("Contact directory line {} skipped: {}", raw.number(), e.getMessage());
      }
    }
    return Map.copyOf(parsed);
  }

  private static boolean parseFlag(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "", "false", "no", "nei", "0" -> false;
      case "true", "yes", "ja", "1" -> true;
      default -> throw new IllegalArgumentException("optedOut must be true or false");
    };
  }
}
