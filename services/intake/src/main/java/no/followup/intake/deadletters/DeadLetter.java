package no.followup.intake.deadletters;

import java.time.Instant;

/**
 * One pointer on the dead-letter topic: which record was skipped and why. The pointer never holds
 * the record itself; {@link DeadLetterTool#show} reads the source record's size, not its content.
 *
 * @param source the skipped record
 * @param errorClass the failure's class, e.g. {@code org.apache.kafka.common.errors.SerializationException}
 * @param errorMessage the failure's message as the pointer carries it (cut to 500 characters, no payload)
 * @param at when the pointer was written
 * @param pointerPartition where the pointer is on the dead-letter topic
 * @param pointerOffset see {@code pointerPartition}
 */
public record DeadLetter(SourceRecord source, String errorClass, String errorMessage, Instant at, int pointerPartition,
    long pointerOffset) {

  /** The error class without its package: what {@code list} groups by. */
  public String cause() {
    int dot = errorClass.lastIndexOf('.');
    return dot < 0 ? errorClass : errorClass.substring(dot + 1);
  }
}
