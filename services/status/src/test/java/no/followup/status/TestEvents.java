package no.followup.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;

/** Builds events for tests: one participant, times as days after a base instant. */
public final class TestEvents {

  public static final Instant BASE = Instant.parse("2024-01-08T09:00:00Z");

  private final String participantId;
  private final String officeId;
  private final String cohortId;
  private long counter;

  public TestEvents(String participantId, String officeId, String cohortId) {
    this.participantId = participantId;
    this.officeId = officeId;
    this.cohortId = cohortId;
  }

  public static Instant day(double days) {
    return BASE.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
  }

  /** An event that occurred {@code days} after BASE and was recorded an hour later. */
  public FollowUpEvent at(double days, Object payload) {
    return at(days, days + 1.0 / 24, payload);
  }

  public FollowUpEvent at(double days, double recordedDays, Object payload) {
    counter++;
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes((participantId + "#" + counter + "#" + days).getBytes()))
        .setParticipantId(participantId)
        .setOfficeId(officeId)
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-c1"))
        .setOccurredAt(day(days))
        .setRecordedAt(day(recordedDays))
        .setCohortId(cohortId)
        .setPayload(payload)
        .build();
  }

  public FollowUpEvent enrolled(double days, String coordinatorId, TargetGroup... groups) {
    return at(days, new ParticipantEnrolled(List.of(groups), coordinatorId, "s-v1"));
  }

  /** Seven items adding up to {@code sum} (7-35). */
  public static FunctionScoreRecorded score(int sum) {
    int[] items = new int[7];
    int left = sum;
    for (int i = 0; i < 7; i++) {
      items[i] = Math.max(1, Math.min(5, (int) Math.ceil((double) left / (7 - i))));
      left -= items[i];
    }
    if (left != 0 || sum < 7 || sum > 35) {
      throw new IllegalArgumentException("cannot split " + sum);
    }
    return new FunctionScoreRecorded(items[0], items[1], items[2], items[3], items[4], items[5], items[6]);
  }

  /**
   * A status by content, for comparisons: Avro's equals fails on arrays read back by a
   * deserializer (they compare elements without the timestamp conversions).
   */
  public static java.nio.ByteBuffer content(no.followup.status.ParticipantStatus status) {
    try {
      return status == null ? null : status.toByteBuffer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String participantId() {
    return participantId;
  }
}
