package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import no.followup.common.testing.LogCapture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FileContactDirectoryTest {

  /** "p-002;+4791111111;nb;false # Bjørn" as an office export in Latin-1 writes it: 0xF8 is not UTF-8. */
  private static final byte[] LATIN1_LINE = "p-002;+4791111111;nb;false # Bj\u00f8rn\n".getBytes(StandardCharsets.ISO_8859_1);

  @TempDir Path dir;
  private Path file;

  @RegisterExtension
  final LogCapture logged = LogCapture.of(FileContactDirectory.class);

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void file() {
    file = dir.resolve("contacts.csv");
  }

  /** A directory over {@link #file}, written with {@code content} first. */
  private FileContactDirectory directoryOf(String content) throws Exception {
    Files.writeString(file, content);
    return new FileContactDirectory(file);
  }

  private static void touch(Path file, int secondsAhead) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
  }

  @Test
  void aLineThatIsNotUtf8IsSkippedByNumberAndTheOthersStayReachable() throws Exception {
    Files.write(file, concat(utf8("p-001;+4791234567;nb;false\n"), LATIN1_LINE, utf8("p-003;+4792222222;nn;false\n")));
    FileContactDirectory directory = new FileContactDirectory(file);
    assertThat(directory.find("p-001")).hasValue(new Contact("+4791234567", false, Language.BOKMAL));
    assertThat(directory.find("p-003")).hasValue(new Contact("+4792222222", false, Language.NYNORSK));
    assertThat(directory.find("p-002")).isEmpty();
    assertThat(logged.messages())
        .contains("Contact directory line 2 skipped: not valid UTF-8")
        .noneMatch(m -> m.contains("4791111111") || m.contains("p-002"));
  }

  @Test
  void aSpreadsheetsByteOrderMarkIsNotPartOfTheFirstId() throws Exception {
    Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("p-001;+4791234567;nb;false\n")));
    FileContactDirectory directory = new FileContactDirectory(file);
    assertThat(directory.find("p-001")).hasValue(new Contact("+4791234567", false, Language.BOKMAL));

    directory.erase("p-001");
    assertThat(Files.readString(file)).doesNotContain("+4791234567");
  }

  @Test
  void aFileTooLargeIsRefusedAndTheLastGoodDirectoryStaysInUse() throws Exception {
    FileContactDirectory directory = directoryOf("p-001;+4791234567\n");
    assertThat(directory.find("p-001")).isPresent();

    byte[] padding = new byte[FileContactDirectory.MAX_FILE_BYTES];
    java.util.Arrays.fill(padding, (byte) '#');
    Files.write(file, concat(utf8("p-002;+4791111111\n"), padding));
    touch(file, 5);
    assertThat(directory.find("p-001")).isPresent();
    assertThat(directory.find("p-002")).isEmpty();
    assertThat(directory.size()).isEqualTo(1);
    assertThat(logged.events()).filteredOn(e -> e.getFormattedMessage().contains("refused")).hasSize(1);

    // erasure still finds the participant in the file refused for loading
    directory.erase("p-002");
    assertThat(Files.readString(file)).doesNotContain("+4791111111");
  }

  @Test
  void erasureRemovesALineTheDirectorySkipped() throws Exception {
    // p-001's language does not parse
    FileContactDirectory directory = directoryOf("p-001;+4791234567;xx\np-002;+4791111111\n");
    assertThat(directory.find("p-001")).isEmpty();

    assertThat(directory.erase("p-001")).isEqualTo(ContactDirectory.Erasure.REMOVED);
    assertThat(Files.readString(file)).doesNotContain("+4791234567").contains("+4791111111");
    assertThat(directory.erase("p-003")).isEqualTo(ContactDirectory.Erasure.NOT_LISTED);
  }

  @Test
  void linesEndedByACarriageReturnAloneAreLines() throws Exception {
    FileContactDirectory directory = directoryOf("p-001;+4791234567\rp-002;+4791111111;nn\r");
    assertThat(directory.find("p-001")).isPresent();
    assertThat(directory.find("p-002")).hasValueSatisfying(c -> assertThat(c.language()).isEqualTo(Language.NYNORSK));
  }

  @Test
  void anUnreadableFileKeepsTheLastGoodDirectoryAndIsLoggedOnce() throws Exception {
    FileContactDirectory directory = directoryOf("p-001;+4791234567\n");
    assertThat(directory.find("p-001")).isPresent();

    Files.delete(file);
    Files.createDirectory(file); // has a modification time, but reading it fails
    touch(file, 5);
    assertThat(directory.find("p-001")).isPresent();
    assertThat(directory.find("p-001")).isPresent();
    assertThat(logged.events()).filteredOn(e -> e.getFormattedMessage().contains("could not be read")).hasSize(1);

    Files.delete(file);
    Files.writeString(file, "p-002;+4791111111\n");
    touch(file, 10);
    assertThat(directory.find("p-002")).isPresent();
    assertThat(directory.find("p-001")).isEmpty();
  }

  @Test
  void erasureRemovesTheParticipantAndLeavesOtherLinesByteForByte() throws Exception {
    byte[] latin1Duplicate = "p-001;+4791234567;nb;false # \u00f8\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, concat(utf8("p-001;+4791234567;nb;false\r\n"), LATIN1_LINE, latin1Duplicate,
        utf8("p-003;+4792222222;nn;false\r\n")));
    FileContactDirectory directory = new FileContactDirectory(file);
    assertThat(directory.erase("p-001")).isEqualTo(ContactDirectory.Erasure.REMOVED);
    assertThat(Files.readAllBytes(file)).isEqualTo(concat(LATIN1_LINE, utf8("p-003;+4792222222;nn;false\r\n")));
    assertThat(directory.find("p-001")).isEmpty();
    assertThat(directory.find("p-003")).isPresent();
  }

  @Test
  void readsTheFileAndSkipsBadLines() throws Exception {
    FileContactDirectory directory = directoryOf("""
        # participantId;phone;language;optedOut
        p-001;+4791234567;nb;false
        p-002;+47 987 65 432;nn;true

        p-003;91234567
        p-004;not-a-number;nb;false
        p-005;+4791234567;de;false
        """);
    assertThat(directory.find("p-001")).hasValue(new Contact("+4791234567", false, Language.BOKMAL));
    assertThat(directory.find("p-002")).hasValue(new Contact("+4798765432", true, Language.NYNORSK));
    assertThat(directory.find("p-003")).hasValue(new Contact("91234567", false, Language.BOKMAL));
    assertThat(directory.find("p-004")).isEmpty();
    assertThat(directory.find("p-005")).isEmpty();
    assertThat(directory.find("p-999")).isEmpty();
    assertThat(directory.size()).isEqualTo(3);
  }

  @Test
  void picksUpChangesToTheFile() throws Exception {
    FileContactDirectory directory = directoryOf("p-001;+4791234567\n");
    assertThat(directory.find("p-002")).isEmpty();
    Files.writeString(file, "p-001;+4791234567\np-002;+4791111111;nn\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(directory.find("p-002")).hasValue(new Contact("+4791111111", false, Language.NYNORSK));
  }

  @Test
  void aMissingFileMeansNobodyIsReachable() {
    assertThat(new FileContactDirectory(dir.resolve("absent.csv")).find("p-001")).isEmpty();
  }

  @Test
  void phoneNumbersAreMaskedInToString() {
    Contact contact = new Contact("+4791234567", false, Language.BOKMAL);
    assertThat(contact.toString()).doesNotContain("91234567").contains("67");
    assertThat(new SmsMessage("k", "+4791234567", "hei").toString()).doesNotContain("9123");
  }
}
