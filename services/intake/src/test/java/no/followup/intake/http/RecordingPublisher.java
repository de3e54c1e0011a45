package no.followup.intake.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import no.followup.events.FollowUpEvent;
import no.followup.intake.publish.EventPublisher;
import no.followup.intake.publish.EventStoreUnavailableException;
import no.followup.intake.publish.EventTooLargeException;

/**
 * Records what the API publishes; can pretend the event store is down or refuses records as too large.
 * For tests of the HTTP layer and the CLI.
 */
public final class RecordingPublisher implements EventPublisher {
  public final List<FollowUpEvent> published = new ArrayList<>();
  public final List<List<FollowUpEvent>> batches = new ArrayList<>();
  public final AtomicBoolean down = new AtomicBoolean();
  public final AtomicBoolean refusesAsTooLarge = new AtomicBoolean();

  @Override
  public synchronized void publish(FollowUpEvent event) throws EventStoreUnavailableException, EventTooLargeException {
    refuseWhenTold();
    published.add(event);
  }

  @Override
  public synchronized void publishAll(List<FollowUpEvent> events)
      throws EventStoreUnavailableException, EventTooLargeException {
    refuseWhenTold();
    batches.add(List.copyOf(events));
    published.addAll(events);
  }

  private void refuseWhenTold() throws EventStoreUnavailableException, EventTooLargeException {
    if (down.get()) {
      throw new EventStoreUnavailableException("down", null);
    }
    if (refusesAsTooLarge.get()) {
      throw new EventTooLargeException("too large", null);
    }
  }

  @Override
  public void close() {}
}
