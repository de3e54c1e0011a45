package no.followup.reminders;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic reminder ids: a name-based UUID (version 3, {@link UUID#nameUUIDFromBytes}) of
 * participantId, meetingId, kind, the meeting's revision and a discriminator (the due time for timed
 * reminders). Replaying the same events gives the same ids, so delivery can deduplicate by id even
 * if the application's state is rebuilt from scratch.
 */
public final class ReminderIds {

  private ReminderIds() {}

  public static String of(String participantId, String meetingId, ReminderKind kind, int revision, long discriminator) {
    String name = "followup-reminder|" + participantId + "|" + (meetingId == null ? "-" : meetingId) + "|" + kind.name()
        + "|" + revision + "|" + discriminator;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The id of the one record that tells delivery a participant is erased. */
  public static String participantErased(String participantId) {
    return of(participantId, null, ReminderKind.UNKNOWN, 0, 0L);
  }

  /** Key in the due index: zero-padded due time, so a range scan up to "now" finds everything due. */
  public static String dueKey(long dueAtMillis, String reminderId) {
    return String.format("%019d|%s", Math.max(0L, dueAtMillis), reminderId);
  }

  /** The largest due-index key for things due at or before {@code nowMillis}. */
  static String dueKeyUpperBound(long nowMillis) {
    // '}' sorts after '|', so every key of this millisecond is included
    return String.format("%019d}", Math.max(0L, nowMillis));
  }

  static String reminderIdOf(String dueKey) {
    return dueKey.substring(dueKey.indexOf('|') + 1);
  }
}
