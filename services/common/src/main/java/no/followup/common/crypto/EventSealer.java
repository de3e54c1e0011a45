package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.events.FollowUpEvent;
import no.followup.events.SealedPayload;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Crypto-shredding of the event log, the one component: the intake seals the payloads that carry
 * health data ({@link SensitivePayloads}) with the participant's data key, and the consumers unseal
 * them. The envelope (ids, office, actor, times) and every other payload stay plain Avro, so any
 * Confluent client still reads the topic.
 *
 * <p>A sealed payload is a {@link SealedPayload}: the payload record's name, the key id, and the
 * Tink AEAD ciphertext of the record's Avro binary encoding, with {@code <eventId>|<participantId>|<payloadType>}
 * as associated data (a ciphertext moved to another event does not decrypt). Erasure deletes the
 * participant's keys; from then on {@link #unseal} leaves the payload sealed, which every consumer
 * treats as a payload it has nothing to do with: no error, no dead letter. A payload that does not
 * open for any other reason is an error ({@link UnopenablePayloadException}).
 */
public final class EventSealer {

  private static final SpecificData MODEL = SpecificData.getForClass(FollowUpEvent.class);

  private final DataKeys keys;
  private final AtomicLong ofErased = new AtomicLong();

  public EventSealer(DataKeys keys) {
    this.keys = keys;
  }

  /** The event with a health payload sealed; any other event as it is. */
  public FollowUpEvent seal(FollowUpEvent event) {
    Object payload = event.getPayload();
    if (!SensitivePayloads.sensitive(payload)) {
      return event;
    }
    SpecificRecord record = (SpecificRecord) payload;
    String payloadType = record.getSchema().getName();
    DataKeys.IssuedKey key = keys.keyFor(event.getParticipantId());
    byte[] ciphertext;
    try {
      ciphertext = key.aead().encrypt(encode(record), associatedData(event, payloadType));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not seal a payload", e);
    }
    return FollowUpEvent.newBuilder(event)
        .setPayload(SealedPayload.newBuilder().setPayloadType(payloadType).setKeyId(key.keyId())
            .setCiphertext(ByteBuffer.wrap(ciphertext)).build())
        .build();
  }

  /**
   * The event with its payload unsealed; the event as it is, still sealed, when the participant was
   * erased (counted).
   *
   * @throws UnopenablePayloadException when the payload does not open and the participant was not
   *     erased: a missing key, another master key, an altered ciphertext, an unknown payload type
   */
  public FollowUpEvent unseal(FollowUpEvent event) {
    if (!(event.getPayload() instanceof SealedPayload sealed)) {
      return event;
    }
    Optional<Aead> key = keys.find(event.getParticipantId(), sealed.getKeyId());
    if (key.isEmpty()) {
      if (!keys.erasedAmong(Set.of(event.getParticipantId())).isEmpty()) {
        ofErased.incrementAndGet(); // whatever it holds, even a type this release does not know
        return event;
      }
      throw new UnopenablePayloadException("sealed " + sealed.getPayloadType() + " payload without a data key that"
          + " opens it, for a participant not erased: the key is missing or wrapped with another master key");
    }
    Schema schema = payloadSchema(sealed.getPayloadType());
    if (schema == null) {
      throw new UnopenablePayloadException("sealed payload of a type the event contract does not have");
    }
    try {
      byte[] plain = key.get().decrypt(bytes(sealed.getCiphertext()), associatedData(event, sealed.getPayloadType()));
      return FollowUpEvent.newBuilder(event).setPayload(decode(plain, schema)).build();
    } catch (GeneralSecurityException | IOException | RuntimeException notReadable) {
      throw new UnopenablePayloadException("sealed " + sealed.getPayloadType() + " payload that its data key does"
          + " not open: altered, or moved from another event or participant (" + notReadable.getClass().getSimpleName() + ")");
    }
  }

  /** Sealed payloads of erased participants met since start, left sealed. */
  public long ofErased() {
    return ofErased.get();
  }

  /** The payload record of the event contract named {@code payloadType}, or null when there is none. */
  static Schema payloadSchema(String payloadType) {
    for (Schema branch : FollowUpEvent.getClassSchema().getField("payload").schema().getTypes()) {
      if (branch.getName().equals(payloadType) && !branch.getName().equals(SealedPayload.getClassSchema().getName())) {
        return branch;
      }
    }
    return null;
  }

  static byte[] associatedData(FollowUpEvent event, String payloadType) {
    return (event.getEventId() + "|" + event.getParticipantId() + "|" + payloadType).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encode(SpecificRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new SpecificDatumWriter<SpecificRecord>(record.getSchema(), MODEL).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Object decode(byte[] plain, Schema schema) throws IOException {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(plain, null);
    return new SpecificDatumReader<>(schema, schema, MODEL).read(null, decoder);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
