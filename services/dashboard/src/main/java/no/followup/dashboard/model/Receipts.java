package no.followup.dashboard.model;

import static no.followup.dashboard.model.StoreKeys.Index.RECEIPT_BY_PARTICIPANT;
import static no.followup.dashboard.model.StoreKeys.Index.RECEIPT_BY_TIME;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import no.followup.dashboard.model.StateStore.Family;
import no.followup.reminders.DeliveryReceipt;
import org.rocksdb.WriteBatch;

/**
 * The latest delivery receipt per reminder, kept for {@code retention} and at most {@code max} of
 * them. The time index puts the oldest first, so expiring is a seek to the start and a walk over
 * exactly the receipts that go, never a scan of those that stay. The count is kept in the store,
 * written in the batch that changes it.
 */
final class Receipts {

  /** At most this many receipts go in one expiry batch; the next receipt expires the rest. */
  private static final int EXPIRY_BATCH = 10_000;

  private final StateStore store;
  private final Predicate<String> erased;
  private final Duration retention;
  private final long max;

  Receipts(StateStore store, Predicate<String> erased, Duration retention, long max) {
    this.store = store;
    this.erased = erased;
    this.retention = retention;
    this.max = max;
  }

  /** Adds the receipt to the batch unless a later one of the reminder is kept, or it is already too old. */
  void put(WriteBatch batch, String reminderId, DeliveryReceipt receipt, Instant now) {
    DeliveryReceipt previous = get(reminderId);
    long count = count();
    if (receipt == null) {
      if (previous != null) {
        remove(batch, reminderId, previous);
        setCount(batch, count - 1);
      }
      return;
    }
    if (erased.test(receipt.getParticipantId())
        || (previous != null && receipt.getAt().isBefore(previous.getAt()))
        || receipt.getAt().isBefore(now.minus(retention))) {
      return;
    }
    if (previous != null) {
      remove(batch, reminderId, previous);
    }
    store.put(batch, Family.RECEIPTS, StoreKeys.id(reminderId), StoredRows.encode(receipt));
    store.put(batch, Family.INDEX, StoreKeys.index(RECEIPT_BY_PARTICIPANT, receipt.getParticipantId(), reminderId), new byte[0]);
    store.put(batch, Family.INDEX, StoreKeys.byTime(receipt.getAt(), reminderId), new byte[0]);
    setCount(batch, previous == null ? count + 1 : count);
  }

  /** Drops the receipts older than the retention, then the oldest beyond the maximum. */
  void expire(Instant now) {
    Instant cutoff = now.minus(retention);
    long count = count();
    List<byte[]> going = new ArrayList<>();
    store.scan(Family.INDEX, StoreKeys.prefix(RECEIPT_BY_TIME), null, EXPIRY_BATCH, (key, value) -> {
      boolean goes = count - going.size() > max || StoreKeys.timeOf(key).isBefore(cutoff);
      if (goes) {
        going.add(key);
      }
      return goes;
    });
    if (going.isEmpty()) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (byte[] key : going) {
        String reminderId = StoreKeys.reminderOf(key);
        remove(batch, reminderId, get(reminderId));
      }
      setCount(batch, count - going.size());
      store.write(batch);
    }
  }

  /** Adds the removal of every receipt of the participant to the batch. */
  void removeParticipant(WriteBatch batch, String participantId) {
    byte[] prefix = StoreKeys.prefix(RECEIPT_BY_PARTICIPANT, participantId);
    List<String> reminders = new ArrayList<>();
    new Paged<>(store, Family.INDEX, prefix, (key, value) -> StoreKeys.rowId(key, prefix.length)).forEach(reminders::add);
    long removed = 0;
    for (String reminderId : reminders) {
      DeliveryReceipt receipt = get(reminderId);
      if (receipt != null) {
        remove(batch, reminderId, receipt);
        removed++;
      }
    }
    if (removed > 0) {
      setCount(batch, count() - removed);
    }
  }

  Iterable<DeliveryReceipt> all() {
    return new Paged<>(store, Family.RECEIPTS, new byte[0], (key, value) -> StoredRows.receipt(value));
  }

  /** The receipts at or after {@code since}, oldest first. */
  Iterable<DeliveryReceipt> since(Instant since) {
    return new Paged<>(store, Family.INDEX, StoreKeys.prefix(RECEIPT_BY_TIME), StoreKeys.timePrefix(since),
        (key, value) -> get(StoreKeys.reminderOf(key)));
  }

  long count() {
    return StoreKeys.longValue(store.get(Family.META, StoreKeys.RECEIPT_COUNT));
  }

  private void setCount(WriteBatch batch, long count) {
    store.put(batch, Family.META, StoreKeys.RECEIPT_COUNT, StoreKeys.longValue(count));
  }

  private DeliveryReceipt get(String reminderId) {
    return StoredRows.receipt(store.get(Family.RECEIPTS, StoreKeys.id(reminderId)));
  }

  private void remove(WriteBatch batch, String reminderId, DeliveryReceipt receipt) {
    store.delete(batch, Family.RECEIPTS, StoreKeys.id(reminderId));
    store.delete(batch, Family.INDEX, StoreKeys.index(RECEIPT_BY_PARTICIPANT, receipt.getParticipantId(), reminderId));
    store.delete(batch, Family.INDEX, StoreKeys.byTime(receipt.getAt(), reminderId));
  }
}
