package no.followup.dashboard.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;

/**
 * The dashboard's in-memory views of the topics it reads: participant statuses by participantId
 * (a tombstone removes one), tallies by key, tasks by taskId, and recent delivery receipts by
 * reminderId. Filled by {@link ReadModelConsumer}; read concurrently by the HTTP handlers.
 * Listeners hear about every batch of changes.
 *
 * <p>A status tombstone is an erasure (the status service writes one for nothing else): every row of
 * the participant goes (status, tasks, receipts), and the id is kept as an erasure marker, so a task
 * or receipt that arrives later (another topic read further behind, a late producer) is not shown.
 * Only a new pseudonymous id starts over. The marker lives as long as the process; after a restart
 * the tombstones upstream (status, tasks, receipts: each service keeps its own marker) leave nothing
 * of the participant to read.
 */
public final class ReadModel {

  /** Something in the model changed; listeners recompute what they show. */
  @FunctionalInterface
  public interface Listener {
    void changed();
  }

  /** Receipts older than this are dropped (the receipts topic keeps 30 days too). */
  static final Duration RECEIPT_RETENTION = Duration.ofDays(30);
  static final int MAX_RECEIPTS = 100_000;

  private final Map<String, ParticipantStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final Map<String, CoordinatorTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, DeliveryReceipt> receipts = new ConcurrentHashMap<>();
  private final Set<String> erased = ConcurrentHashMap.newKeySet();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Tells the listeners that one or more changes were applied. */
  public void publishChanges() {
    for (Listener l : listeners) {
      l.changed();
    }
  }

  /** Increases with every applied change. */
  public long version() {
    return version.get();
  }

  public void putStatus(String participantId, ParticipantStatus status) {
    if (status == null) {
      // erasure: nothing derived from the participant stays in memory
      erased.add(participantId);
      statuses.remove(participantId);
      tasks.values().removeIf(t -> participantId.equals(t.getParticipantId()));
      receipts.values().removeIf(r -> participantId.equals(r.getParticipantId()));
    } else if (!erased.contains(participantId)) {
      statuses.put(participantId, status);
    }
    version.incrementAndGet();
  }

  public void putTally(String key, Tally tally) {
    if (tally == null) {
      tallies.remove(key);
    } else {
      tallies.put(key, tally);
    }
    version.incrementAndGet();
  }

  public void putTask(String taskId, CoordinatorTask task) {
    if (task == null) {
      tasks.remove(taskId);
    } else if (!erased.contains(task.getParticipantId())) {
      tasks.put(taskId, task);
    }
    version.incrementAndGet();
  }

  /** Keeps the latest receipt per reminder; drops those older than 30 days before {@code now}. */
  public void putReceipt(String reminderId, DeliveryReceipt receipt, Instant now) {
    if (receipt == null) {
      receipts.remove(reminderId);
    } else if (!erased.contains(receipt.getParticipantId())) {
      DeliveryReceipt previous = receipts.get(reminderId);
      if (previous == null || !receipt.getAt().isBefore(previous.getAt())) {
        receipts.put(reminderId, receipt);
      }
      if (receipts.size() > MAX_RECEIPTS) {
        Instant cutoff = now.minus(RECEIPT_RETENTION);
        receipts.values().removeIf(r -> r.getAt().isBefore(cutoff));
      }
    }
    version.incrementAndGet();
  }

  /** True once the participant's status was tombstoned (erased) while this process ran. */
  public boolean erased(String participantId) {
    return erased.contains(participantId);
  }

  public ParticipantStatus status(String participantId) {
    return participantId == null ? null : statuses.get(participantId);
  }

  public Collection<ParticipantStatus> statuses() {
    return statuses.values();
  }

  public Tally tally(String key) {
    return tallies.get(key);
  }

  public Collection<Tally> tallies() {
    return tallies.values();
  }

  public CoordinatorTask task(String taskId) {
    return tasks.get(taskId);
  }

  public Collection<CoordinatorTask> tasks() {
    return tasks.values();
  }

  /** How many tasks are open now. */
  public long openTaskCount() {
    return tasks.values().stream().filter(task -> task.getState() == TaskState.OPEN).count();
  }

  public Collection<DeliveryReceipt> receipts() {
    return receipts.values();
  }
}
