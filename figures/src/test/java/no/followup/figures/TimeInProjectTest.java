package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Midt-Buskerud (project reports survey 2022): "Statistikk over brukere som aktivt er en del av
 * prosjektet, inkludert hvor lenge de har vært i prosjektet."
 */
class TimeInProjectTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  @Test
  void fromEnrolmentToExitOrToTheReportingDate() {
    Instant enrolled = Instant.parse("2021-03-01T08:00:00Z");
    Instant exited = Instant.parse("2021-06-01T10:00:00Z");
    Instant reportingDate = Instant.parse("2021-12-31T22:59:00Z"); // 23:59 in Oslo
    assertThat(TimeInProject.days(enrolled, exited, reportingDate, OSLO)).isEqualTo(92);
    assertThat(TimeInProject.days(enrolled, null, reportingDate, OSLO)).isEqualTo(305);
    assertThat(TimeInProject.days(enrolled, exited, Instant.parse("2021-04-01T10:00:00Z"), OSLO))
        .as("an exit after the reporting date is not known at it").isEqualTo(31);
  }

  @Test
  void datesAreLocalDatesInTheReportingZone() {
    // 23:30 UTC on 31 Jan is 1 Feb in Oslo
    assertThat(TimeInProject.days(Instant.parse("2021-01-31T23:30:00Z"), null, Instant.parse("2021-02-02T12:00:00Z"), OSLO))
        .isEqualTo(1);
  }

  @Test
  void nobodyEnrolledByTheDateHasNoTime() {
    assertThat(TimeInProject.days(Instant.parse("2022-01-05T08:00:00Z"), null, Instant.parse("2021-12-31T12:00:00Z"), OSLO))
        .isNull();
    assertThat(TimeInProject.days(null, null, Instant.parse("2021-12-31T12:00:00Z"), OSLO)).isNull();
  }

  @Test
  void medianAndQuartilesInterpolateBetweenRanks() {
    TimeInProject.Distribution d = TimeInProject.distribution(List.of(300L, 10L, 100L, 40L, 200L));
    assertThat(d.count()).isEqualTo(5);
    assertThat(d.lowerQuartile()).isEqualTo(40.0);
    assertThat(d.median()).isEqualTo(100.0);
    assertThat(d.upperQuartile()).isEqualTo(200.0);
    TimeInProject.Distribution even = TimeInProject.distribution(List.of(10L, 20L, 30L, 40L));
    assertThat(even.median()).isEqualTo(25.0);
    assertThat(even.lowerQuartile()).isEqualTo(17.5);
    assertThat(even.upperQuartile()).isEqualTo(32.5);
    assertThat(TimeInProject.distribution(List.of()).median()).isNull();
  }
}
