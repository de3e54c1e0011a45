package no.followup.delivery;

import java.time.Instant;
import java.util.UUID;
import no.followup.reminders.Audience;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.ReminderStatus;

/** Reminder records for tests. */
final class Reminders {

  private Reminders() {}

  static Reminder participant(String participantId, Instant meetingStartsAt, MeetingPlaceKind place) {
    return Reminder.newBuilder()
        .setReminderId(UUID.randomUUID())
        .setKind(ReminderKind.MEETING_REMINDER)
        .setAudience(Audience.PARTICIPANT)
        .setStatus(ReminderStatus.DUE)
        .setParticipantId(participantId)
        .setOfficeId("0403")
        .setCoordinatorId("s-12")
        .setMeetingId("m-1")
        .setMeetingStartsAt(meetingStartsAt)
        .setMeetingKind(place)
        .setDueAt(meetingStartsAt.minusSeconds(24 * 3600))
        .setCreatedAt(meetingStartsAt.minusSeconds(24 * 3600))
        .build();
  }

  static Reminder task(String participantId, ReminderKind kind, Instant meetingStartsAt) {
    return Reminder.newBuilder()
        .setReminderId(UUID.randomUUID())
        .setKind(kind)
        .setAudience(kind == ReminderKind.MONTHLY_REVIEW ? Audience.TEAM_LEAD : Audience.COORDINATOR)
        .setStatus(ReminderStatus.DUE)
        .setParticipantId(participantId)
        .setOfficeId("0403")
        .setCoordinatorId("s-12")
        .setMeetingId(meetingStartsAt == null ? null : "m-1")
        .setMeetingStartsAt(meetingStartsAt)
        .setMeetingKind(meetingStartsAt == null ? null : MeetingPlaceKind.OFFICE)
        .setDueAt(Instant.parse("2025-03-04T11:00:00Z"))
        .setCreatedAt(Instant.parse("2025-03-04T11:00:01Z"))
        .build();
  }

  static Reminder withStatus(Reminder r, ReminderStatus status) {
    return Reminder.newBuilder(r).setStatus(status).build();
  }
}
