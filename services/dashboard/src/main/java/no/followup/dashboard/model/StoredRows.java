package no.followup.dashboard.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecordBase;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;

/**
 * How rows are stored: Avro binary of the record classes this build knows (single-object encoding).
 * {@link #FORMAT} names the schemas; a store written with other schemas is read again from the topics
 * rather than decoded with a guess.
 */
final class StoredRows {

  static final String FORMAT = "1:" + fingerprint(ParticipantStatus.getClassSchema()) + ":"
      + fingerprint(Tally.getClassSchema()) + ":" + fingerprint(CoordinatorTask.getClassSchema()) + ":"
      + fingerprint(DeliveryReceipt.getClassSchema());

  private StoredRows() {}

  static byte[] encode(SpecificRecordBase row) {
    try {
      ByteBuffer buffer;
      if (row instanceof ParticipantStatus status) {
        buffer = status.toByteBuffer();
      } else if (row instanceof Tally tally) {
        buffer = tally.toByteBuffer();
      } else if (row instanceof CoordinatorTask task) {
        buffer = task.toByteBuffer();
      } else if (row instanceof DeliveryReceipt receipt) {
        buffer = receipt.toByteBuffer();
      } else {
        throw new IllegalArgumentException("not a stored row: " + row.getClass().getName());
      }
      return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
          buffer.arrayOffset() + buffer.limit());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a " + row.getClass().getSimpleName(), e);
    }
  }

  static ParticipantStatus status(byte[] stored) {
    return decode(stored, ParticipantStatus::fromByteBuffer, "status");
  }

  static Tally tally(byte[] stored) {
    return decode(stored, Tally::fromByteBuffer, "tally");
  }

  static CoordinatorTask task(byte[] stored) {
    return decode(stored, CoordinatorTask::fromByteBuffer, "task");
  }

  static DeliveryReceipt receipt(byte[] stored) {
    return decode(stored, DeliveryReceipt::fromByteBuffer, "receipt");
  }

  /** Avro's generated {@code fromByteBuffer} of one record type. */
  @FunctionalInterface
  private interface Decoder<T> {
    T decode(ByteBuffer stored) throws IOException;
  }

  private static <T> T decode(byte[] stored, Decoder<T> decoder, String kind) {
    try {
      return stored == null ? null : decoder.decode(ByteBuffer.wrap(stored));
    } catch (IOException e) {
      throw corrupt(kind, e);
    }
  }

  private static IllegalStateException corrupt(String kind, IOException e) {
    return new IllegalStateException("a stored " + kind + " cannot be decoded (delete the state directory to read the"
        + " topics again): " + e.getClass().getName(), e);
  }

  private static String fingerprint(org.apache.avro.Schema schema) {
    return Long.toHexString(SchemaNormalization.parsingFingerprint64(schema));
  }
}
