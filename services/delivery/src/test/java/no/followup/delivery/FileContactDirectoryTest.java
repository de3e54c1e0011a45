package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContactDirectoryTest {

  @TempDir Path dir;

  @Test
  void readsTheFileAndSkipsBadLines() throws Exception {
    Path file = dir.resolve("contacts.csv");
    Files.writeString(file, """
        # participantId;phone;language;optedOut
        p-001;+4791234567;nb;false
        p-002;+47 987 65 432;nn;true

        p-003;91234567
        p-004;not-a-number;nb;false
        p-005;+4791234567;de;false
        """);
    FileContactDirectory directory = new FileContactDirectory(file);
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
    Path file = dir.resolve("contacts.csv");
    Files.writeString(file, "p-001;+4791234567\n");
    FileContactDirectory directory = new FileContactDirectory(file);
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
