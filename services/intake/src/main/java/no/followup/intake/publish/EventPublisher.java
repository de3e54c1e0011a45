package no.followup.intake.publish;

import java.util.List;
import no.followup.events.FollowUpEvent;

/** Writes validated events to the event store and returns once it acknowledged them. */
public interface EventPublisher extends AutoCloseable {

  /** Writes one event; returns once the broker acknowledged it (acks=all). */
  void publish(FollowUpEvent event)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException;

  /** Writes all events or none (one transaction); returns once the transaction committed. */
  void publishAll(List<FollowUpEvent> events)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException;

  @Override
  void close();
}
