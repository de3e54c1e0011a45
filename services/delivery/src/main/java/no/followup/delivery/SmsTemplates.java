package no.followup.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;

/**
 * SMS texts for participant reminders, in bokmål or nynorsk. A text says only what the participant
 * needs: that there is an appointment, when (Europe/Oslo time) and the kind of place. No name, no
 * health detail, no name of a service. Every text is at most {@value #MAX_LENGTH} characters of the
 * GSM 7-bit alphabet (æ, ø and å are in it), i.e. one SMS.
 *
 * <p>Weekday and month names are spelled out here rather than taken from the JDK's locale data, so
 * the text does not change with the runtime's CLDR version.
 */
public final class SmsTemplates {

  public static final int MAX_LENGTH = 160;

  private static final String[] WEEKDAYS_NB = {"mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"};
  private static final String[] WEEKDAYS_NN = {"måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"};
  private static final String[] MONTHS = {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
      "september", "oktober", "november", "desember"};
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  private final ZoneId zone;

  public SmsTemplates(ZoneId zone) {
    this.zone = zone;
  }

  /** The text for a participant reminder (MEETING_REMINDER or MEETING_REMINDER_SAME_MORNING). */
  public String render(Reminder reminder, Language language) {
    Instant startsAt = reminder.getMeetingStartsAt();
    if (startsAt == null) {
      throw new IllegalArgumentException("a participant reminder needs the meeting's start time");
    }
    ZonedDateTime local = startsAt.atZone(zone);
    String time = CLOCK.format(local);
    String place = place(reminder.getMeetingKind(), language);
    boolean sameDay = reminder.getKind() == ReminderKind.MEETING_REMINDER_SAME_MORNING;
    String text;
    if (language == Language.NYNORSK) {
      text = sameDay
          ? "Hei! Hugs avtalen din i dag kl. " + time + " (" + place + "). Kan du ikkje kome? Gi beskjed til koordinatoren din. Helsing NAV"
          : "Hei! Påminning om avtalen din " + day(local, WEEKDAYS_NN) + " kl. " + time + " (" + place
              + "). Kan du ikkje kome? Gi beskjed til koordinatoren din. Helsing NAV";
    } else {
      text = sameDay
          ? "Hei! Husk avtalen din i dag kl. " + time + " (" + place + "). Kan du ikke komme? Gi beskjed til koordinatoren din. Hilsen NAV"
          : "Hei! Påminnelse om avtalen din " + day(local, WEEKDAYS_NB) + " kl. " + time + " (" + place
              + "). Kan du ikke komme? Gi beskjed til koordinatoren din. Hilsen NAV";
    }
    if (text.length() > MAX_LENGTH || !Gsm7.isBasic(text)) {
      // cannot happen with these templates (unit-tested for every kind, place and month); guard anyway
      throw new IllegalStateException("SMS text would not fit one GSM-7 message");
    }
    return text;
  }

  private static String day(ZonedDateTime local, String[] weekdays) {
    return weekdays[local.getDayOfWeek().getValue() - 1] + " " + local.getDayOfMonth() + ". " + MONTHS[local.getMonthValue() - 1];
  }

  static String place(MeetingPlaceKind kind, Language language) {
    boolean nn = language == Language.NYNORSK;
    if (kind == null) {
      return nn ? "avtalt stad" : "avtalt sted";
    }
    return switch (kind) {
      case OFFICE -> "på NAV-kontoret";
      case HOME_VISIT -> nn ? "heimebesøk" : "hjemmebesøk";
      case WALK_AND_TALK -> "gåtur";
      case PHONE_OR_VIDEO -> "telefon eller video";
      case ACCOMPANIED_VISIT -> nn ? "vi følgjer deg" : "vi følger deg";
      case GROUP -> "gruppemøte";
      case OTHER -> nn ? "avtalt stad" : "avtalt sted";
    };
  }
}
