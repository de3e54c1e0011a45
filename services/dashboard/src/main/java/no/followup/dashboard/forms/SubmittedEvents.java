package no.followup.dashboard.forms;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Makes a form safe to send twice: the page gives each opened form an eventId, and a second send of
 * the same eventId (a double click, a retry after a lost answer) gets the first one's answer without
 * reaching the intake again. Sends of one eventId wait for each other, so two at once also record
 * once. The same eventId with other content is refused. Bounded: the latest {@link #CAPACITY}
 * accepted eventIds are remembered (every consumer deduplicates by eventId as well).
 */
final class SubmittedEvents {

  static final int CAPACITY = 10_000;

  /** What was answered for an eventId: the event sent, and the answer. */
  record Sent(JsonNode event, int status, JsonNode body) {}

  /** The lock of an eventId being sent, and how many sends hold or wait for it. */
  private static final class Lock {
    int users; // changed only inside the map's compute, which runs one at a time per key
  }

  private final Map<String, Lock> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Sent> accepted = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
      return size() > CAPACITY;
    }
  };

  /**
   * Sends the event once per eventId: {@code send} runs unless an event of this id was accepted
   * before, in which case its answer is returned; null when the id was accepted for other content.
   */
  Sent sendOnce(String eventId, JsonNode event, Supplier<Sent> send) {
    Lock lock = inFlight.compute(eventId, (id, current) -> {
      Lock held = current == null ? new Lock() : current;
      held.users++;
      return held;
    });
    try {
      synchronized (lock) {
        Sent before;
        synchronized (accepted) {
          before = accepted.get(eventId);
        }
        if (before != null) {
          return before.event().equals(event) ? before : null;
        }
        Sent sent = send.get();
        if (sent.status() == 202) {
          synchronized (accepted) {
            accepted.put(eventId, sent);
          }
        }
        return sent;
      }
    } finally {
      inFlight.compute(eventId, (id, current) -> --current.users == 0 ? null : current);
    }
  }
}
