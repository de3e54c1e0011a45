package no.followup.delivery;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import no.followup.reminders.TaskKind;

/** What a coordinator task says: its kind and its one line on the dashboard. */
final class TaskTexts {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM. 'kl.' HH:mm");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MM.yyyy");

  private final ZoneId zone;

  TaskTexts(ZoneId zone) {
    this.zone = zone;
  }

  /** The task kind of a staff reminder's kind. */
  static TaskKind kind(ReminderKind kind) {
    return switch (kind) {
      case ATTENDANCE_NOT_RECORDED -> TaskKind.ATTENDANCE_NOT_RECORDED;
      case REACH_OUT_AFTER_MISS -> TaskKind.REACH_OUT_AFTER_MISS;
      case OFFER_HOME_VISIT -> TaskKind.OFFER_HOME_VISIT;
      case INACTIVITY -> TaskKind.INACTIVITY;
      case MONTHLY_REVIEW -> TaskKind.MONTHLY_REVIEW;
      default -> TaskKind.OTHER;
    };
  }

  /** A dashboard line in bokmål: what to do, and for which meeting. No names, no health data. */
  String summary(Reminder r) {
    String meeting = r.getMeetingStartsAt() == null ? "" : " " + WHEN.format(ZonedDateTime.ofInstant(r.getMeetingStartsAt(), zone));
    return switch (r.getKind()) {
      case ATTENDANCE_NOT_RECORDED -> "Oppmøte ikke registrert for avtalen" + meeting
          + ". Ring deltakeren, eller registrer møtt/ikke møtt.";
      case REACH_OUT_AFTER_MISS -> "Deltakeren møtte ikke til avtalen" + meeting + ". Ta kontakt.";
      case OFFER_HOME_VISIT -> "Flere avtaler på rad uten oppmøte. Tilby hjemmebesøk.";
      case INACTIVITY -> "Ingen registrert kontakt med deltakeren på lenge. Ta kontakt.";
      case MONTHLY_REVIEW -> "Månedlig gjennomgang av deltakeren (" + MONTH.format(ZonedDateTime.ofInstant(r.getDueAt(), zone)) + ").";
      default -> "Oppfølging av deltakeren.";
    };
  }
}
