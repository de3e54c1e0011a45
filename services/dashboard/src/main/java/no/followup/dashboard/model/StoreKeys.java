package no.followup.dashboard.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * How the store's keys are laid out. Rows are keyed by their own id (UTF-8). An index key is
 * {@code kind, length of the value, value, row id}: the length makes every prefix unambiguous, whatever
 * bytes an id holds. The time index orders receipts by time ({@code kind, millis, reminderId}), so the
 * oldest are the first keys and expiring them is a seek, never a scan.
 */
final class StoreKeys {

  /** The kinds of index key, one byte each. */
  enum Index {
    STATUS_BY_OFFICE('O'), STATUS_BY_COORDINATOR('C'), STATUS_BY_SPECIALIST('S'), STATUS_BY_COHORT('K'),
    TASK_BY_PARTICIPANT('P'), OPEN_TASK('T'), RECEIPT_BY_PARTICIPANT('R'), RECEIPT_BY_TIME('W');

    private final byte tag;

    Index(char tag) {
      this.tag = (byte) tag;
    }
  }

  private static final byte OFFSET = 'o';
  private static final byte ERASED = 'e';
  static final byte[] FORMAT = "format".getBytes(StandardCharsets.UTF_8);
  static final byte[] RECEIPT_COUNT = "receipt-count".getBytes(StandardCharsets.UTF_8);

  private StoreKeys() {}

  static byte[] id(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  static String id(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }

  /** The prefix of every index key of {@code kind} for {@code value}. */
  static byte[] prefix(Index kind, String value) {
    byte[] text = id(value);
    return ByteBuffer.allocate(1 + Integer.BYTES + text.length).put(kind.tag).putInt(text.length).put(text).array();
  }

  /** The prefix of every index key of {@code kind}. */
  static byte[] prefix(Index kind) {
    return new byte[] {kind.tag};
  }

  static byte[] index(Index kind, String value, String rowId) {
    return concat(prefix(kind, value), id(rowId));
  }

  /** An index key of a kind without a value (open tasks): {@code kind, row id}. */
  static byte[] index(Index kind, String rowId) {
    return concat(prefix(kind), id(rowId));
  }

  /** The row id an index key points at, given the length of its prefix. */
  static String rowId(byte[] indexKey, int prefixLength) {
    return new String(indexKey, prefixLength, indexKey.length - prefixLength, StandardCharsets.UTF_8);
  }

  /** The receipt time index: sorted by time (times before 1970 too: the sign bit flipped), then reminder. */
  static byte[] byTime(Instant at, String reminderId) {
    return concat(timePrefix(at), id(reminderId));
  }

  static byte[] timePrefix(Instant at) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(Index.RECEIPT_BY_TIME.tag).putLong(at.toEpochMilli() ^ Long.MIN_VALUE).array();
  }

  static Instant timeOf(byte[] byTimeKey) {
    return Instant.ofEpochMilli(ByteBuffer.wrap(byTimeKey, 1, Long.BYTES).getLong() ^ Long.MIN_VALUE);
  }

  static String reminderOf(byte[] byTimeKey) {
    return rowId(byTimeKey, 1 + Long.BYTES);
  }

  static byte[] offset(String topic, int partition) {
    return ByteBuffer.allocate(1 + Integer.BYTES + topic.length()).put(OFFSET).putInt(partition)
        .put(topic.getBytes(StandardCharsets.US_ASCII)).array(); // Kafka topic names are ASCII
  }

  /** The first key after every offset key. */
  static byte[] afterOffsets() {
    return new byte[] {OFFSET + 1};
  }

  static byte[] offsetsStart() {
    return new byte[] {OFFSET};
  }

  /** Above every key of the store: ids are UTF-8, which never holds the byte 0xFF; other keys start with ASCII. */
  static byte[] end() {
    return new byte[] {(byte) 0xFF};
  }

  static byte[] erased(String participantId) {
    return concat(new byte[] {ERASED}, id(participantId));
  }

  static byte[] longValue(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long longValue(byte[] value) {
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] joined = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, joined, head.length, tail.length);
    return joined;
  }
}
