package no.followup.common.crypto;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A sealed payload of a participant who was not erased, that does not open: its data key is missing
 * or wrapped with another master key, or the ciphertext was altered or moved to another event. The
 * record goes to the dead-letter topic, to be re-driven once the cause is mended; treating it as
 * erased would drop an enrolment or an exit without a word. The message names no value.
 */
public final class UnopenablePayloadException extends SerializationException {
  public UnopenablePayloadException(String message) {
    super(message);
  }
}
