package no.followup.status.topology;

import org.apache.kafka.common.utils.Bytes;

/**
 * The key range of one participant's rows in {@value StatusTopology#EVENTS_STORE}, for readers
 * outside the topology (the timeline query): every row of the participant lies between
 * {@link #first} and {@link #last}, in fold order.
 */
public final class EventRows {

  private EventRows() {}

  public static Bytes first(String participantId) {
    return FoldKeys.first(participantId, FoldKeys.POSITION_BYTES);
  }

  public static Bytes last(String participantId) {
    return FoldKeys.last(participantId, FoldKeys.POSITION_BYTES);
  }
}
