package no.followup.intake.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantErased;
import no.followup.intake.publish.EventPublisher;
import no.followup.intake.publish.EventStoreUnavailableException;
import no.followup.intake.publish.EventTooLargeException;
import no.followup.intake.publish.ParticipantErasedException;

/**
 * Records what the API publishes; can pretend the event store is down, refuses records as too large, or
 * that participants were erased.
 * For tests of the HTTP layer and the CLI.
 */
public final class RecordingPublisher implements EventPublisher {
  public final List<FollowUpEvent> published = new ArrayList<>();
  public final List<List<FollowUpEvent>> batches = new ArrayList<>();
  public final AtomicBoolean down = new AtomicBoolean();
  public final AtomicBoolean refusesAsTooLarge = new AtomicBoolean();
  /** Participants whose events are refused as erased (ParticipantErased still passes, as in the intake). */
  public final Set<String> erased = ConcurrentHashMap.newKeySet();

  @Override
  public synchronized void publish(FollowUpEvent event)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException {
    refuseWhenTold(List.of(event));
    published.add(event);
  }

  @Override
  public synchronized void publishAll(List<FollowUpEvent> events)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException {
    refuseWhenTold(events);
    batches.add(List.copyOf(events));
    published.addAll(events);
  }

  private void refuseWhenTold(List<FollowUpEvent> events)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException {
    Set<String> refused = events.stream().filter(event -> !(event.getPayload() instanceof ParticipantErased))
        .map(FollowUpEvent::getParticipantId).filter(erased::contains).collect(Collectors.toSet());
    if (!refused.isEmpty()) {
      throw new ParticipantErasedException(refused);
    }
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
