package no.followup.dashboard.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import no.followup.dashboard.views.ViewModels.Pending;

/**
 * Tasks marked done from the page whose resolution has not come back on the tasks topic yet. The
 * event went to the intake; the reminders and delivery services turn it into the task's DONE state.
 * Until then the page shows "marked, waiting for confirmation". A mark that is not confirmed within
 * the timeout lapses and the task shows as open again, so nothing is hidden for good by a lost event.
 */
public final class PendingMarks {

  private final Map<String, Pending> marks = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration timeout;

  public PendingMarks(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Records a mark; false when the task is already marked and waiting. */
  public boolean mark(String taskId, String outcome, UUID eventId) {
    Instant now = clock.instant();
    Pending fresh = new Pending(now, outcome, eventId.toString());
    Pending result = marks.compute(taskId, (id, existing) -> existing != null && !lapsed(existing, now) ? existing : fresh);
    return result == fresh;
  }

  /** Forgets a mark (the intake refused the event, or the task left the OPEN state). */
  public void clear(String taskId) {
    marks.remove(taskId);
  }

  /** The task's mark, when one is waiting for confirmation. */
  public Optional<Pending> get(String taskId) {
    Pending p = marks.get(taskId);
    if (p == null) {
      return Optional.empty();
    }
    if (lapsed(p, clock.instant())) {
      marks.remove(taskId, p);
      return Optional.empty();
    }
    return Optional.of(p);
  }

  private boolean lapsed(Pending p, Instant now) {
    return !now.isBefore(p.markedAt().plus(timeout));
  }
}
