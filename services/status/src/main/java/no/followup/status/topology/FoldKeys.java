package no.followup.status.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import no.followup.events.FollowUpEvent;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the per-participant row stores: the participant id, length first, then a fixed-length
 * suffix. RocksDB orders keys by their bytes, so one participant's rows are contiguous (the length
 * keeps {@code p-1} apart from {@code p-12}) and ordered by the suffix, and a range between
 * {@link #first} and {@link #last} reads exactly that participant's rows, in order.
 *
 * <p>A <em>position</em> suffix is the event's place in the fold order: occurredAt and recordedAt
 * as epoch milliseconds with the sign bit flipped, then the eventId's two halves; all big-endian,
 * so comparing the bytes unsigned compares as {@code StatusRules.ORDER} does (a UUID's text is
 * its 32 hex digits in order, so text order is the unsigned order of its bits).
 */
final class FoldKeys {

  static final int POSITION_BYTES = 8 + 8 + 16;
  static final int EVENT_ID_BYTES = 16;

  private FoldKeys() {}

  static byte[] position(FollowUpEvent event) {
    return ByteBuffer.allocate(POSITION_BYTES)
        .putLong(event.getOccurredAt().toEpochMilli() ^ Long.MIN_VALUE)
        .putLong(event.getRecordedAt().toEpochMilli() ^ Long.MIN_VALUE)
        .put(eventId(event.getEventId()))
        .array();
  }

  static byte[] eventId(UUID id) {
    return ByteBuffer.allocate(EVENT_ID_BYTES).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
        .array();
  }

  static Bytes key(String participantId, byte[] suffix) {
    byte[] id = participantId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + id.length + suffix.length).putInt(id.length).put(id).put(suffix)
        .array());
  }

  /** The smallest key of the participant with a suffix of {@code suffixBytes} bytes. */
  static Bytes first(String participantId, int suffixBytes) {
    return key(participantId, new byte[suffixBytes]);
  }

  /** The largest key of the participant with a suffix of {@code suffixBytes} bytes. */
  static Bytes last(String participantId, int suffixBytes) {
    byte[] suffix = new byte[suffixBytes];
    Arrays.fill(suffix, (byte) 0xFF);
    return key(participantId, suffix);
  }

  /** The smallest key greater than {@code key}: range bounds are inclusive, this excludes {@code key}. */
  static Bytes after(Bytes key) {
    return Bytes.wrap(Arrays.copyOf(key.get(), key.get().length + 1));
  }

  /** Fold order of two positions. */
  static int compare(byte[] position, byte[] other) {
    return Arrays.compareUnsigned(position, other);
  }
}
