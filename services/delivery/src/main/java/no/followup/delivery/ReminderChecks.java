package no.followup.delivery;

import no.followup.common.rules.IdShapes;
import no.followup.reminders.Reminder;
import org.apache.avro.Schema;

/** What a reminder must be before delivery reads anything from it: its ids of the data's shapes. */
final class ReminderChecks {

  private ReminderChecks() {}

  /**
   * Rejects a reminder with a text field that is not an id of the data's shapes ({@link IdShapes}).
   * The reminders service writes only such ids, but the topic may be written by anything with
   * access, and delivery logs the participantId, keeps it in the erasure markers, looks it up in
   * and removes its line from the contact directory, and copies every id into tasks and receipts:
   * an identity number or a name there is personal data in logs and files, and an id of a megabyte
   * makes a task too large to write. The officeId may be blank, as reminders leaves it for a
   * participant whose office is not known. A text field not named here is an id, the strictest
   * shape, so a field added to the schema later is bounded too.
   *
   * @throws InvalidReminderException naming the field, never its value
   */
  static void validate(Reminder reminder) {
    for (Schema.Field field : reminder.getSchema().getFields()) {
      if (reminder.get(field.pos()) instanceof CharSequence text) {
        if (field.name().equals("officeId")) {
          if (!text.toString().isBlank() && !IdShapes.isNavUnitNumber(text)) {
            throw new InvalidReminderException("officeId is not " + IdShapes.NAV_UNIT_NUMBER_DESCRIPTION);
          }
        } else if (!IdShapes.isPseudonymousId(text)) {
          throw new InvalidReminderException(field.name() + " is not " + IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
        }
      }
    }
  }
}
