package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import no.followup.common.Topics;
import no.followup.common.streams.DeadLetters;
import no.followup.common.testing.LogCapture;
import no.followup.reminders.Audience;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reminder whose ids are not of the data's shapes, as anything with access to the topic may write
 * it, is refused before delivery reads, logs or writes anything of it, against the real marker,
 * outbox and contact files; the refusal names the field, and the dead-letter pointer made of it
 * carries nothing of the value.
 */
class ReminderChecksTest {

  static final Instant NOW = Instant.parse("2025-03-04T09:00:00Z");
  static final Instant MEETING = Instant.parse("2025-03-05T09:00:00Z");
  static final String NAME = "Kari Nordmann";
  static final String IDENTITY_NUMBER = "01017012345";
  /** Fits on the reminders topic, but a task carrying it would not fit under the producer's 1 MiB. */
  static final String MEGABYTE_ID = "c".repeat(1 << 20);

  @TempDir Path dir;
  Path contactsFile;
  byte[] contactsBefore;
  ErasedParticipants markers;
  OutboxSmsGateway outbox;
  final List<Object> written = new ArrayList<>();
  final List<DeliveryReceipt> receipts = new ArrayList<>();

  @RegisterExtension final LogCapture deliveryLog = LogCapture.of(ReminderDelivery.class);
  @RegisterExtension final LogCapture markerLog = LogCapture.of(ErasedParticipants.class);
  @RegisterExtension final LogCapture contactLog = LogCapture.of(FileContactDirectory.class);
  @RegisterExtension final LogCapture outboxLog = LogCapture.of(OutboxSmsGateway.class);

  final ReminderDelivery.Output out = new ReminderDelivery.Output() {
    @Override
    public void task(String taskId, CoordinatorTask task) {
      written.add(task == null ? "task tombstone " + taskId : task);
    }

    @Override
    public void receipt(DeliveryReceipt receipt) {
      written.add(receipt);
      receipts.add(receipt);
    }

    @Override
    public void receiptErased(String reminderId) {
      written.add("receipt tombstone " + reminderId);
    }

    @Override
    public void ledger(DeliveryLedger.Entry entry) {
      written.add(entry);
    }

    @Override
    public void ledgerErased(String reminderId) {
      written.add("ledger tombstone " + reminderId);
    }

    @Override
    public void commitBeforeGatewayCall() {}

    @Override
    public void afterCommit(Runnable action) {
      action.run();
    }
  };

  @BeforeEach
  void open() throws Exception {
    contactsFile = dir.resolve("contacts.csv");
    // an office's export where someone keyed people by identity number or name: an ERASED record
    // carrying either must not remove their line
    Files.writeString(contactsFile, """
        # participantId;phone;language;optedOut
        p-1;+4791234567;nb;false
        01017012345;+4791234568;nb;false
        Kari Nordmann;+4791234569;nb;false
        """);
    contactsBefore = Files.readAllBytes(contactsFile);
    markers = ErasedParticipants.open(dir.resolve("erased.jsonl"));
    outbox = new OutboxSmsGateway(dir.resolve("outbox.jsonl"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    markers.close();
    outbox.close();
  }

  ReminderDelivery delivery() {
    return new ReminderDelivery(new DeliveryLedger(), markers, new FileContactDirectory(contactsFile), outbox,
        ZoneId.of("Europe/Oslo"), DeliveryHooks.NONE, new DeliveryMetrics(new SimpleMeterRegistry()));
  }

  static Stream<Arguments> misshapenIds() {
    return Stream.of(
        Arguments.of("participantId", "a name", NAME),
        Arguments.of("participantId", "an identity number", IDENTITY_NUMBER),
        Arguments.of("participantId", "a megabyte", MEGABYTE_ID),
        Arguments.of("coordinatorId", "a name", NAME),
        Arguments.of("coordinatorId", "an identity number with a space", "010170 12345"),
        Arguments.of("coordinatorId", "a megabyte", MEGABYTE_ID),
        Arguments.of("meetingId", "an identity number", IDENTITY_NUMBER),
        Arguments.of("officeId", "a place name", "Oslo sentrum"));
  }

  /** An erasure, a coordinator's task and an SMS, each carrying {@code value} as {@code field}. */
  static List<Reminder> carrying(String field, String value) {
    Reminder sms = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    Reminder task = Reminders.task("p-1", ReminderKind.REACH_OUT_AFTER_MISS, MEETING);
    Reminder erasure = Reminder.newBuilder(sms).setReminderId(UUID.randomUUID()).setStatus(ReminderStatus.ERASED).build();
    List<Reminder> reminders = List.of(erasure, task, sms);
    reminders.forEach(r -> r.put(field, value));
    return reminders;
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("misshapenIds")
  void aReminderWithAMisshapenIdIsRefusedNamingTheFieldAndTheNextIsDelivered(String field, String what, String value)
      throws Exception {
    ReminderDelivery delivery = delivery();
    String trace = value.length() > 32 ? value.substring(0, 32) : value;

    for (Reminder misshapen : carrying(field, value)) {
      InvalidReminderException refused = catchThrowableOfType(InvalidReminderException.class,
          () -> delivery.handle(misshapen, NOW, out));
      assertThat(refused).as("%s %s", misshapen.getAudience(), misshapen.getStatus()).isNotNull();
      assertThat(refused.getMessage()).startsWith(field + " is not ").doesNotContain(trace);

      // the pointer DeliveryApp writes for it, keyed as the reminders topic is (by participantId)
      ProducerRecord<byte[], byte[]> pointer = DeadLetters.pointer(Topics.DEAD_LETTER.name(),
          misshapen.getParticipantId().getBytes(StandardCharsets.UTF_8), Topics.REMINDERS.name(), 0, 7, refused);
      assertThat(text(pointer.value())).contains("\"errorMessage\":\"" + field + " is not ").doesNotContain(trace);
      for (Header header : pointer.headers()) {
        assertThat(text(header.value())).as(header.key()).doesNotContain(trace);
      }
      if (pointer.key() != null) {
        assertThat(text(pointer.key())).doesNotContain(trace);
      }
    }

    assertThat(written).as("tasks, receipts, ledger entries and tombstones").isEmpty();
    assertThat(outbox.size()).isZero();
    assertThat(markers.size()).as("erasure markers").isZero();
    assertThat(markers.erased(value)).isFalse();
    assertThat(Files.readAllBytes(contactsFile)).as("the contact directory").isEqualTo(contactsBefore);
    Stream.of(deliveryLog, markerLog, contactLog, outboxLog).flatMap(log -> log.messages().stream())
        .forEach(message -> assertThat(message).doesNotContain(trace));

    Reminder next = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    delivery.handle(next, NOW, out);
    assertThat(outbox.size()).isOne();
    assertThat(receipts).singleElement().satisfies(receipt -> {
      assertThat(receipt.getReminderId()).isEqualTo(next.getReminderId());
      assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.SENT);
    });
  }

  @Test
  void idsOfTheDataShapesAndABlankOfficePass() {
    Reminder longestIds = Reminders.task("p-" + "a".repeat(62), ReminderKind.ATTENDANCE_NOT_RECORDED, MEETING);
    longestIds.setCoordinatorId("_subject-" + "b".repeat(55));
    longestIds.setMeetingId("m:2025.03.05");
    longestIds.setOfficeId(""); // reminders leaves it blank for a participant whose office is not known
    Reminder noMeeting = Reminders.task("p-2", ReminderKind.INACTIVITY, null);
    noMeeting.setCoordinatorId(null);
    noMeeting.setAudience(Audience.TEAM_LEAD);

    ReminderDelivery delivery = delivery();
    delivery.handle(longestIds, NOW, out);
    delivery.handle(noMeeting, NOW, out);

    assertThat(written).filteredOn(CoordinatorTask.class::isInstance).hasSize(2);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
