package no.followup.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.reminders.Audience;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderStatus;
import no.followup.reminders.TaskAssignee;
import no.followup.reminders.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What delivery does with one reminder record; no Kafka here (the caller wraps each call in a
 * transaction with the consumer offset).
 * <ul>
 *   <li>Participant reminders (DUE) become an SMS: skipped when the ledger has a decision for the
 *       reminderId, expired when the meeting has started, skipped without contact details, not sent
 *       to a participant who opted out of digital contact; otherwise ledger ATTEMPTING, committed
 *       ({@link Output#commitBeforeGatewayCall}), gateway call with the reminderId as idempotency key,
 *       ledger SENT. Every outcome gets a receipt.</li>
 *   <li>A reminder the ledger has ATTEMPTING without an outcome is in doubt: an instance stopped
 *       between the gateway call and recording what it said. It is sent again only through a gateway
 *       that honours the idempotency key (which makes the second call a no-op that returns the first
 *       message id); otherwise it gets the outcome OUTCOME_UNKNOWN and no second SMS. A participant
 *       reminder is a convenience, and a coordinator who sees the receipt can ring; a second SMS
 *       about a meeting cannot be taken back, and repeats personal contact the person did not ask
 *       for. At most one SMS per reminder, then.</li>
 *   <li>WITHDRAWN participant reminders: ledger WITHDRAWN (a late redelivery of the DUE record is
 *       then not sent) and a WITHDRAWN receipt.</li>
 *   <li>Staff reminders become a {@link CoordinatorTask} keyed by taskId = reminderId: DUE → OPEN,
 *       RESOLVED → DONE, WITHDRAWN → WITHDRAWN. Tasks are Kafka output, written in the same
 *       transaction as the consumer offset; the ledger only indexes them by participant, for erasure.</li>
 *   <li>ERASED (any audience; reminders sends one with audience PARTICIPANT for every erasure): the
 *       participant is marked erased ({@link ErasedParticipants}) and everything delivery derived from
 *       them goes: tombstones for every task and receipt, and, once those are committed, their SMS
 *       lines in the outbox, their contact entry (or a report to the operator when the directory is
 *       managed outside). Their ledger entries are tombstoned in the same transaction as the tasks and
 *       receipts. A reminder for an erased participant does nothing.</li>
 * </ul>
 */
public final class ReminderDelivery {

  private static final Logger log = LoggerFactory.getLogger(ReminderDelivery.class);

  /** Where delivery's Kafka output goes. */
  public interface Output {
    /** The task's new state, or null to remove it (tombstone). */
    void task(String taskId, CoordinatorTask task);

    void receipt(DeliveryReceipt receipt);

    /** Removes the receipt of {@code reminderId} (tombstone). */
    void receiptErased(String reminderId);

    /** Records {@code entry} in the ledger (the ledger shows it once committed). */
    void ledger(DeliveryLedger.Entry entry);

    /** Removes the ledger entry of {@code reminderId} (tombstone). */
    void ledgerErased(String reminderId);

    /**
     * Commits what was written so far, keeping the reminder itself unconsumed, and goes on in a new
     * transaction. Called before the gateway: the ATTEMPTING entry is then durable, and the commit
     * (with the consumer's group generation) fails for an instance that no longer owns the reminder,
     * so it never calls the gateway for a reminder another instance handles.
     */
    void commitBeforeGatewayCall();

    /** Runs {@code action} once this output is committed, and never if it is rolled back. */
    void afterCommit(Runnable action);
  }

  private final DeliveryLedger ledger;
  private final ErasedParticipants erased;
  private final ContactDirectory directory;
  private final SmsGateway gateway;
  private final SmsTemplates templates;
  private final TaskTexts taskTexts;
  private final DeliveryHooks hooks;
  private final ZoneId zone;
  private final DeliveryMetrics metrics;
  private final Map<DeliveryStatus, AtomicLong> receipts = new EnumMap<>(DeliveryStatus.class);
  private final AtomicLong taskUpdates = new AtomicLong();
  private final AtomicLong erasures = new AtomicLong();
  private final AtomicLong remindersForErased = new AtomicLong();
  private final AtomicLong contactEntriesForOperator = new AtomicLong();
  /**
   * Outcomes decided here whose transaction has not committed yet. Should it roll back after the
   * gateway call (Kafka unavailable for a moment), the retry finds the ledger at ATTEMPTING, which
   * this instance knows the answer to: it records that answer instead of treating the reminder as in doubt.
   */
  private final Map<String, DeliveryLedger.Entry> outcomesAwaitingCommit = new java.util.concurrent.ConcurrentHashMap<>();

  public ReminderDelivery(DeliveryLedger ledger, ErasedParticipants erased, ContactDirectory directory, SmsGateway gateway,
      ZoneId zone, DeliveryHooks hooks, DeliveryMetrics metrics) {
    this.ledger = ledger;
    this.erased = erased;
    this.metrics = metrics;
    this.directory = directory;
    this.gateway = gateway;
    this.zone = zone;
    this.templates = new SmsTemplates(zone);
    this.taskTexts = new TaskTexts(zone);
    this.hooks = hooks;
    for (DeliveryStatus s : DeliveryStatus.values()) {
      receipts.put(s, new AtomicLong());
    }
  }

  /**
   * @throws InvalidReminderException before anything is read, logged or written, when an id of the
   *     reminder is not of the data's shapes ({@link ReminderChecks})
   */
  public void handle(Reminder reminder, Instant now, Output out) {
    ReminderChecks.validate(reminder);
    if (reminder.getStatus() == ReminderStatus.ERASED) {
      erase(reminder, now, out);
      return;
    }
    if (erased.erased(reminder.getParticipantId())) {
      // late, replayed, or from a producer that missed the erasure: nothing is derived from it
      remindersForErased.incrementAndGet();
      return;
    }
    switch (reminder.getAudience()) {
      case PARTICIPANT -> participant(reminder, now, out);
      case COORDINATOR, TEAM_LEAD, UNKNOWN -> task(reminder, now, out);
    }
  }

  /** Receipts by status and task updates since start, for the stats endpoint. */
  public Map<String, Long> stats() {
    Map<String, Long> stats = new java.util.LinkedHashMap<>();
    receipts.forEach((status, n) -> stats.put("receipts." + status.name(), n.get()));
    stats.put("taskUpdates", taskUpdates.get());
    stats.put("erasures", erasures.get());
    stats.put("erasure.remindersIgnored", remindersForErased.get());
    stats.put("erasure.contactEntriesLeftToOperator", contactEntriesForOperator.get());
    return stats;
  }

  /** Finishes erasures that were under way when delivery stopped (run once at start, in a transaction). */
  public void resumePendingErasures(Output out) {
    for (ErasedParticipants.Marker pending : erased.pending()) {
      log.info("Finishing the erasure of participant {}, under way when delivery stopped", pending.participantId());
      tombstoneAndPurge(pending, out);
    }
  }

  // ---- erasure -----------------------------------------------------------------------------------

  private void erase(Reminder r, Instant now, Output out) {
    String participantId = r.getParticipantId();
    String ownId = r.getReminderId().toString();
    if (r.getAudience() != Audience.PARTICIPANT) {
      taskUpdates.incrementAndGet();
      out.task(ownId, null); // this task, known to the ledger or not
    }
    outcomesAwaitingCommit.values().removeIf(e -> participantId.equals(e.participantId()));
    List<DeliveryLedger.Entry> entries = ledger.entriesOf(participantId);
    // in this erasure's transaction; also when the marker is complete already: an erasure finished at
    // a start (its tasks and receipts tombstoned from the marker) leaves the ledger entries to the
    // ERASED record, read again because its offset was not committed
    entries.forEach(line -> out.ledgerErased(line.reminderId()));
    if (erased.completed(participantId)) {
      return; // its tasks and receipts are tombstoned
    }
    List<String> taskIds = new ArrayList<>();
    List<String> receiptIds = new ArrayList<>();
    for (DeliveryLedger.Entry line : entries) {
      if (line.state() == DeliveryLedger.State.TASK && line.reminderId().equals(ownId) && r.getAudience() != Audience.PARTICIPANT) {
        continue; // tombstoned above
      }
      (line.state() == DeliveryLedger.State.TASK ? taskIds : receiptIds).add(line.reminderId());
    }
    tombstoneAndPurge(erased.begin(participantId, now, taskIds, receiptIds), out);
  }

  private void tombstoneAndPurge(ErasedParticipants.Marker marker, Output out) {
    marker.taskIds().forEach(taskId -> out.task(taskId, null));
    marker.receiptIds().forEach(out::receiptErased);
    // the files go only once the tombstones are committed: until then the marker keeps the ids
    out.afterCommit(() -> purge(marker));
  }

  private void purge(ErasedParticipants.Marker marker) {
    String participantId = marker.participantId();
    int smsLines = gateway.forget(marker.receiptIds());
    ContactDirectory.Erasure contact = directory.erase(participantId);
    if (contact == ContactDirectory.Erasure.MANAGED_OUTSIDE) {
      contactEntriesForOperator.incrementAndGet();
      log.warn("Participant {} is erased, but the contact directory is managed outside this service: "
          + "remove their entry at its source", participantId);
    }
    erased.complete(participantId);
    erasures.incrementAndGet();
    log.info("Participant {} erased from delivery: {} tasks and {} receipts tombstoned, {} outbox lines removed, contact entry {}",
        participantId, marker.taskIds().size(), marker.receiptIds().size(), smsLines, contact);
  }

  // ---- participant reminders: SMS ----------------------------------------------------------------

  private void participant(Reminder r, Instant now, Output out) {
    String id = r.getReminderId().toString();
    Optional<DeliveryLedger.Entry> known = Optional.ofNullable(outcomesAwaitingCommit.get(id)).or(() -> ledger.get(id));
    switch (r.getStatus()) {
      case DUE -> {
        if (known.isPresent() && outcomesAwaitingCommit.containsKey(id)) {
          decide(r, known.get(), out); // decided here, not yet committed: recorded again
          return;
        }
        if (known.isPresent() && known.get().state() != DeliveryLedger.State.ATTEMPTING) {
          // decided before (a redelivery after a restart or a rebalance): repeat the receipt, never the SMS
          out.receipt(receipt(r, known.get()));
          return;
        }
        send(r, known, now, out);
      }
      case WITHDRAWN -> {
        DeliveryLedger.Entry before = known.orElse(null);
        decide(r, DeliveryLedger.State.WITHDRAWN, now, before == null ? 0 : before.attempts(),
            before == null ? null : before.gatewayMessageId(), null, out);
      }
      default -> {
        // RESOLVED or UNKNOWN: nothing to send (ERASED never gets here)
      }
    }
  }

  private void send(Reminder r, Optional<DeliveryLedger.Entry> inDoubt, Instant now, Output out) {
    String id = r.getReminderId().toString();
    if (inDoubt.isPresent() && !gateway.honoursIdempotencyKey()) {
      log.warn("Reminder {} was being sent when an instance stopped; the gateway may have sent it, and would send a second "
          + "SMS if asked again: outcome unknown, not sent again", id);
      decide(r, DeliveryLedger.State.OUTCOME_UNKNOWN, now, inDoubt.get().attempts(), null, null, out);
      return;
    }
    if (r.getMeetingStartsAt() != null && !r.getMeetingStartsAt().isAfter(now)) {
      decide(r, DeliveryLedger.State.EXPIRED, now, 0, null, null, out);
      return;
    }
    Optional<Contact> contact = directory.find(r.getParticipantId());
    if (contact.isEmpty()) {
      decide(r, DeliveryLedger.State.SKIPPED_NO_CONTACT, now, 0, null, null, out);
      return;
    }
    if (contact.get().optedOutOfDigitalContact()) {
      decide(r, DeliveryLedger.State.OPTED_OUT, now, 0, null, null, out);
      return;
    }
    String text = templates.render(r, contact.get().language());
    int earlierAttempts = inDoubt.map(DeliveryLedger.Entry::attempts).orElse(0);
    if (inDoubt.isPresent()) {
      log.info("Reminder {} was being sent when an instance stopped; sending again with the same Idempotency-Key, "
          + "which the gateway honours", id);
    }
    // counts the call about to be made: if delivery dies during it, the next attempt knows one was made
    out.ledger(new DeliveryLedger.Entry(id, DeliveryLedger.State.ATTEMPTING, now, earlierAttempts + 1, null, null,
        r.getParticipantId()));
    out.commitBeforeGatewayCall();
    SmsGateway.Accepted accepted;
    try {
      accepted = gateway.send(new SmsMessage(id, contact.get().phoneNumber(), text));
    } catch (SmsGatewayException e) {
      log.warn("SMS for reminder {} failed after {} attempts: {}", id, e.attempts(), e.errorClass());
      decide(r, DeliveryLedger.State.FAILED, now, earlierAttempts + e.attempts(), null, e.errorClass(), out);
      return;
    }
    hooks.afterGatewayAccepted(id);
    metrics.sent(r.getDueAt(), now);
    decide(r, DeliveryLedger.State.SENT, now, earlierAttempts + accepted.attempts(), accepted.messageId(), null, out);
  }

  private void decide(Reminder r, DeliveryLedger.State state, Instant now, int attempts, String messageId, String errorClass,
      Output out) {
    DeliveryLedger.Entry entry = new DeliveryLedger.Entry(r.getReminderId().toString(), state, now, attempts, messageId, errorClass,
        r.getParticipantId());
    metrics.decided(state);
    decide(r, entry, out);
  }

  private void decide(Reminder r, DeliveryLedger.Entry entry, Output out) {
    outcomesAwaitingCommit.put(entry.reminderId(), entry);
    out.ledger(entry);
    out.receipt(receipt(r, entry));
    out.afterCommit(() -> outcomesAwaitingCommit.remove(entry.reminderId()));
  }

  private DeliveryReceipt receipt(Reminder r, DeliveryLedger.Entry entry) {
    DeliveryStatus status = switch (entry.state()) {
      case SENT -> DeliveryStatus.SENT;
      case FAILED -> DeliveryStatus.FAILED;
      case OPTED_OUT -> DeliveryStatus.OPTED_OUT;
      case SKIPPED_NO_CONTACT -> DeliveryStatus.SKIPPED_NO_CONTACT;
      case EXPIRED -> DeliveryStatus.EXPIRED;
      case WITHDRAWN -> DeliveryStatus.WITHDRAWN;
      case OUTCOME_UNKNOWN -> DeliveryStatus.OUTCOME_UNKNOWN;
      case ATTEMPTING, TASK -> throw new IllegalStateException("no receipt for an attempt in progress or a task");
    };
    receipts.get(status).incrementAndGet();
    return DeliveryReceipt.newBuilder()
        .setReminderId(r.getReminderId())
        .setParticipantId(r.getParticipantId())
        .setOfficeId(r.getOfficeId())
        .setStatus(status)
        .setAt(entry.at())
        .setAttempts(entry.attempts())
        .setGatewayMessageId(entry.gatewayMessageId())
        .setErrorClass(entry.errorClass())
        .build();
  }

  // ---- staff reminders: tasks --------------------------------------------------------------------

  private void task(Reminder r, Instant now, Output out) {
    String taskId = r.getReminderId().toString();
    TaskState state = switch (r.getStatus()) {
      case DUE -> TaskState.OPEN;
      case RESOLVED -> TaskState.DONE;
      case WITHDRAWN -> TaskState.WITHDRAWN;
      default -> TaskState.UNKNOWN; // ERASED never gets here
    };
    taskUpdates.incrementAndGet();
    metrics.taskUpdated(state.name());
    if (ledger.get(taskId).isEmpty()) {
      out.ledger(DeliveryLedger.Entry.task(taskId, r.getParticipantId(), now)); // for erasure
    }
    out.task(taskId, CoordinatorTask.newBuilder()
        .setTaskId(r.getReminderId())
        .setKind(TaskTexts.kind(r.getKind()))
        .setAssignee(switch (r.getAudience()) {
          case COORDINATOR -> TaskAssignee.COORDINATOR;
          case TEAM_LEAD -> TaskAssignee.TEAM_LEAD;
          default -> TaskAssignee.OTHER;
        })
        .setParticipantId(r.getParticipantId())
        .setOfficeId(r.getOfficeId())
        .setCoordinatorId(r.getCoordinatorId())
        .setMeetingId(r.getMeetingId())
        .setMeetingStartsAt(r.getMeetingStartsAt())
        .setCreatedAt(r.getDueAt())
        .setDueAt(r.getDueAt())
        .setUpdatedAt(now)
        .setState(state)
        .setSummary(taskTexts.summary(r))
        .build());
  }
}
