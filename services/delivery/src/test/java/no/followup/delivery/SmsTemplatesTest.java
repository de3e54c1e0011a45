package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.Reminder;
import no.followup.reminders.ReminderKind;
import org.junit.jupiter.api.Test;

class SmsTemplatesTest {

  static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  final SmsTemplates templates = new SmsTemplates(OSLO);

  /** Words that would reveal health data or which service someone gets. */
  static final List<String> FORBIDDEN = List.of("psyk", "helse", "rus", "lege", "diagnos", "behandling", "terapi", "sykdom",
      "sosialhjelp", "ips", "aap", "uføre", "kvp", "coop", "wonca", "smerte");

  /** Every kind, place and language, on a day of every month and every weekday, at an early and a late hour. */
  List<String> allTexts() {
    List<String> texts = new ArrayList<>();
    LocalDate day = LocalDate.of(2025, 1, 1);
    for (int i = 0; i < 366; i += 1) {
      LocalDate d = day.plusDays(i);
      for (LocalTime t : List.of(LocalTime.of(7, 5), LocalTime.of(23, 59))) {
        for (ReminderKind kind : List.of(ReminderKind.MEETING_REMINDER, ReminderKind.MEETING_REMINDER_SAME_MORNING)) {
          for (MeetingPlaceKind place : placesAndNull()) {
            for (Language language : Language.values()) {
              Reminder r = Reminder.newBuilder(Reminders.participant("p-12345678901", ZonedDateTime.of(d, t, OSLO).toInstant(), place))
                  .setKind(kind).build();
              texts.add(templates.render(r, language));
            }
          }
        }
      }
    }
    return texts;
  }

  static List<MeetingPlaceKind> placesAndNull() {
    List<MeetingPlaceKind> places = new ArrayList<>(List.of(MeetingPlaceKind.values()));
    places.add(null);
    return places;
  }

  @Test
  void everyTextFitsOneGsm7Sms() {
    assertThat(allTexts()).allSatisfy(text -> {
      assertThat(text.length()).as(text).isLessThanOrEqualTo(160);
      assertThat(Gsm7.isBasic(text)).as(text).isTrue();
    });
  }

  @Test
  void textsHoldNoHealthWordsNoServiceNamesAndNoIds() {
    assertThat(allTexts()).allSatisfy(text -> {
      String lower = text.toLowerCase(Locale.ROOT);
      for (String word : FORBIDDEN) {
        assertThat(lower).as(text).doesNotContainPattern("\\b" + word);
      }
      assertThat(text).doesNotContain("p-12345678901").doesNotContain("s-12").doesNotContain("m-1");
    });
  }

  @Test
  void bokmalTextGivesDayTimeInOsloAndPlace() {
    Reminder r = Reminders.participant("p-1", ZonedDateTime.of(2025, 3, 6, 10, 0, 0, 0, OSLO).toInstant(), MeetingPlaceKind.HOME_VISIT);
    assertThat(templates.render(r, Language.BOKMAL)).isEqualTo(
        "Hei! Påminnelse om avtalen din torsdag 6. mars kl. 10:00 (hjemmebesøk). Kan du ikke komme? "
            + "Gi beskjed til koordinatoren din. Hilsen NAV");
  }

  @Test
  void nynorskTextAndSummerTime() {
    Reminder r = Reminders.participant("p-1", ZonedDateTime.of(2025, 7, 1, 9, 30, 0, 0, OSLO).toInstant(), MeetingPlaceKind.OFFICE);
    assertThat(templates.render(r, Language.NYNORSK)).isEqualTo(
        "Hei! Påminning om avtalen din tysdag 1. juli kl. 09:30 (på NAV-kontoret). Kan du ikkje kome? "
            + "Gi beskjed til koordinatoren din. Helsing NAV");
    Reminder morning = Reminder.newBuilder(r).setKind(ReminderKind.MEETING_REMINDER_SAME_MORNING).build();
    assertThat(templates.render(morning, Language.NYNORSK)).startsWith("Hei! Hugs avtalen din i dag kl. 09:30 (på NAV-kontoret).");
    assertThat(templates.render(morning, Language.BOKMAL)).startsWith("Hei! Husk avtalen din i dag kl. 09:30 (på NAV-kontoret).");
  }

  @Test
  void gsm7RejectsCharactersOutsideTheBasicTable() {
    assertThat(Gsm7.isBasic("Hei! Æ Ø Å æ ø å")).isTrue();
    assertThat(Gsm7.isBasic("Hei 👋")).isFalse();
    assertThat(Gsm7.isBasic("€")).isFalse(); // an extension character: two septets, not allowed in templates
  }
}
