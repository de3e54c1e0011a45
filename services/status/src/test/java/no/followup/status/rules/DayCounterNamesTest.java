package no.followup.status.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DayCounterNamesTest {

  @Test
  void theNamesCarryTheLocalDateOfTheOutcomeInTheZone() {
    ZoneId oslo = ZoneId.of("Europe/Oslo");
    // 23:30 UTC on the night summer time ends is 01:30 the next day in Oslo (UTC+2 that night)
    DayCounterNames names = DayCounterNames.of(Instant.parse("2026-10-24T23:30:00Z"), oslo);

    assertThat(names.attended()).isEqualTo("day.attended.2026-10-25");
    assertThat(names.missed()).isEqualTo("day.missed.2026-10-25");
    assertThat(DayCounterNames.of(Instant.parse("2026-10-24T23:30:00Z"), ZoneId.of("UTC")).attended())
        .isEqualTo("day.attended.2026-10-24");
  }

  @Test
  void theDateIsLocalDatesForAnyInstantAndZoneAlsoPastTheBound() {
    Random random = new Random(4242);
    // zones with daylight saving, quarter-hour offsets and, long ago, offsets with seconds
    List<ZoneId> zones = List.of(ZoneId.of("Europe/Oslo"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("Europe/Amsterdam"),
        ZoneId.of("America/St_Johns"), ZoneId.of("Pacific/Chatham"), ZoneId.of("UTC"));
    long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 3 * DayCounterNames.MAX_DATES; i++) {
      Instant at = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));
      ZoneId zone = zones.get(random.nextInt(zones.size()));
      assertThat(DayCounterNames.of(at, zone).attended()).as("%s in %s", at, zone)
          .isEqualTo(TallyContributions.DAY_ATTENDED + LocalDate.ofInstant(at, zone));
    }
  }
}
