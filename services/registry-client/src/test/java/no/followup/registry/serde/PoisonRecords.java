package no.followup.registry.serde;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Values anyone with write access to a topic could put there, one of each kind, built from one valid
 * value of the topic (so they carry its real schema id where a kind needs one) and one valid value
 * of another topic (valid Avro, of the wrong type). Shared with other modules' tests and the chaos
 * suite through this module's test jar.
 */
public final class PoisonRecords {

  /** A schema id no registry of ours hands out. */
  public static final int UNKNOWN_SCHEMA_ID = 2_000_000_000;

  private PoisonRecords() {}

  /** Kind name to value. */
  public static Map<String, byte[]> of(byte[] validValue, byte[] otherTopicsValue, Random random) {
    int schemaId = WireFormat.schemaId(validValue, "poison");
    byte[] body = Arrays.copyOfRange(validValue, WireFormat.HEADER_SIZE, validValue.length);
    Map<String, byte[]> poison = new LinkedHashMap<>();
    byte[] garbage = new byte[64];
    random.nextBytes(garbage);
    garbage[0] = 0x7f; // not the wire format's magic byte
    poison.put("garbage", garbage);
    poison.put("empty value", new byte[0]);
    byte[] wrongMagic = validValue.clone();
    wrongMagic[0] = 1;
    poison.put("wrong magic byte", wrongMagic);
    poison.put("unknown schema id", concat(WireFormat.header(UNKNOWN_SCHEMA_ID), body));
    // the first field is a string: declare about 2 GB of it, then stop after three bytes
    poison.put("huge declared length", concat(WireFormat.header(schemaId),
        new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 1, 2, 3}));
    poison.put("truncated", Arrays.copyOf(validValue, WireFormat.HEADER_SIZE + body.length / 2));
    poison.put("valid Avro of the wrong type", otherTopicsValue.clone());
    return poison;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
