package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import no.followup.reminders.Audience;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasure in delivery, against the real marker, outbox and contact files and a ledger topic kept as compaction leaves it. */
class DeliveryErasureTest {

  static final Instant NOW = Instant.parse("2025-03-04T09:00:00Z");
  static final Instant MEETING = Instant.parse("2025-03-05T09:00:00Z");
  static final String ERASED = "p-erased";
  static final String KEPT = "p-kept";

  @TempDir Path dir;
  Path contactsFile;
  DeliveryLedger ledger;
  ErasedParticipants markers;
  OutboxSmsGateway outbox;
  FileContactDirectory contacts;

  /** The topics' latest value per key, as compaction leaves them: an absent key is a tombstone. */
  final Map<String, Optional<CoordinatorTask>> tasks = new LinkedHashMap<>();
  final Map<String, Optional<DeliveryReceipt>> receipts = new LinkedHashMap<>();
  final Map<String, Optional<DeliveryLedger.Entry>> ledgerTopic = new LinkedHashMap<>();
  final List<Runnable> uncommitted = new ArrayList<>();
  boolean commitEveryRecord = true;

  final ReminderDelivery.Output out = new ReminderDelivery.Output() {
    @Override
    public void task(String taskId, CoordinatorTask task) {
      tasks.put(taskId, Optional.ofNullable(task));
    }

    @Override
    public void receipt(DeliveryReceipt receipt) {
      receipts.put(receipt.getReminderId().toString(), Optional.of(receipt));
    }

    @Override
    public void receiptErased(String reminderId) {
      receipts.put(reminderId, Optional.empty());
    }

    @Override
    public void ledger(DeliveryLedger.Entry entry) {
      afterCommit(() -> {
        ledgerTopic.put(entry.reminderId(), Optional.of(entry));
        ledger.put(0, entry);
      });
    }

    @Override
    public void ledgerErased(String reminderId) {
      afterCommit(() -> {
        ledgerTopic.put(reminderId, Optional.empty());
        ledger.remove(reminderId);
      });
    }

    @Override
    public void commitBeforeGatewayCall() {}

    @Override
    public void afterCommit(Runnable action) {
      if (commitEveryRecord) {
        action.run();
      } else {
        uncommitted.add(action);
      }
    }
  };

  @BeforeEach
  void open() throws Exception {
    contactsFile = dir.resolve("contacts.csv");
    Files.writeString(contactsFile, """
        # participantId;phone;language;optedOut
        p-erased;+4791234567;nb;false
        p-kept;+4791234568;nn;false
        """);
    openFiles();
  }

  void openFiles() {
    // a restart reads the ledger back from its topic
    ledger = new DeliveryLedger();
    ledger.load(0, ledgerTopic.values().stream().flatMap(Optional::stream).toList());
    markers = ErasedParticipants.open(dir.resolve("erased.jsonl"));
    outbox = new OutboxSmsGateway(dir.resolve("outbox.jsonl"), Clock.fixed(NOW, ZoneOffset.UTC));
    contacts = new FileContactDirectory(contactsFile);
  }

  @AfterEach
  void closeFiles() {
    markers.close();
    outbox.close();
  }

  ReminderDelivery delivery() {
    return new ReminderDelivery(ledger, markers, contacts, outbox, ZoneId.of("Europe/Oslo"), DeliveryHooks.NONE,
        new DeliveryMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }

  /** What reminders sends for every erasure, last. */
  static Reminder participantErased(String participantId) {
    return Reminder.newBuilder()
        .setReminderId(UUID.randomUUID())
        .setKind(ReminderKind.UNKNOWN)
        .setAudience(Audience.PARTICIPANT)
        .setStatus(ReminderStatus.ERASED)
        .setParticipantId(participantId)
        .setOfficeId("0403")
        .setDueAt(NOW)
        .setCreatedAt(NOW)
        .build();
  }

  /** An SMS, an open and a resolved task for each participant. */
  List<Reminder> history(ReminderDelivery delivery, String participantId) {
    Reminder sms = Reminders.participant(participantId, MEETING, MeetingPlaceKind.OFFICE);
    Reminder missed = Reminders.task(participantId, ReminderKind.REACH_OUT_AFTER_MISS, MEETING);
    Reminder inactivity = Reminders.task(participantId, ReminderKind.INACTIVITY, null);
    delivery.handle(sms, NOW, out);
    delivery.handle(missed, NOW, out);
    delivery.handle(inactivity, NOW, out);
    delivery.handle(Reminders.withStatus(inactivity, ReminderStatus.RESOLVED), NOW, out);
    return List.of(sms, missed, inactivity);
  }

  static String id(Reminder r) {
    return r.getReminderId().toString();
  }

  @Test
  void erasureRemovesEveryTaskReceiptLedgerEntryOutboxLineAndTheContactEntry() throws Exception {
    ReminderDelivery delivery = delivery();
    List<Reminder> erased = history(delivery, ERASED);
    List<Reminder> kept = history(delivery, KEPT);
    assertThat(Files.readString(dir.resolve("outbox.jsonl")).lines()).hasSize(2);

    // reminders never sent ERASED for the resolved inactivity task: the ledger's index still finds it
    delivery.handle(participantErased(ERASED), NOW, out);

    for (Reminder r : erased) {
      assertThat(tasks.getOrDefault(id(r), Optional.empty())).as("task %s", r.getKind()).isEmpty();
      assertThat(receipts.getOrDefault(id(r), Optional.empty())).as("receipt %s", r.getKind()).isEmpty();
    }
    assertThat(tasks).containsKeys(id(erased.get(1)), id(erased.get(2))); // tombstones were written
    assertThat(receipts).containsKey(id(erased.get(0)));
    assertThat(tasks.get(id(kept.get(1)))).isPresent();
    assertThat(receipts.get(id(kept.get(0)))).isPresent();

    String outboxLines = Files.readString(dir.resolve("outbox.jsonl"));
    assertThat(outboxLines.lines()).hasSize(1);
    assertThat(outboxLines).doesNotContain(id(erased.get(0))).contains(id(kept.get(0)));
    assertThat(ledgerOf(ERASED)).isEmpty();
    for (Reminder r : erased) {
      assertThat(ledgerTopic.get(id(r))).as("ledger tombstone of %s", r.getKind()).isEmpty();
    }
    assertThat(ledgerOf(KEPT)).hasSize(3);
    assertThat(ledger.entriesOf(ERASED)).isEmpty();
    assertThat(Files.readString(contactsFile)).doesNotContain(ERASED).doesNotContain("91234567")
        .contains("p-kept;+4791234568;nn;false").contains("# participantId");
    assertThat(contacts.find(ERASED)).isEmpty();
    assertThat(Files.readString(dir.resolve("erased.jsonl"))).contains(ERASED).doesNotContain(id(erased.get(1)));
    assertThat(delivery.stats()).containsEntry("erasures", 1L).containsEntry("erasure.contactEntriesLeftToOperator", 0L);
  }

  @Test
  void laterRemindersForAnErasedParticipantDeriveNothingEvenAfterARestart() {
    ReminderDelivery delivery = delivery();
    delivery.handle(participantErased(ERASED), NOW, out);
    tasks.clear();
    receipts.clear();

    delivery.handle(Reminders.participant(ERASED, MEETING, MeetingPlaceKind.HOME_VISIT), NOW, out);
    closeFiles();
    openFiles();
    ReminderDelivery restarted = delivery();
    restarted.handle(Reminders.task(ERASED, ReminderKind.REACH_OUT_AFTER_MISS, MEETING), NOW, out);
    restarted.handle(Reminders.participant(ERASED, MEETING, MeetingPlaceKind.OFFICE), NOW, out);

    assertThat(tasks).isEmpty();
    assertThat(receipts).isEmpty();
    assertThat(outbox.size()).isZero();
    assertThat(restarted.stats()).containsEntry("erasure.remindersIgnored", 2L);

    // a new pseudonymous id starts over
    restarted.handle(Reminders.participant(KEPT, MEETING, MeetingPlaceKind.OFFICE), NOW, out);
    assertThat(outbox.size()).isOne();
  }

  @Test
  void aContactDirectoryManagedOutsideIsReportedNotChanged() throws Exception {
    contacts = new FileContactDirectory(contactsFile, true);
    ReminderDelivery delivery = delivery();
    delivery.handle(participantErased(ERASED), NOW, out);

    assertThat(Files.readString(contactsFile)).contains(ERASED);
    assertThat(delivery.stats()).containsEntry("erasure.contactEntriesLeftToOperator", 1L);
    assertThat(markers.completed(ERASED)).isTrue();
  }

  @Test
  void anErasureRolledBackBeforeItsCommitIsFinishedAtTheNextStart() throws Exception {
    ReminderDelivery delivery = delivery();
    List<Reminder> erased = history(delivery, ERASED);
    commitEveryRecord = false;
    delivery.handle(participantErased(ERASED), NOW, out);
    // delivery stops here: the transaction with the tombstones never commits, the files stay as they were
    uncommitted.clear();
    tasks.clear();
    receipts.clear();
    assertThat(markers.pending()).hasSize(1);
    assertThat(ledgerOf(ERASED)).hasSize(3);

    closeFiles();
    openFiles();
    commitEveryRecord = true;
    delivery().resumePendingErasures(out);

    assertThat(tasks).containsOnlyKeys(id(erased.get(1)), id(erased.get(2))).allSatisfy((k, v) -> assertThat(v).isEmpty());
    assertThat(receipts).containsOnlyKeys(id(erased.get(0))).allSatisfy((k, v) -> assertThat(v).isEmpty());
    assertThat(markers.pending()).isEmpty();
    assertThat(Files.readString(dir.resolve("outbox.jsonl"))).isBlank();
    // the ledger's part of the erasure was in the rolled-back transaction: the ERASED record, read
    // again since its offset was not committed either, writes its tombstones
    delivery().handle(participantErased(ERASED), NOW, out);
    assertThat(ledgerOf(ERASED)).isEmpty();
  }

  /** The participant's entries left on the ledger topic. */
  List<DeliveryLedger.Entry> ledgerOf(String participantId) {
    return ledgerTopic.values().stream().flatMap(Optional::stream).filter(e -> e.participantId().equals(participantId)).toList();
  }

  @Test
  void erasedRecordsForEachTaskTombstoneThemAndTheParticipantOnce() {
    ReminderDelivery delivery = delivery();
    List<Reminder> erased = history(delivery, ERASED);
    delivery.handle(Reminders.withStatus(erased.get(1), ReminderStatus.ERASED), NOW, out);
    delivery.handle(Reminders.withStatus(erased.get(2), ReminderStatus.ERASED), NOW, out);
    delivery.handle(participantErased(ERASED), NOW, out);

    assertThat(tasks.get(id(erased.get(1)))).isEmpty();
    assertThat(tasks.get(id(erased.get(2)))).isEmpty();
    assertThat(delivery.stats()).containsEntry("erasures", 1L);
  }
}
