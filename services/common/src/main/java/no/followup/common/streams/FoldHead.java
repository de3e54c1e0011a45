package no.followup.common.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value of the status service's store {@code status-fold}: the participant's current status, in
 * the status topic's encoding (null: none, for an erasure marker), and their {@code ParticipantFold}
 * in registry wire format. Shared here because the privacy scan reads that store's changelog too.
 *
 * <p>Why one value: every event reads the previous status (for the tallies) and the fold, and writes
 * both; as one row that is one store read, one write and one changelog record. Why bytes: a query
 * takes the status without decoding the fold, and the fold is decoded only by the fold. The framing
 * (the status's length, the status, the fold) is two byte arrays side by side, which needs no
 * library.
 */
public record FoldHead(byte[] status, byte[] fold) {

  private static final int NO_STATUS = -1;

  public static final Serde<FoldHead> SERDE = Serdes.serdeFrom(serializer(), deserializer());

  private static Serializer<FoldHead> serializer() {
    return (topic, head) -> {
      if (head == null) {
        return null;
      }
      int statusLength = head.status == null ? 0 : head.status.length;
      return ByteBuffer.allocate(Integer.BYTES + statusLength + head.fold.length)
          .putInt(head.status == null ? NO_STATUS : statusLength)
          .put(head.status == null ? new byte[0] : head.status)
          .put(head.fold)
          .array();
    };
  }

  private static Deserializer<FoldHead> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(data);
      int statusLength = data.length < Integer.BYTES ? Integer.MIN_VALUE : buffer.getInt();
      if (statusLength < NO_STATUS || statusLength > buffer.remaining()) {
        throw new SerializationException("Not a status-fold value: status length " + statusLength
            + " in " + data.length + " bytes");
      }
      byte[] status = null;
      if (statusLength != NO_STATUS) {
        status = new byte[statusLength];
        buffer.get(status);
      }
      byte[] fold = new byte[buffer.remaining()];
      buffer.get(fold);
      return new FoldHead(status, fold);
    };
  }
}
