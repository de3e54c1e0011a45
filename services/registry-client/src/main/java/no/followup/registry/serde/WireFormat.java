package no.followup.registry.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * record in Avro binary encoding (no Avro container header).
 */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int ID_SIZE = 4;
  /** Magic byte + schema id. */
  public static final int HEADER_SIZE = 1 + ID_SIZE;

  private WireFormat() {}

  /** The header for a record written with schema {@code id}. */
  public static byte[] header(int id) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(id).array();
  }

  /**
   * Reads the schema id of a serialized record, checking the header.
   *
   * @throws SerializationException for a record too short to hold a header or with another magic byte
   */
  public static int schemaId(byte[] data, String topic) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException("Truncated record in topic " + topic + ": " + data.length
          + " bytes, but the wire format needs at least " + HEADER_SIZE + " (magic byte and 4-byte schema id)");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(String.format(
          "Unknown magic byte 0x%02x in record of topic %s: expected 0x00 (schema registry wire format); "
              + "the record was not written by a schema-registry Avro serializer", data[0], topic));
    }
    return ByteBuffer.wrap(data, 1, ID_SIZE).getInt();
  }
}
