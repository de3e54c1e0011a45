package no.followup.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.BenefitGranted;
import no.followup.events.Benefit;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.MeetingMissed;
import no.followup.events.SealedPayload;
import no.followup.events.StaffRole;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class EventSealerTest {

  final InMemoryDataKeys keys = new InMemoryDataKeys();
  final EventSealer sealer = new EventSealer(keys);

  static FollowUpEvent event(String participantId, Object payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId("3421")
        .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId("s-12").build())
        .setOccurredAt(Instant.parse("2025-03-04T10:00:00Z"))
        .setRecordedAt(Instant.parse("2025-03-04T10:05:00Z"))
        .setCohortId("optimist")
        .setPayload(payload)
        .build();
  }

  static FunctionScoreRecorded scores() {
    return FunctionScoreRecorded.newBuilder().setPhysicalFitness(4).setFeelings(5).setDailyActivities(3)
        .setSocialActivities(4).setChangeInHealth(3).setOverallHealth(4).setPain(5).build();
  }

  @Test
  void aHealthPayloadIsSealedAndUnsealsToTheSameEvent() {
    FollowUpEvent plain = event("p-1", scores());

    FollowUpEvent sealed = sealer.seal(plain);

    assertThat(sealed.getPayload()).isInstanceOfSatisfying(SealedPayload.class, s -> {
      assertThat(s.getPayloadType()).isEqualTo("FunctionScoreRecorded");
      assertThat(s.getCiphertext().remaining()).isGreaterThan(16);
    });
    assertThat(sealed.getEventId()).isEqualTo(plain.getEventId());
    assertThat(sealed.getParticipantId()).isEqualTo("p-1");
    assertThat(sealer.unseal(sealed)).isEqualTo(plain);
  }

  @Test
  void otherPayloadsStayPlain() {
    FollowUpEvent missed = event("p-1", MeetingMissed.newBuilder().setMeetingId("m-1").build());
    assertThat(sealer.seal(missed)).isSameAs(missed);
    assertThat(sealer.unseal(missed)).isSameAs(missed);
  }

  @Test
  void afterErasureTheSealedPayloadStaysSealedWithoutAnError() {
    FollowUpEvent sealed = sealer.seal(event("p-1", BenefitGranted.newBuilder().setBenefit(Benefit.DISABILITY).build()));
    keys.erase("p-1");

    FollowUpEvent replayed = sealer.unseal(sealed);

    assertThat(replayed.getPayload()).isInstanceOf(SealedPayload.class);
    assertThat(sealer.ofErased()).isEqualTo(1);
    // a new participant id starts over with a key of its own
    FollowUpEvent other = event("p-2", scores());
    assertThat(sealer.unseal(sealer.seal(other))).isEqualTo(other);
  }

  @Test
  void aCiphertextOrKeyMovedToAnotherParticipantOrEventIsAnErrorNamingNoValue() {
    FollowUpEvent sealed = sealer.seal(event("p-1", scores()));
    SealedPayload payload = (SealedPayload) sealed.getPayload();

    FollowUpEvent otherEvent = FollowUpEvent.newBuilder(sealed).setEventId(UUID.randomUUID()).build();
    assertThatThrownBy(() -> sealer.unseal(otherEvent)).isInstanceOf(UnopenablePayloadException.class)
        .hasMessageContaining("FunctionScoreRecorded").hasMessageContaining("altered, or moved")
        .hasMessageNotContaining("p-1");

    keys.copyKey("p-1", "p-2", payload.getKeyId());
    FollowUpEvent otherParticipant = FollowUpEvent.newBuilder(sealed).setParticipantId("p-2").build();
    assertThatThrownBy(() -> sealer.unseal(otherParticipant)).isInstanceOf(UnopenablePayloadException.class);
    assertThat(sealer.ofErased()).isZero();
  }

  /** Only an erasure leaves a payload sealed without a word; a key that is simply not there is an error. */
  @Test
  void aPayloadWithoutItsKeyForAParticipantNotErasedIsAnError() {
    FollowUpEvent sealed = new EventSealer(new InMemoryDataKeys()).seal(event("p-1", scores()));

    assertThatThrownBy(() -> sealer.unseal(sealed)).isInstanceOf(UnopenablePayloadException.class)
        .hasMessageContaining("not erased");
    assertThat(sealer.ofErased()).isZero();
  }

  @Test
  void aSealedPayloadOfATypeTheContractDoesNotHaveIsAnError() {
    FollowUpEvent sealed = sealer.seal(event("p-1", scores()));
    SealedPayload payload = (SealedPayload) sealed.getPayload();
    FollowUpEvent unknown = FollowUpEvent.newBuilder(sealed)
        .setPayload(SealedPayload.newBuilder(payload).setPayloadType("NoSuchPayload").build()).build();

    assertThatThrownBy(() -> sealer.unseal(unknown)).isInstanceOf(UnopenablePayloadException.class)
        .hasMessageContaining("type the event contract does not have");

    // of an erased participant it is left sealed like any other payload of theirs
    keys.erase("p-1");
    assertThat(sealer.unseal(unknown)).isSameAs(unknown);
  }

  @Test
  void aThirdPartyClientReadsTheEnvelopeWithTheSchemaAloneAndNoScore() throws Exception {
    FollowUpEvent sealed = sealer.seal(event("p-1", scores()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<FollowUpEvent>(FollowUpEvent.getClassSchema()).write(sealed, encoder);
    encoder.flush();

    // what a client in another language does: the registered schema, generic records, no generated classes
    Schema registered = new Schema.Parser().parse(FollowUpEvent.getClassSchema().toString());
    GenericRecord read = new GenericDatumReader<GenericRecord>(registered)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

    assertThat(read.get("participantId").toString()).isEqualTo("p-1");
    assertThat(read.get("officeId").toString()).isEqualTo("3421");
    assertThat(read.get("cohortId").toString()).isEqualTo("optimist");
    GenericRecord payload = (GenericRecord) read.get("payload");
    assertThat(payload.getSchema().getName()).isEqualTo("SealedPayload");
    assertThat(payload.get("payloadType").toString()).isEqualTo("FunctionScoreRecorded");
    assertThat(payload.getSchema().getFields()).extracting(Schema.Field::name)
        .containsExactly("payloadType", "keyId", "ciphertext");
    assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("physicalFitness");
  }

  @Test
  void theSealedTypesAreTheHealthPayloads() {
    assertThat(SensitivePayloads.SEALED).extracting(Class::getSimpleName).containsExactlyInAnyOrder(
        "FunctionScoreRecorded", "BenefitGranted", "ParticipantExited", "ServiceStarted", "ServiceEnded", "ParticipantEnrolled");
    assertThat(List.of(EventSealer.payloadSchema("FunctionScoreRecorded"), EventSealer.payloadSchema("BenefitGranted")))
        .doesNotContainNull();
    assertThat(EventSealer.payloadSchema("SealedPayload")).as("never nested").isNull();
  }
}
