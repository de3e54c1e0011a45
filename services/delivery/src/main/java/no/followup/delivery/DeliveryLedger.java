package no.followup.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What delivery did with each reminder of the partitions this instance owns, by reminderId: the
 * committed content of those partitions of the ledger topic ({@link LedgerTopic}), read when the
 * partitions are assigned and kept current by this instance's own commits. It holds reminder ids,
 * pseudonymous participant ids, states, gateway message ids and error classes; no phone number, no
 * text. It also indexes every task delivery wrote (state TASK: taskId and participantId), so erasure
 * finds each task and receipt derived from a participant ({@link #entriesOf}).
 *
 * <p>Only committed entries are here: an entry is {@link #put} after the transaction that wrote it
 * committed. So ATTEMPTING means "a gateway call may have been made" (it is committed before the
 * call), never "a call was about to be made in a transaction that was rolled back".
 */
public final class DeliveryLedger {

  /** What was decided about an SMS reminder; TASK marks a task written for a staff reminder. */
  public enum State { ATTEMPTING, SENT, FAILED, OPTED_OUT, SKIPPED_NO_CONTACT, EXPIRED, WITHDRAWN, OUTCOME_UNKNOWN, TASK }

  /** One decision about a reminder. */
  public record Entry(String reminderId, State state, Instant at, int attempts, String gatewayMessageId, String errorClass,
      String participantId) {

    /** The entry that indexes a task written for {@code participantId}. */
    static Entry task(String taskId, String participantId, Instant at) {
      return new Entry(taskId, State.TASK, at, 0, null, null, participantId);
    }
  }

  /** Ledger partition → reminderId → latest committed entry. */
  private final Map<Integer, Map<String, Entry>> partitions = new HashMap<>();

  public synchronized Optional<Entry> get(String reminderId) {
    for (Map<String, Entry> entries : partitions.values()) {
      Entry entry = entries.get(reminderId);
      if (entry != null) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /** Every entry of {@code participantId}: its SMS decisions and the tasks written for it. */
  public synchronized List<Entry> entriesOf(String participantId) {
    return partitions.values().stream().flatMap(entries -> entries.values().stream())
        .filter(e -> participantId.equals(e.participantId())).toList();
  }

  /** An entry committed to {@code partition}. */
  public synchronized void put(int partition, Entry entry) {
    partitions.computeIfAbsent(partition, p -> new HashMap<>()).put(entry.reminderId(), entry);
  }

  /** A tombstone committed for {@code reminderId}. */
  public synchronized void remove(String reminderId) {
    partitions.values().forEach(entries -> entries.remove(reminderId));
  }

  /** Replaces what is known of {@code partition} with its content as just read from the topic. */
  public synchronized void load(int partition, Collection<Entry> entries) {
    Map<String, Entry> loaded = new HashMap<>();
    entries.forEach(e -> loaded.put(e.reminderId(), e));
    partitions.put(partition, loaded);
  }

  /** Forgets every partition but {@code kept} (the others went to another instance). */
  public synchronized void retain(Set<Integer> kept) {
    partitions.keySet().retainAll(kept);
  }

  public synchronized int size() {
    return partitions.values().stream().mapToInt(Map::size).sum();
  }
}
