package no.followup.registry.serde;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds on what Avro may allocate while decoding one record, far above anything our contract can
 * hold, far below what hurts a service.
 *
 * <p>Avro trusts the lengths a record declares: a 20-byte value declaring a 2 GB string makes it
 * allocate 2 GB before it notices the bytes are not there, and the {@code OutOfMemoryError} stops
 * the consumer on every retry. Avro's own limits ({@code org.apache.avro.limits.*}) turn such a
 * declaration into a {@link SystemLimitException}, which our deserializer reports as an ordinary
 * undecodable record (a dead letter). Avro reads the limits once, when {@link SystemLimitException}
 * is first used, so they are set from the deserializer's static initializer, before any record is
 * read; a value given on the command line ({@code -Dorg.apache.avro.limits.string.maxLength=...})
 * wins. Avro can read them earlier than that: a builder that fills in a field's default decodes the
 * default from Avro binary ({@code GenericData.getDefaultValue}). Then the limits are read again.
 */
public final class AvroLimits {

  private static final Logger log = LoggerFactory.getLogger(AvroLimits.class);

  /**
   * Longest string, in UTF-8 bytes: the intake caps every field at a few thousand characters; 1 MiB
   * also reads records written before those caps (they were once accepted up to the broker's limit).
   */
  public static final int MAX_STRING_BYTES = 1 << 20;
  /** Longest bytes value: the contract has none today; the same bound as strings. */
  public static final int MAX_BYTES = 1 << 20;
  /**
   * Most items in one array or map: a participant's stored history (one item per event) is the
   * largest collection; a million items is far past any history and still only megabytes of slots.
   */
  public static final int MAX_COLLECTION_ITEMS = 1_000_000;

  private AvroLimits() {}

  /** Sets the limits that nobody set on the command line. Safe to call more than once. */
  static void install() {
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    if (!inForce()) {
      rereadLimits();
    }
    if (!inForce()) {
      log.error("Avro decoding limits are not in force (Avro read them before they were set); "
          + "start the JVM with -D{}={} -D{}={} -D{}={}",
          SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES,
          SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES,
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    }
  }

  /**
   * Has Avro read its limits from the system properties again. Avro decoded something before they
   * were set and keeps what it read then; its only way to read them again is a package-private
   * method it has for its own tests, so it is called by reflection. Failing that, the caller logs
   * the command-line flags that set the limits before Avro starts.
   */
  private static void rereadLimits() {
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Could not make Avro read its limits again: {}", e.toString());
    }
  }

  /** True when Avro refuses strings, bytes and collections above our bounds (or tighter ones). */
  public static boolean inForce() {
    return refuses(() -> SystemLimitException.checkMaxStringLength(MAX_STRING_BYTES + 1L))
        && refuses(() -> SystemLimitException.checkMaxBytesLength(MAX_BYTES + 1L))
        && refuses(() -> SystemLimitException.checkMaxCollectionLength(MAX_COLLECTION_ITEMS + 1L));
  }

  private static boolean refuses(Runnable check) {
    try {
      check.run();
      return false;
    } catch (SystemLimitException expected) {
      return true;
    }
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }
}
