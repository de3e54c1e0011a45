package no.followup.delivery;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivery's erasure markers: the pseudonymous ids of erased participants, so that a reminder that
 * arrives for one later (late, replayed, or from a producer that missed the erasure) derives nothing.
 * Only a new participant id starts over. A JSON-lines file, fsynced per write, read at start.
 *
 * <p>An erasure has two steps. {@link #begin} records the marker with the ids whose task and receipt
 * tombstones go out in the Kafka transaction; {@link #complete}, after that transaction committed,
 * drops the ids once the local files are purged. A marker still pending at start (delivery stopped in
 * between) is finished then: its tombstones are sent again (harmless) and the files purged. The ids
 * are needed only while pending: a completed marker holds the participant id and the time alone.
 */
public final class ErasedParticipants implements AutoCloseable {

  /** One marker. {@code taskIds} and {@code receiptIds} are non-empty only while pending. */
  public record Marker(String participantId, Instant erasedAt, boolean completed, List<String> taskIds, List<String> receiptIds) {
    public Marker {
      taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
      receiptIds = receiptIds == null ? List.of() : List.copyOf(receiptIds);
    }
  }

  private final JsonLinesFile<Marker> file;
  private final Map<String, Marker> latest = new LinkedHashMap<>();

  private ErasedParticipants(JsonLinesFile<Marker> file) {
    this.file = file;
  }

  /** Reads the markers and compacts the file to the latest marker per participant. */
  public static ErasedParticipants open(Path path) {
    JsonLinesFile<Marker> file = new JsonLinesFile<>(path, Marker.class);
    ErasedParticipants markers = new ErasedParticipants(file);
    List<Marker> lines = file.open();
    for (Marker m : lines) {
      markers.latest.put(m.participantId(), m);
    }
    if (lines.size() > markers.latest.size()) {
      file.rewrite(new ArrayList<>(markers.latest.values()));
    }
    return markers;
  }

  public synchronized boolean erased(String participantId) {
    return latest.containsKey(participantId);
  }

  public synchronized boolean completed(String participantId) {
    Marker m = latest.get(participantId);
    return m != null && m.completed();
  }

  /**
   * Marks the participant erased (durably, before returning), adding {@code taskIds} and
   * {@code receiptIds} to those of a pending marker.
   *
   * @return the pending marker with every id still to tombstone
   */
  public synchronized Marker begin(String participantId, Instant now, Collection<String> taskIds, Collection<String> receiptIds) {
    Marker before = latest.get(participantId);
    Set<String> tasks = new LinkedHashSet<>();
    Set<String> receipts = new LinkedHashSet<>();
    if (before != null) {
      tasks.addAll(before.taskIds());
      receipts.addAll(before.receiptIds());
    }
    tasks.addAll(taskIds);
    receipts.addAll(receiptIds);
    Marker pending = new Marker(participantId, before == null ? now : before.erasedAt(), false, List.copyOf(tasks),
        List.copyOf(receipts));
    file.append(pending);
    latest.put(participantId, pending);
    return pending;
  }

  /** The erasure's tombstones are committed and the files purged: only the id and the time stay. */
  public synchronized void complete(String participantId) {
    Marker before = latest.get(participantId);
    if (before == null || before.completed()) {
      return;
    }
    latest.put(participantId, new Marker(participantId, before.erasedAt(), true, List.of(), List.of()));
    // rewritten rather than appended: the pending line with the ids leaves the file now
    file.rewrite(new ArrayList<>(latest.values()));
  }

  /** Markers whose erasure has not completed (delivery stopped in between). */
  public synchronized List<Marker> pending() {
    return latest.values().stream().filter(m -> !m.completed()).toList();
  }

  public synchronized int size() {
    return latest.size();
  }

  @Override
  public void close() {
    file.close();
  }
}
