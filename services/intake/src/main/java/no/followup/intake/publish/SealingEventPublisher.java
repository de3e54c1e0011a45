package no.followup.intake.publish;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 *
 * <p>Refuses every event but a repeated erasure for a participant the keys say was erased
 * ({@link ParticipantErasedException}): every consumer would ignore it, and the coordinator who
 * sent it should learn that, rather than see it accepted. Another instance's erasure is seen within
 * {@link no.followup.common.crypto.KafkaDataKeys#ERASURES_SEEN_WITHIN}; an event that comes through
 * in that moment is still ignored downstream, and its health payload sealed with a key nobody keeps.
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
  public void publish(FollowUpEvent event)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException {
    refuseErased(List.of(event));
    inner.publish(prepare(event));
  }

  @Override
  public void publishAll(List<FollowUpEvent> events)
      throws EventStoreUnavailableException, EventTooLargeException, ParticipantErasedException {
    refuseErased(events);
    List<FollowUpEvent> prepared = new ArrayList<>(events.size());
    for (FollowUpEvent event : events) {
      prepared.add(prepare(event));
    }
    inner.publishAll(prepared);
  }

  private void refuseErased(List<FollowUpEvent> events) throws EventStoreUnavailableException, ParticipantErasedException {
    Set<String> recordedFor = new HashSet<>();
    for (FollowUpEvent event : events) {
      if (!(event.getPayload() instanceof ParticipantErased)) {
        recordedFor.add(event.getParticipantId());
      }
    }
    if (recordedFor.isEmpty()) {
      return;
    }
    Set<String> refused = new HashSet<>();
    try {
      refused.addAll(keys.erasedAmong(recordedFor));
    } catch (KeysUnavailableException e) {
      throw new EventStoreUnavailableException("data keys unavailable", e);
    }
    // an erasure earlier in the same batch counts for the events after it
    Set<String> erasedInBatch = new HashSet<>();
    for (FollowUpEvent event : events) {
      if (event.getPayload() instanceof ParticipantErased) {
        erasedInBatch.add(event.getParticipantId());
      } else if (erasedInBatch.contains(event.getParticipantId())) {
        refused.add(event.getParticipantId());
      }
    }
    if (!refused.isEmpty()) {
      throw new ParticipantErasedException(refused);
    }
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
