package no.followup.status.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationKind;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.ParticipantExited;
import no.followup.events.TargetGroup;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Test;

/**
 * A tally and an office's participants as of a date, from the events ("Tall pr 31.12.21", Gjøvik): the
 * same for every later event that occurred after the date, changed only by one that occurred by then and
 * was recorded later, and then counted.
 */
class AsOfTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  /** Day 60 after TestEvents.BASE (8 Jan 2024) is 8 March 2024. */
  private static final LocalDate DATE = LocalDate.ofInstant(TestEvents.day(60), OSLO);

  private final TestEvents first = new TestEvents("p-1", "3421", "optimist");
  private final TestEvents second = new TestEvents("p-2", "3421", "optimist");
  private final TestEvents elsewhere = new TestEvents("p-3", "3407", "optimist");

  private List<FollowUpEvent> history() {
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(first.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30));
    events.add(first.at(50, new JobStarted(JobKind.ORDINARY, 30)));
    events.add(second.enrolled(10, "s-c1", TargetGroup.IMMIGRANTS));
    events.add(elsewhere.enrolled(5, "s-c2", TargetGroup.IMMIGRANTS));
    return events;
  }

  private static List<AsOf.Folded> folded(List<FollowUpEvent> events, LocalDate date) {
    Map<String, List<FollowUpEvent>> byParticipant = new LinkedHashMap<>();
    events.forEach(e -> byParticipant.computeIfAbsent(e.getParticipantId(), k -> new ArrayList<>()).add(e));
    Instant end = AsOf.endOf(date, OSLO);
    return byParticipant.entrySet().stream().map(p -> AsOf.fold(p.getKey(), p.getValue(), end)).filter(Objects::nonNull)
        .toList();
  }

  private static Tally tally(String key, List<AsOf.Folded> folded) {
    List<ParticipantStatus> counted = folded.stream().map(AsOf.Folded::status)
        .filter(s -> AsOf.countsIn(key, s, OSLO)).toList();
    return TallyViews.build(key, AsOf.counters(key, counted, DATE, OSLO), null, AsOf.lastInstantOf(DATE, OSLO), OSLO);
  }

  @Test
  void aDatesTallyIsTheSameWhateverHappensAfterIt() {
    Tally before = tally("office:3421", folded(history(), DATE));
    assertThat(before.getParticipants()).isEqualTo(2);
    assertThat(before.getBySituation()).containsEntry("JOB_OR_APPRENTICESHIP", 1L).containsEntry("NO_REGULAR_ACTIVITY", 1L);

    List<FollowUpEvent> later = history();
    later.add(first.at(90, new ParticipantExited(ExitReason.ORDINARY_WORK)));
    later.add(second.at(61, new EducationStarted(EducationKind.VOCATIONAL)));
    later.add(second.at(70, new CoordinatorAssigned("s-c9")));
    List<AsOf.Folded> afterwards = folded(later, DATE);

    assertThat(tally("office:3421", afterwards)).isEqualTo(before);
    assertThat(tally("coordinator:s-c1", afterwards).getParticipants()).as("s-c1 still followed both on the date")
        .isEqualTo(2);
    assertThat(afterwards).extracting(AsOf.Folded::recordedAfterTheDate).containsOnly(0L);
  }

  @Test
  void anEventThatOccurredByTheDateButWasRecordedLaterCountsAndIsCounted() {
    List<FollowUpEvent> events = history();
    events.add(second.at(40, 100, new EducationStarted(EducationKind.VOCATIONAL)));

    List<AsOf.Folded> folded = folded(events, DATE);

    assertThat(tally("office:3421", folded).getBySituation()).containsEntry("EDUCATION", 1L);
    assertThat(folded.stream().mapToLong(AsOf.Folded::recordedAfterTheDate).sum()).isEqualTo(1);
    assertThat(folded).filteredOn(f -> f.status().getOfficeId().equals("3421")).extracting(f -> f.status().getParticipantId())
        .containsExactlyInAnyOrder("p-1", "p-2");
    assertThat(folded(events, LocalDate.ofInstant(TestEvents.day(7), OSLO))).extracting(f -> f.status().getParticipantId())
        .as("on day 7 only two were known").containsExactlyInAnyOrder("p-1", "p-3");
  }

  @Test
  void aDateBeforeAnyFollowUpOrAfterTodayIsRefusedNamingTheParameter() {
    LocalDate today = LocalDate.of(2026, 12, 1);
    assertThat(AsOf.checked("asOf", LocalDate.of(2021, 12, 31), today)).isEqualTo(LocalDate.of(2021, 12, 31));
    assertThat(AsOf.checked("asOf", today, today)).isEqualTo(today);
    assertThatThrownBy(() -> AsOf.checked("asOf", LocalDate.of(1999, 12, 31), today))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'asOf'").hasMessageContaining("2000-01-01");
    assertThatThrownBy(() -> AsOf.checked("from", today.plusDays(1), today)).hasMessageContaining("'from'");
  }
}
