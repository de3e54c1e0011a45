package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RecentMeetingsTest {

  @Test
  void theWindowIsTodayAndTheTwentyNineDaysBefore() {
    LocalDate today = LocalDate.of(2025, 3, 11);
    assertThat(RecentMeetings.windowStart(today)).isEqualTo(LocalDate.of(2025, 2, 10));
    assertThat(RecentMeetings.inWindow(LocalDate.of(2025, 2, 10), today)).isTrue();
    assertThat(RecentMeetings.inWindow(LocalDate.of(2025, 2, 9), today)).isFalse();
    assertThat(RecentMeetings.inWindow(today, today)).isTrue();
    assertThat(RecentMeetings.inWindow(today.plusDays(1), today)).isFalse();
  }
}
