package no.followup.dashboard.model;

import static no.followup.dashboard.model.StoreKeys.Index.OPEN_TASK;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_COHORT;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_COORDINATOR;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_OFFICE;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_SPECIALIST;
import static no.followup.dashboard.model.StoreKeys.Index.TASK_BY_PARTICIPANT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import no.followup.dashboard.model.StateStore.Family;
import no.followup.dashboard.model.StoreKeys.Index;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.WriteBatch;

/**
 * The dashboard's views of the topics it reads, kept in a local RocksDB store ({@link StateStore}):
 * participant statuses by participantId, tallies by key, tasks by taskId and recent delivery receipts
 * by reminderId, with index keys by office, coordinator, open specialist assignment and cohort
 * (statuses), by participant (tasks, receipts), open tasks, and receipts by time. Filled by
 * {@link ReadModelConsumer}, which hands the offset of each record with it: the rows, their index keys
 * and the offset are written in one batch, so a restart resumes where the store stands and never
 * reads history again. Read concurrently by the HTTP handlers; listeners hear about every batch of
 * changes.
 *
 * <p>A status tombstone is an erasure (the status service writes one for nothing else): every row of
 * the participant goes (status, tasks, receipts, their index keys), and the id is kept as an erasure
 * marker in the store, so a task or receipt that arrives later (another topic read further behind, a
 * late producer, a restart) is not shown. Only a new pseudonymous id starts over.
 */
public final class ReadModel implements AutoCloseable {

  /** Something in the model changed; listeners recompute what they show. */
  @FunctionalInterface
  public interface Listener {
    void changed();
  }

  /** Receipts older than this are dropped (the receipts topic keeps 30 days too). */
  static final Duration RECEIPT_RETENTION = Duration.ofDays(30);
  /** At most this many receipts are kept, the oldest go first (a burst within 30 days stays bounded). */
  static final int MAX_RECEIPTS = 100_000;

  private final StateStore store;
  private final Receipts receipts;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  private ReadModel(StateStore store) {
    this.store = store;
    this.receipts = new Receipts(store, this::erased, RECEIPT_RETENTION, MAX_RECEIPTS);
  }

  /** A model in memory only, for tests. */
  public ReadModel() {
    this(StateStore.inMemory());
  }

  /**
   * The model stored in {@code directory}. A store written in another format (the schemas changed) is
   * deleted and filled again from the topics.
   */
  public static ReadModel open(Path directory) {
    StateStore store = StateStore.open(directory);
    byte[] format = store.get(Family.META, StoreKeys.FORMAT);
    if (format != null && !StoredRows.FORMAT.equals(StoreKeys.id(format))) {
      store.close();
      StateStore.delete(directory);
      store = StateStore.open(directory);
    }
    try (WriteBatch batch = new WriteBatch()) {
      store.put(batch, Family.META, StoreKeys.FORMAT, StoreKeys.id(StoredRows.FORMAT));
      store.write(batch);
    }
    return new ReadModel(store);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Tells the listeners that one or more changes were applied. */
  public void publishChanges() {
    for (Listener l : listeners) {
      l.changed();
    }
  }

  // ---- writes: each with the consumed position, in one batch ------------------------------------------

  /** Where a record came from: stored with its changes, so the next start reads on after it. */
  public record Position(TopicPartition partition, long offset) {}

  public void putStatus(String participantId, ParticipantStatus status) {
    putStatus(participantId, status, null);
  }

  public void putStatus(String participantId, ParticipantStatus status, Position position) {
    write(position, batch -> {
      if (status == null) {
        erase(batch, participantId);
      } else if (!erased(participantId)) {
        removeStatusIndex(batch, participantId);
        store.put(batch, Family.STATUSES, StoreKeys.id(participantId), StoredRows.encode(status));
        RowIndex.ofStatus(participantId, status).forEach(key -> store.put(batch, Family.INDEX, key, new byte[0]));
      }
    });
  }

  public void putTally(String key, Tally tally) {
    putTally(key, tally, null);
  }

  public void putTally(String key, Tally tally, Position position) {
    write(position, batch -> {
      if (tally == null) {
        store.delete(batch, Family.TALLIES, StoreKeys.id(key));
      } else {
        store.put(batch, Family.TALLIES, StoreKeys.id(key), StoredRows.encode(tally));
      }
    });
  }

  public void putTask(String taskId, CoordinatorTask task) {
    putTask(taskId, task, null);
  }

  public void putTask(String taskId, CoordinatorTask task, Position position) {
    write(position, batch -> {
      removeTask(batch, taskId);
      if (task != null && !erased(task.getParticipantId())) {
        store.put(batch, Family.TASKS, StoreKeys.id(taskId), StoredRows.encode(task));
        RowIndex.ofTask(taskId, task).forEach(key -> store.put(batch, Family.INDEX, key, new byte[0]));
      }
    });
  }

  /** Keeps the latest receipt per reminder; drops those older than 30 days before {@code now}. */
  public void putReceipt(String reminderId, DeliveryReceipt receipt, Instant now) {
    putReceipt(reminderId, receipt, now, null);
  }

  public void putReceipt(String reminderId, DeliveryReceipt receipt, Instant now, Position position) {
    write(position, batch -> receipts.put(batch, reminderId, receipt, now));
    receipts.expire(now);
  }

  /** Stores only the position: the record there changed nothing (undecodable, unkeyed). */
  public void passOver(Position position) {
    write(position, batch -> { });
  }

  /** The stored positions: the offset to read on from, per partition. */
  public Map<TopicPartition, Long> positions(List<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition partition : partitions) {
      byte[] stored = store.get(Family.META, StoreKeys.offset(partition.topic(), partition.partition()));
      if (stored != null) {
        positions.put(partition, StoreKeys.longValue(stored));
      }
    }
    return positions;
  }

  /**
   * Forgets every row and stored offset (the topics were recreated: what is stored belongs to topics
   * that are gone), and keeps the erasure markers, which stand for the participants whatever happens.
   */
  public void forgetTopics() {
    for (Family family : List.of(Family.STATUSES, Family.TALLIES, Family.TASKS, Family.RECEIPTS, Family.INDEX)) {
      store.deleteRange(family, new byte[0], StoreKeys.end());
    }
    store.deleteRange(Family.META, StoreKeys.offsetsStart(), StoreKeys.afterOffsets());
    try (WriteBatch batch = new WriteBatch()) {
      store.delete(batch, Family.META, StoreKeys.RECEIPT_COUNT);
      store.write(batch);
    }
  }

  private void write(Position position, Consumer<WriteBatch> changes) {
    try (WriteBatch batch = new WriteBatch()) {
      changes.accept(batch);
      if (position != null) {
        store.put(batch, Family.META, StoreKeys.offset(position.partition().topic(), position.partition().partition()),
            StoreKeys.longValue(position.offset() + 1));
      }
      store.write(batch);
    }
  }

  private void erase(WriteBatch batch, String participantId) {
    store.put(batch, Family.META, StoreKeys.erased(participantId), new byte[0]);
    removeStatusIndex(batch, participantId);
    store.delete(batch, Family.STATUSES, StoreKeys.id(participantId));
    for (String taskId : indexed(StoreKeys.prefix(TASK_BY_PARTICIPANT, participantId))) {
      removeTask(batch, taskId);
    }
    receipts.removeParticipant(batch, participantId);
  }

  private void removeStatusIndex(WriteBatch batch, String participantId) {
    ParticipantStatus old = status(participantId);
    if (old != null) {
      RowIndex.ofStatus(participantId, old).forEach(key -> store.delete(batch, Family.INDEX, key));
    }
  }

  private void removeTask(WriteBatch batch, String taskId) {
    CoordinatorTask old = task(taskId);
    if (old != null) {
      store.delete(batch, Family.TASKS, StoreKeys.id(taskId));
      RowIndex.ofTask(taskId, old).forEach(key -> store.delete(batch, Family.INDEX, key));
    }
  }

  // ---- reads ------------------------------------------------------------------------------------------

  /** True once the participant's status was tombstoned (erased); the marker is stored. */
  public boolean erased(String participantId) {
    return store.get(Family.META, StoreKeys.erased(participantId)) != null;
  }

  public ParticipantStatus status(String participantId) {
    return participantId == null ? null : StoredRows.status(store.get(Family.STATUSES, StoreKeys.id(participantId)));
  }

  /** Every status, read a page at a time. */
  public Iterable<ParticipantStatus> statuses() {
    return new Paged<>(store, Family.STATUSES, new byte[0], (key, value) -> StoredRows.status(value));
  }

  public List<ParticipantStatus> statusesOfOffice(String officeId) {
    return indexedRows(STATUS_BY_OFFICE, officeId, this::status);
  }

  public List<ParticipantStatus> statusesOfCoordinator(String coordinatorId) {
    return indexedRows(STATUS_BY_COORDINATOR, coordinatorId, this::status);
  }

  /** Statuses with an open service assignment for the specialist. */
  public List<ParticipantStatus> statusesOfSpecialist(String specialistId) {
    return indexedRows(STATUS_BY_SPECIALIST, specialistId, this::status);
  }

  public List<ParticipantStatus> statusesOfCohort(String cohortId) {
    return indexedRows(STATUS_BY_COHORT, cohortId, this::status);
  }

  public Tally tally(String key) {
    return StoredRows.tally(store.get(Family.TALLIES, StoreKeys.id(key)));
  }

  public CoordinatorTask task(String taskId) {
    return StoredRows.task(store.get(Family.TASKS, StoreKeys.id(taskId)));
  }

  public Iterable<CoordinatorTask> tasks() {
    return new Paged<>(store, Family.TASKS, new byte[0], (key, value) -> StoredRows.task(value));
  }

  /** The OPEN tasks, through their index. */
  public Iterable<CoordinatorTask> openTasks() {
    byte[] prefix = StoreKeys.prefix(OPEN_TASK);
    return new Paged<>(store, Family.INDEX, prefix, (key, value) -> task(StoreKeys.rowId(key, prefix.length)));
  }

  public List<CoordinatorTask> tasksOf(String participantId) {
    return indexedRows(TASK_BY_PARTICIPANT, participantId, this::task);
  }

  /** How many tasks are open now. */
  public long openTaskCount() {
    long[] count = new long[1];
    new Paged<>(store, Family.INDEX, StoreKeys.prefix(OPEN_TASK), (key, value) -> key).forEach(key -> count[0]++);
    return count[0];
  }

  public Iterable<DeliveryReceipt> receipts() {
    return receipts.all();
  }

  /** The receipts at or after {@code since}, oldest first, through the time index. */
  public Iterable<DeliveryReceipt> receiptsSince(Instant since) {
    return receipts.since(since);
  }

  /** How many receipts are kept. */
  public long receiptCount() {
    return receipts.count();
  }

  private <T> List<T> indexedRows(Index kind, String value, Function<String, T> row) {
    List<T> rows = new ArrayList<>();
    if (value == null) {
      return rows;
    }
    for (String id : indexed(StoreKeys.prefix(kind, value))) {
      T found = row.apply(id);
      if (found != null) {
        rows.add(found);
      }
    }
    return rows;
  }

  private List<String> indexed(byte[] prefix) {
    List<String> ids = new ArrayList<>();
    new Paged<>(store, Family.INDEX, prefix, (key, value) -> StoreKeys.rowId(key, prefix.length)).forEach(ids::add);
    return ids;
  }

  @Override
  public void close() {
    store.close();
  }
}
