package no.followup.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of what delivery did with each participant reminder, by reminderId: an
 * append-only JSON-lines file, fsynced on every write ({@link JsonLinesFile}), read into memory at
 * start. It holds reminder ids, pseudonymous participant ids, states, gateway message ids and error
 * classes; no phone number, no text. It also indexes every task delivery wrote (state TASK: taskId and
 * participantId), so erasure finds each task and receipt derived from a participant
 * ({@link #entriesOf}) and removes their lines ({@link #erase}).
 *
 * <p>Before calling the gateway delivery writes ATTEMPTING; after the gateway accepted, SENT. A
 * reminder found ATTEMPTING after a restart is the one crash window left: the gateway may or may
 * not have sent it. It is sent again with the same Idempotency-Key, which a gateway that honours
 * the key turns into a no-op.
 *
 * <p>Why a file and not an embedded database: the ledger needs one thing, "is this id decided, and
 * how", durable at the moment the call returns. A dozen lines with an explicit fsync state exactly
 * that; an embedded store would add a dependency whose durability settings must be verified anyway.
 * The file is compacted at start (latest entry per id, entries older than the retention dropped),
 * so it stays small; the retention must exceed the reminders topic's (30 days) so that a
 * redelivered reminder always finds its entry. TASK lines are kept until erasure, however old: the
 * tasks topic is compacted and keeps a task until its tombstone. Lines written before the ledger knew
 * participant ids (participantId null) leave with the retention.
 */
public final class DeliveryLedger implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

  /** What was decided about an SMS reminder; TASK marks a task written for a staff reminder. */
  public enum State { ATTEMPTING, SENT, FAILED, OPTED_OUT, SKIPPED_NO_CONTACT, EXPIRED, WITHDRAWN, TASK }

  /** One decision about a reminder. */
  public record Entry(String reminderId, State state, Instant at, int attempts, String gatewayMessageId, String errorClass,
      String participantId) {

    /** A decision without a participant id (only the line's own reminder can be found by it). */
    public Entry(String reminderId, State state, Instant at, int attempts, String gatewayMessageId, String errorClass) {
      this(reminderId, state, at, attempts, gatewayMessageId, errorClass, null);
    }

    /** The line that indexes a task written for {@code participantId}. */
    static Entry task(String taskId, String participantId, Instant at) {
      return new Entry(taskId, State.TASK, at, 0, null, null, participantId);
    }
  }

  private final JsonLinesFile<Entry> file;
  private final Map<String, Entry> latest = new HashMap<>();

  private DeliveryLedger(JsonLinesFile<Entry> file) {
    this.file = file;
  }

  public static DeliveryLedger open(Path path, Duration retention, Instant now) {
    JsonLinesFile<Entry> file = new JsonLinesFile<>(path, Entry.class);
    DeliveryLedger ledger = new DeliveryLedger(file);
    List<Entry> lines = file.open();
    for (Entry e : lines) {
      ledger.latest.put(e.reminderId(), e);
    }
    Instant cutoff = now.minus(retention);
    ledger.latest.values().removeIf(e -> e.state() != State.TASK && e.at().isBefore(cutoff));
    if (lines.size() > ledger.latest.size()) {
      List<Entry> kept = new ArrayList<>(ledger.latest.values());
      kept.sort(java.util.Comparator.comparing(Entry::at));
      file.rewrite(kept);
      log.info("Delivery ledger {} compacted: {} lines to {}", path.getFileName(), lines.size(), kept.size());
    }
    return ledger;
  }

  public synchronized Optional<Entry> get(String reminderId) {
    return Optional.ofNullable(latest.get(reminderId));
  }

  /** Records a decision durably (fsync) before returning. */
  public synchronized void record(Entry entry) {
    file.append(entry);
    latest.put(entry.reminderId(), entry);
  }

  /** Every line of {@code participantId}: its SMS decisions and the tasks written for it. */
  public synchronized List<Entry> entriesOf(String participantId) {
    return latest.values().stream().filter(e -> participantId.equals(e.participantId())).toList();
  }

  /** Removes every line of {@code participantId} from memory and from the file (rewritten, fsynced). */
  public synchronized void erase(String participantId) {
    if (latest.values().removeIf(e -> participantId.equals(e.participantId()))) {
      List<Entry> kept = new ArrayList<>(latest.values());
      kept.sort(java.util.Comparator.comparing(Entry::at));
      file.rewrite(kept);
    }
  }

  public synchronized int size() {
    return latest.size();
  }

  @Override
  public void close() {
    file.close();
  }
}
