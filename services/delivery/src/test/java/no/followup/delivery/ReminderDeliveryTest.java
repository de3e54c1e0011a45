package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;
import no.followup.reminders.TaskAssignee;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReminderDeliveryTest {

  static final Instant NOW = Instant.parse("2025-03-04T09:00:00Z");
  static final Instant MEETING = Instant.parse("2025-03-05T09:00:00Z");

  @TempDir Path dir;
  DeliveryLedger ledger;
  ErasedParticipants erased;
  final Map<String, Contact> contacts = new HashMap<>();
  final List<SmsMessage> sent = new ArrayList<>();
  final List<DeliveryReceipt> receipts = new ArrayList<>();
  final Map<String, Optional<CoordinatorTask>> tasks = new HashMap<>();
  final List<String> taskWrites = new ArrayList<>();
  /** How many SMS had been sent at each commit before a gateway call. */
  final List<Integer> commitsBeforeGatewayCall = new ArrayList<>();
  SmsGatewayException nextFailure;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  final SmsGateway gateway = message -> {
    if (nextFailure != null) {
      SmsGatewayException e = nextFailure;
      nextFailure = null;
      throw e;
    }
    sent.add(message);
    return new SmsGateway.Accepted("msg-" + sent.size(), 1);
  };

  final ReminderDelivery.Output out = new ReminderDelivery.Output() {
    @Override
    public void task(String taskId, CoordinatorTask task) {
      tasks.put(taskId, Optional.ofNullable(task));
      taskWrites.add(taskId);
    }

    @Override
    public void receipt(DeliveryReceipt receipt) {
      receipts.add(receipt);
    }

    @Override
    public void receiptErased(String reminderId) {
      receipts.removeIf(r -> r.getReminderId().toString().equals(reminderId));
    }

    @Override
    public void ledger(DeliveryLedger.Entry entry) {
      ledger.put(0, entry); // every record commits at once here
    }

    @Override
    public void ledgerErased(String reminderId) {
      ledger.remove(reminderId);
    }

    @Override
    public void commitBeforeGatewayCall() {
      commitsBeforeGatewayCall.add(sent.size());
    }

    @Override
    public void afterCommit(Runnable action) {
      action.run();
    }
  };

  @BeforeEach
  void open() {
    ledger = new DeliveryLedger();
    erased = ErasedParticipants.open(dir.resolve("erased.jsonl"));
    contacts.put("p-1", new Contact("+4791234567", false, Language.BOKMAL));
    contacts.put("p-nn", new Contact("+4791234568", false, Language.NYNORSK));
    contacts.put("p-out", new Contact("+4791234569", true, Language.BOKMAL));
  }

  @AfterEach
  void close() {
    erased.close();
  }

  ReminderDelivery delivery(DeliveryHooks hooks) {
    return delivery(hooks, gateway);
  }

  ReminderDelivery delivery(DeliveryHooks hooks, SmsGateway through) {
    return new ReminderDelivery(ledger, erased, id -> Optional.ofNullable(contacts.get(id)), through, ZoneId.of("Europe/Oslo"), hooks,
        new DeliveryMetrics(metrics));
  }

  /** The test gateway, declaring that it delivers one message per idempotency key. */
  final SmsGateway honouringGateway = new SmsGateway() {
    @Override
    public Accepted send(SmsMessage message) throws SmsGatewayException {
      return gateway.send(message);
    }

    @Override
    public boolean honoursIdempotencyKey() {
      return true;
    }
  };

  ReminderDelivery delivery() {
    return delivery(DeliveryHooks.NONE);
  }

  @Test
  void sendsAParticipantReminderOnceWithItsIdAsIdempotencyKey() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    delivery().handle(r, NOW, out);
    delivery().handle(r, NOW, out); // redelivered, e.g. after a restart
    assertThat(sent).singleElement().satisfies(m -> {
      assertThat(m.idempotencyKey()).isEqualTo(r.getReminderId().toString());
      assertThat(m.phoneNumber()).isEqualTo("+4791234567");
      assertThat(m.text()).contains("kl. 10:00").contains("på NAV-kontoret");
    });
    assertThat(receipts).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.SENT, DeliveryStatus.SENT);
    assertThat(receipts.get(0).getGatewayMessageId()).isEqualTo("msg-1");
    assertThat(receipts.get(0).getAttempts()).isEqualTo(1);
    assertThat(receipts.get(1)).isEqualTo(receipts.get(0));
  }

  @Test
  void eachOutcomeIsCountedOnceAndAnSmsHowLateAfterItsDueTime() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE); // due 24 h before the meeting
    Instant handledAt = r.getDueAt().plusSeconds(90);
    delivery().handle(r, handledAt, out);
    delivery().handle(r, handledAt, out); // redelivered: the receipt again, not a second outcome
    delivery().handle(Reminders.participant("p-out", MEETING, MeetingPlaceKind.OFFICE), NOW, out);
    nextFailure = new SmsGatewayException("HTTP_400", 1, "refused", null);
    delivery().handle(Reminders.participant("p-nn", MEETING, MeetingPlaceKind.OFFICE), NOW, out);

    assertThat(outcome("sent")).isEqualTo(1.0);
    assertThat(outcome("opted_out")).isEqualTo(1.0);
    assertThat(outcome("failed")).isEqualTo(1.0);
    assertThat(outcome("expired")).isZero();
    var lateness = metrics.get(DeliveryMetrics.SMS_LATENESS).timer();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.max(TimeUnit.SECONDS)).isEqualTo(90.0);
  }

  private double outcome(String outcome) {
    return metrics.get(DeliveryMetrics.SMS).tag("outcome", outcome).counter().count();
  }

  @Test
  void nynorskForParticipantsWhoChoseIt() {
    delivery().handle(Reminders.participant("p-nn", MEETING, MeetingPlaceKind.HOME_VISIT), NOW, out);
    assertThat(sent.get(0).text()).contains("Påminning").contains("heimebesøk");
  }

  @Test
  void optedOutNoContactAndExpiredSendNothing() {
    delivery().handle(Reminders.participant("p-out", MEETING, MeetingPlaceKind.OFFICE), NOW, out);
    delivery().handle(Reminders.participant("p-unknown", MEETING, MeetingPlaceKind.OFFICE), NOW, out);
    delivery().handle(Reminders.participant("p-1", NOW.minusSeconds(60), MeetingPlaceKind.OFFICE), NOW, out);
    assertThat(sent).isEmpty();
    assertThat(receipts).extracting(DeliveryReceipt::getStatus)
        .containsExactly(DeliveryStatus.OPTED_OUT, DeliveryStatus.SKIPPED_NO_CONTACT, DeliveryStatus.EXPIRED);
  }

  @Test
  void aGatewayFailureIsAFailedReceiptAndIsNotRetriedOnRedelivery() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    nextFailure = new SmsGatewayException("HTTP_400", 1, "refused", null);
    delivery().handle(r, NOW, out);
    delivery().handle(r, NOW, out);
    assertThat(sent).isEmpty();
    assertThat(receipts).extracting(DeliveryReceipt::getStatus, DeliveryReceipt::getErrorClass).containsOnly(
        org.assertj.core.groups.Tuple.tuple(DeliveryStatus.FAILED, "HTTP_400"));
  }

  @Test
  void withdrawnBeforeSendingIsNeverSent() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    delivery().handle(Reminders.withStatus(r, ReminderStatus.WITHDRAWN), NOW, out);
    delivery().handle(r, NOW, out);
    assertThat(sent).isEmpty();
    assertThat(receipts).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.WITHDRAWN, DeliveryStatus.WITHDRAWN);
  }

  static final DeliveryHooks CRASH_AFTER_GATEWAY_CALL = id -> {
    throw new DeliveryHooks.SimulatedCrash("after gateway call");
  };

  @Test
  void theAttemptIsCommittedBeforeTheGatewayCall() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    assertThatThrownBy(() -> delivery(CRASH_AFTER_GATEWAY_CALL).handle(r, NOW, out)).isInstanceOf(DeliveryHooks.SimulatedCrash.class);
    assertThat(commitsBeforeGatewayCall).as("SMS sent at the commit before the call").containsExactly(0);
    assertThat(sent).hasSize(1);
    assertThat(receipts).isEmpty();
    assertThat(ledger.get(r.getReminderId().toString())).hasValueSatisfying(e -> {
      assertThat(e.state()).isEqualTo(DeliveryLedger.State.ATTEMPTING);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.participantId()).isEqualTo("p-1");
    });
  }

  @Test
  void aReminderInDoubtIsNotSentAgainThroughAGatewayThatIgnoresTheKey() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    assertThatThrownBy(() -> delivery(CRASH_AFTER_GATEWAY_CALL).handle(r, NOW, out)).isInstanceOf(DeliveryHooks.SimulatedCrash.class);

    delivery().handle(r, NOW, out); // another instance, or this one restarted, finds ATTEMPTING
    delivery().handle(r, NOW, out); // and a redelivery repeats the receipt
    assertThat(sent).as("at most one SMS").hasSize(1);
    assertThat(receipts).hasSize(2).allSatisfy(rc -> {
      assertThat(rc.getStatus()).isEqualTo(DeliveryStatus.OUTCOME_UNKNOWN);
      assertThat(rc.getAttempts()).isEqualTo(1);
    });
    assertThat(ledger.get(r.getReminderId().toString()).map(DeliveryLedger.Entry::state))
        .hasValue(DeliveryLedger.State.OUTCOME_UNKNOWN);
    assertThat(metrics.get(DeliveryMetrics.SMS).tag("outcome", "outcome_unknown").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aReminderInDoubtIsSentAgainWithTheSameKeyThroughAGatewayThatHonoursIt() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    assertThatThrownBy(() -> delivery(CRASH_AFTER_GATEWAY_CALL, honouringGateway).handle(r, NOW, out))
        .isInstanceOf(DeliveryHooks.SimulatedCrash.class);

    delivery(DeliveryHooks.NONE, honouringGateway).handle(r, NOW, out);
    // this fake records both calls; the gateway it stands for delivers the second as a no-op (same key)
    assertThat(sent).extracting(SmsMessage::idempotencyKey).containsExactly(r.getReminderId().toString(), r.getReminderId().toString());
    assertThat(receipts).singleElement().satisfies(rc -> {
      assertThat(rc.getStatus()).isEqualTo(DeliveryStatus.SENT);
      assertThat(rc.getAttempts()).isEqualTo(2);
    });
  }

  @Test
  void anOutcomeRolledBackAfterTheGatewayCallIsRecordedOnRetryWithoutASecondSms() {
    Reminder r = Reminders.participant("p-1", MEETING, MeetingPlaceKind.OFFICE);
    ReminderDelivery delivery = delivery();
    // the transaction after the gateway call rolls back (Kafka briefly unavailable): nothing of it lands
    delivery.handle(r, NOW, new ReminderDelivery.Output() {
      boolean called;

      @Override
      public void task(String taskId, CoordinatorTask task) {}

      @Override
      public void receipt(DeliveryReceipt receipt) {}

      @Override
      public void receiptErased(String reminderId) {}

      @Override
      public void ledger(DeliveryLedger.Entry entry) {
        if (!called) {
          out.ledger(entry); // the attempt, committed before the call
        }
      }

      @Override
      public void ledgerErased(String reminderId) {}

      @Override
      public void commitBeforeGatewayCall() {
        called = true;
      }

      @Override
      public void afterCommit(Runnable action) {}
    });
    assertThat(ledger.get(r.getReminderId().toString()).map(DeliveryLedger.Entry::state)).hasValue(DeliveryLedger.State.ATTEMPTING);

    delivery.handle(r, NOW, out); // the same record again, on the same instance
    assertThat(sent).hasSize(1);
    assertThat(receipts).singleElement().satisfies(rc -> assertThat(rc.getStatus()).isEqualTo(DeliveryStatus.SENT));
    assertThat(ledger.get(r.getReminderId().toString()).map(DeliveryLedger.Entry::state)).hasValue(DeliveryLedger.State.SENT);
  }

  @Test
  void staffRemindersBecomeTasksThatGoDoneWithdrawnOrAway() {
    Reminder attendance = Reminders.task("p-1", ReminderKind.ATTENDANCE_NOT_RECORDED, MEETING);
    Reminder review = Reminders.task("p-1", ReminderKind.MONTHLY_REVIEW, null);
    Reminder inactivity = Reminders.task("p-1", ReminderKind.INACTIVITY, null);
    ReminderDelivery delivery = delivery();
    delivery.handle(attendance, NOW, out);
    String id = attendance.getReminderId().toString();
    assertThat(tasks.get(id)).hasValueSatisfying(t -> {
      assertThat(t.getState()).isEqualTo(TaskState.OPEN);
      assertThat(t.getKind()).isEqualTo(TaskKind.ATTENDANCE_NOT_RECORDED);
      assertThat(t.getAssignee()).isEqualTo(TaskAssignee.COORDINATOR);
      assertThat(t.getCoordinatorId()).isEqualTo("s-12");
      assertThat(t.getTaskId()).isEqualTo(attendance.getReminderId());
      assertThat(t.getSummary()).isEqualTo("Oppmøte ikke registrert for avtalen 05.03. kl. 10:00. Ring deltakeren, eller registrer møtt/ikke møtt.");
    });
    delivery.handle(Reminders.withStatus(attendance, ReminderStatus.RESOLVED), NOW, out);
    assertThat(tasks.get(id).orElseThrow().getState()).isEqualTo(TaskState.DONE);

    delivery.handle(review, NOW, out);
    assertThat(tasks.get(review.getReminderId().toString()).orElseThrow().getAssignee()).isEqualTo(TaskAssignee.TEAM_LEAD);
    delivery.handle(Reminders.withStatus(review, ReminderStatus.WITHDRAWN), NOW, out);
    assertThat(tasks.get(review.getReminderId().toString()).orElseThrow().getState()).isEqualTo(TaskState.WITHDRAWN);

    delivery.handle(inactivity, NOW, out);
    delivery.handle(Reminders.withStatus(inactivity, ReminderStatus.ERASED), NOW, out);
    assertThat(tasks.get(inactivity.getReminderId().toString())).isEmpty(); // tombstone
    assertThat(sent).isEmpty();
    assertThat(receipts).isEmpty();
  }

  @Test
  void taskSummariesHoldNoHealthWords() {
    ReminderDelivery delivery = delivery();
    for (ReminderKind kind : ReminderKind.values()) {
      String summary = new TaskTexts(ZoneId.of("Europe/Oslo")).summary(Reminders.task("p-1", kind, MEETING));
      assertThat(summary.toLowerCase()).doesNotContain("psyk").doesNotContain("helse").doesNotContain("p-1");
    }
  }
}
