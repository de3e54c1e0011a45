package no.followup.common.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeetingLifecycleTest {

  private static final Instant MONDAY = Instant.parse("2025-03-03T09:00:00Z");
  private static final Instant TUESDAY = Instant.parse("2025-03-04T09:00:00Z");

  @Test
  void aCancellationEndsAMeetingUnlessAttendedOrRescheduledAfterIt() {
    assertThat(MeetingLifecycle.cancels(TUESDAY, MONDAY, false)).isTrue();
    assertThat(MeetingLifecycle.cancels(TUESDAY, null, false)).isTrue();
    assertThat(MeetingLifecycle.cancels(TUESDAY, MONDAY, true)).as("attended stays attended").isFalse();
    assertThat(MeetingLifecycle.cancels(MONDAY, TUESDAY, false)).as("a late cancellation of an older appointment").isFalse();
  }

  @Test
  void schedulingAfterACancellationRevivesTheMeetingAndBeforeItDoesNot() {
    assertThat(MeetingLifecycle.revives(MONDAY, TUESDAY)).isTrue();
    assertThat(MeetingLifecycle.revives(TUESDAY, MONDAY)).isFalse();
    assertThat(MeetingLifecycle.revives(null, MONDAY)).isTrue();
  }
}
