package no.followup.intake.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import no.followup.events.FollowUpEvent;
import no.followup.intake.publish.EventPublisher;
import no.followup.intake.publish.EventStoreUnavailableException;

/** Records what the API publishes; can pretend the event store is down. For tests of the HTTP layer and the CLI. */
public final class RecordingPublisher implements EventPublisher {
  public final List<FollowUpEvent> published = new ArrayList<>();
  public final List<List<FollowUpEvent>> batches = new ArrayList<>();
  public final AtomicBoolean down = new AtomicBoolean();

  @Override
  public synchronized void publish(FollowUpEvent event) throws EventStoreUnavailableException {
    if (down.get()) {
      throw new EventStoreUnavailableException("down", null);
    }
    published.add(event);
  }

  @Override
  public synchronized void publishAll(List<FollowUpEvent> events) throws EventStoreUnavailableException {
    if (down.get()) {
      throw new EventStoreUnavailableException("down", null);
    }
    batches.add(List.copyOf(events));
    published.addAll(events);
  }

  @Override
  public void close() {}
}
