package no.followup.intake.publish;

import java.util.ArrayList;
import java.util.List;
import no.followup.common.crypto.DataKeys;
import no.followup.common.crypto.EventSealer;
import no.followup.common.crypto.KeysUnavailableException;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantErased;

/**
 * Seals health payloads before they are written ({@link EventSealer}), and shreds a participant's
 * data keys before their {@code ParticipantErased} is written: from that moment every sealed payload
 * of theirs, on the topic, in a backup or a mirror, is unreadable. A key that cannot be written or
 * deleted in time is answered like an unavailable event store (503: resend); shredding first means a
 * failed erasure leaves the data unreadable rather than the erasure recorded with readable data.
 */
public final class SealingEventPublisher implements EventPublisher {

  private final EventPublisher inner;
  private final DataKeys keys;
  private final EventSealer sealer;
  private final AutoCloseable keysResource;

  public SealingEventPublisher(EventPublisher inner, DataKeys keys, AutoCloseable keysResource) {
    this.inner = inner;
    this.keys = keys;
    this.sealer = new EventSealer(keys);
    this.keysResource = keysResource;
  }

  @Override
  public void publish(FollowUpEvent event) throws EventStoreUnavailableException, EventTooLargeException {
    inner.publish(prepare(event));
  }

  @Override
  public void publishAll(List<FollowUpEvent> events) throws EventStoreUnavailableException, EventTooLargeException {
    List<FollowUpEvent> prepared = new ArrayList<>(events.size());
    for (FollowUpEvent event : events) {
      prepared.add(prepare(event));
    }
    inner.publishAll(prepared);
  }

  private FollowUpEvent prepare(FollowUpEvent event) throws EventStoreUnavailableException {
    try {
      if (event.getPayload() instanceof ParticipantErased) {
        keys.erase(event.getParticipantId());
      }
      return sealer.seal(event);
    } catch (KeysUnavailableException e) {
      throw new EventStoreUnavailableException("data keys unavailable", e);
    }
  }

  @Override
  public void close() {
    try {
      inner.close();
    } finally {
      try {
        keysResource.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close the data keys", e);
      }
    }
  }
}
