package no.followup.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.followup.common.crypto.InMemoryDataKeys;
import no.followup.events.Actor;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.ParticipantErased;
import no.followup.events.SealedPayload;
import no.followup.events.StaffRole;
import no.followup.intake.http.RecordingPublisher;
import org.junit.jupiter.api.Test;

/** Sealing, shredding, and refusing what comes for an erased participant, with keys kept in memory. */
class SealingEventPublisherTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  private final InMemoryDataKeys keys = new InMemoryDataKeys();
  private final RecordingPublisher written = new RecordingPublisher();
  private final SealingEventPublisher publisher = new SealingEventPublisher(written, keys, () -> { });

  private static FollowUpEvent event(String participantId, Object payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID()).setParticipantId(participantId).setOfficeId("3421")
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-12"))
        .setOccurredAt(AT).setRecordedAt(AT).setCohortId(null)
        .setPayload(payload)
        .build();
  }

  private static FollowUpEvent contact(String participantId) {
    return event(participantId, new ContactMade(ContactChannel.PHONE, true));
  }

  private static FollowUpEvent erasure(String participantId) {
    return event(participantId, new ParticipantErased());
  }

  @Test
  void healthPayloadsAreWrittenSealedAndOthersAsTheyCame() throws Exception {
    FollowUpEvent scores = event("p-1", new FunctionScoreRecorded(4, 5, 3, 4, 3, 4, 5));
    FollowUpEvent contact = contact("p-1");

    publisher.publishAll(List.of(scores, contact));

    assertThat(written.published).hasSize(2);
    assertThat(written.published.get(0).getPayload()).isInstanceOf(SealedPayload.class);
    assertThat(written.published.get(1)).isEqualTo(contact);
  }

  @Test
  void afterAnErasureNothingButARepeatedErasureIsWrittenForTheParticipant() throws Exception {
    publisher.publish(contact("p-1"));
    publisher.publish(erasure("p-1"));

    assertThatThrownBy(() -> publisher.publish(contact("p-1")))
        .isInstanceOfSatisfying(ParticipantErasedException.class,
            refused -> assertThat(refused.participantIds()).containsExactly("p-1"));
    assertThatThrownBy(() -> publisher.publishAll(List.of(contact("p-2"), contact("p-1"))))
        .isInstanceOf(ParticipantErasedException.class);
    publisher.publish(erasure("p-1"));
    publisher.publish(contact("p-2"));

    assertThat(written.published).extracting(e -> e.getPayload().getClass().getSimpleName())
        .containsExactly("ContactMade", "ParticipantErased", "ParticipantErased", "ContactMade");
  }

  @Test
  void anErasureInABatchRefusesTheParticipantsEventsAfterItNotBefore() throws Exception {
    publisher.publishAll(List.of(contact("p-1"), erasure("p-1")));

    assertThatThrownBy(() -> publisher.publishAll(List.of(contact("p-3"), erasure("p-3"), contact("p-3"))))
        .isInstanceOfSatisfying(ParticipantErasedException.class,
            refused -> assertThat(refused.participantIds()).containsExactly("p-3"));
    assertThat(written.published).hasSize(2);
    assertThat(keys.erasedAmong(List.of("p-3"))).as("nothing of a refused batch happened").isEmpty();
  }
}
