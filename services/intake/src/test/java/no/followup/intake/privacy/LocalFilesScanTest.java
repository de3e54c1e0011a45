package no.followup.intake.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesScanTest {

  static final String ID = "p-7f3a9c";

  @TempDir Path dir;

  Path write(String relative, String content) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  Findings scan() {
    Findings out = new Findings();
    new LocalFilesScan(List.of(dir)).scan(ID, out);
    return out;
  }

  @Test
  void aLedgerOutboxOrContactLineOfTheParticipantIsAFinding() throws Exception {
    Path ledger = write("delivery/delivery-ledger.jsonl", "{\"reminderId\":\"r-1\",\"participantId\":\"" + ID + "\"}\n");
    Path contacts = write("delivery/contacts.csv", ID + ";+4791234567;nb;false\n");
    write("delivery/sms-outbox.jsonl", "{\"idempotencyKey\":\"r-2\"}\n"); // another participant's SMS

    Findings findings = scan();

    assertThat(findings.findings()).extracting(Findings.Item::where)
        .containsExactlyInAnyOrder(ledger.toString(), contacts.toString());
    assertThat(findings.findings()).allSatisfy(f -> assertThat(f.what()).doesNotContain("4791234567"));
  }

  @Test
  void markersTheAuditLogAndRocksDbFilesAreNotesAndTheBrokerIsSkipped() throws Exception {
    write("delivery/erased-participants.jsonl", "{\"participantId\":\"" + ID + "\"}\n");
    write("dashboard/audit.log", "{\"action\":\"read\",\"participantIds\":[\"" + ID + "\"]}\n");
    rocksDb("status/followup-status/0_1/rocksdb/status-events");
    write("status/followup-status/0_1/rocksdb/status-events/000042.sst", "..." + ID + "...");
    rocksDb("dashboard/state");
    write("dashboard/state/000004.log", "..." + ID + "...");
    write("kafka/kafka-logs/followup.events.v1-0/00000000000000000000.log", ID);

    Findings findings = scan();

    assertThat(findings.clean()).isTrue();
    assertThat(findings.notes()).hasSize(4);
  }

  @Test
  void aFileNamedLikeRocksDbsOutsideARocksDbDirectoryIsAFinding() throws Exception {
    write("dashboard/export/000004.log", "..." + ID + "...");
    write("dashboard/export/rocksdb/000042.sst", "..." + ID + "...");

    assertThat(scan().findings()).hasSize(2);
  }

  /** What makes a directory a RocksDB database: its CURRENT pointer and a manifest. */
  private void rocksDb(String dir) throws Exception {
    write(dir + "/CURRENT", "MANIFEST-000005\n");
    write(dir + "/MANIFEST-000005", "");
  }

  @Test
  void aCleanDirectoryHasNothingToSay() throws Exception {
    write("delivery/delivery-ledger.jsonl", "{\"reminderId\":\"r-1\",\"participantId\":\"p-other\"}\n");
    assertThat(scan().clean()).isTrue();
    assertThat(scan().notes()).isEmpty();
  }
}
