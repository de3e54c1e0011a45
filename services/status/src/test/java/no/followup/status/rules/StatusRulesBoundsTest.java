package no.followup.status.rules;

import static no.followup.status.TestEvents.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import no.followup.common.rules.IdShapes;
import no.followup.events.CancelledBy;
import no.followup.events.CohortDefined;
import no.followup.events.FollowUpEvent;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingScheduled;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.StatusFold;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Test;

/** The caps that keep a participant's fold state, and so their status, bounded whatever the history. */
class StatusRulesBoundsTest {

  private final TestEvents e = new TestEvents("p-0b1", "3421", "optimist");
  private final List<FollowUpEvent> events = new ArrayList<>(List.of(e.enrolled(0, "s-c1", TargetGroup.OTHER)));

  private ParticipantStatus fold() {
    return StatusRules.fold("p-0b1", events);
  }

  @Test
  void applyingEventsOneByOneIsFoldingThemAll() {
    for (int i = 1; i <= 30; i++) {
      events.add(e.at(i, i % 3 == 0 ? new MeetingMissed("m" + i) : new MeetingAttended("m" + (i - 1))));
    }
    StatusFold fold = StatusRules.newFold();
    for (FollowUpEvent event : events) {
      StatusRules.apply(fold, event);
    }
    assertThat(TestEvents.content(StatusRules.status("p-0b1", fold))).isEqualTo(TestEvents.content(fold()));
    assertThat(fold.getIndex()).isEqualTo(31);
  }

  @Test
  void aYearOfMeetingsBookedAtOnceKeepsTheNextOnesListedAndCountsEachOnce() {
    int max = StatusRules.MAX_LISTED_MEETINGS;
    for (int i = 0; i <= max; i++) { // weekly, one more than the list holds
      events.add(e.at(1 + i * 0.001, new MeetingScheduled("m" + i, day(100 + 7 * i), MeetingKind.OFFICE)));
    }
    ParticipantStatus s = fold();
    assertThat(s.getMeetings()).hasSize(max);
    // the furthest ahead when the list overflowed leaves it, not next week's
    assertThat(s.getMeetings()).extracting(MeetingSummary::getMeetingId)
        .startsWith("m0", "m1").contains("m" + max).doesNotContain("m" + (max - 1));
    assertThat(s.getMeetingsScheduled()).isEqualTo(max + 1);

    for (int i = 0; i < 10; i++) {
      events.add(e.at(100 + 7 * i, new MeetingAttended("m" + i)));
    }
    s = fold();
    assertThat(s.getMeetingsAttended()).isEqualTo(10);
    assertThat(s.getMeetingsScheduled()).as("each meeting counted once").isEqualTo(max + 1);
  }

  @Test
  void settledMeetingsLeaveTheListBeforeUpcomingOnesLeastRecentlyActiveFirst() {
    int max = StatusRules.MAX_LISTED_MEETINGS;
    for (int i = 0; i < max - 2; i++) { // booked first: less recently active than the two settled below
      events.add(e.at(1 + i * 0.001, new MeetingScheduled("m" + i, day(100 + i), MeetingKind.OFFICE)));
    }
    events.add(e.at(5, new MeetingMissed("old-1")));
    events.add(e.at(6, new MeetingAttended("old-2")));
    assertThat(fold().getMeetings()).hasSize(max);
    events.add(e.at(7, new MeetingScheduled("new", day(300), MeetingKind.OFFICE)));

    ParticipantStatus s = fold();
    assertThat(s.getMeetings()).extracting(MeetingSummary::getMeetingId).doesNotContain("old-1").contains("old-2", "new", "m0");
    assertThat(s.getMeetingsMissed()).isEqualTo(1);
  }

  @Test
  void meetingsThatLeftTheListStayCountedInTheTotals() {
    int total = StatusRules.MAX_LISTED_MEETINGS + 10;
    for (int i = 0; i < total; i++) {
      double at = 1 + i;
      events.add(e.at(at, new MeetingScheduled("m" + i, day(at + 1), MeetingKind.OFFICE)));
      switch (i % 4) {
        case 0 -> events.add(e.at(at + 0.5, new MeetingAttended("m" + i)));
        case 1 -> events.add(e.at(at + 0.5, new MeetingMissed("m" + i)));
        case 2 -> events.add(e.at(at + 0.5, new MeetingCancelled("m" + i, CancelledBy.STAFF)));
        default -> { } // still scheduled
      }
    }
    ParticipantStatus s = fold();
    assertThat(s.getMeetings()).hasSize(StatusRules.MAX_LISTED_MEETINGS);
    assertThat(s.getMeetingsAttended()).isEqualTo(total / 4);
    assertThat(s.getMeetingsMissed()).isEqualTo(total / 4);
    assertThat(s.getMeetingsCancelled()).isEqualTo(total / 4);
    assertThat(s.getMeetingsScheduled()).isEqualTo(total - total / 4);
    assertThat(s.getAttendanceRate()).isEqualTo(0.5);
  }

  @Test
  void aRetiredMeetingMentionedAgainStartsAfresh() {
    for (int i = 0; i <= StatusRules.MAX_LISTED_MEETINGS; i++) {
      events.add(e.at(1 + i, new MeetingMissed("m" + i)));
    }
    assertThat(fold().getMeetings()).extracting(MeetingSummary::getMeetingId).doesNotContain("m0");
    events.add(e.at(100, new MeetingAttended("m0")));
    ParticipantStatus s = fold();
    assertThat(s.getMeetings().get(s.getMeetings().size() - 1).getMeetingId()).isEqualTo("m0");
    assertThat(s.getMeetingsMissed()).isEqualTo(StatusRules.MAX_LISTED_MEETINGS + 1);
    assertThat(s.getMeetingsAttended()).isEqualTo(1);
    assertThat(s.getConsecutiveMisses()).isZero();
  }

  @Test
  void specialistAssignmentsKeepTheOpenOnesAndTheLatestEnded() {
    events.add(e.at(1, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-open")));
    for (int i = 0; i < StatusRules.MAX_LISTED_ASSIGNMENTS + 5; i++) {
      events.add(e.at(2 + i, new ServiceStarted(SupportService.HEALTH_SUPPORT, "s-h" + i)));
      events.add(e.at(2.5 + i, new ServiceEnded(SupportService.HEALTH_SUPPORT, "s-h" + i)));
    }
    ParticipantStatus s = fold();
    assertThat(s.getSpecialists()).hasSize(StatusRules.MAX_LISTED_ASSIGNMENTS);
    assertThat(s.getSpecialists().get(0).getSpecialistId()).isEqualTo("s-open");
    assertThat(s.getSpecialists().get(s.getSpecialists().size() - 1).getSpecialistId())
        .isEqualTo("s-h" + (StatusRules.MAX_LISTED_ASSIGNMENTS + 4));
    assertThat(s.getServicesReceived()).isEqualTo(ServicesReceived.BOTH);
  }

  @Test
  void mappingsKeepTheLatestAndThePhaseStillSeesTheFirst() {
    for (int i = 0; i < StatusRules.MAX_LISTED_MAPPINGS + 3; i++) {
      events.add(e.at(1 + i, new MappingCompleted(MappingInstrument.INFLOW24)));
    }
    events.add(e.at(1.5, new MeetingAttended("m1"))); // after the first mapping: follow-up
    ParticipantStatus s = fold();
    assertThat(s.getMappings()).hasSize(StatusRules.MAX_LISTED_MAPPINGS);
    assertThat(s.getMappings().get(0).getCompletedAt()).isEqualTo(day(4));
    assertThat(s.getPhase()).isEqualTo(Phase.FOLLOW_UP);
  }

  @Test
  void openStartsOfAMeasureAreRememberedUpToTheCap() {
    int starts = StatusRules.MAX_OPEN_STARTS_PER_MEASURE + 5;
    for (int i = 0; i < starts; i++) {
      events.add(e.at(1 + i, new MeasureStarted(Measure.AFT)));
    }
    for (int i = 0; i < StatusRules.MAX_OPEN_STARTS_PER_MEASURE - 1; i++) {
      events.add(e.at(100 + i, new MeasureEnded(Measure.AFT)));
    }
    assertThat(fold().getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
    events.add(e.at(200, new MeasureEnded(Measure.AFT)));
    assertThat(fold().getSituation()).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
  }

  @Test
  void anIdLongerThanTheIntakeAcceptsIsRejectedWithoutItsValue() {
    String longId = "m".repeat(IdShapes.MAX_ID_LENGTH + 1);
    FollowUpEvent longMeeting = e.at(1, new MeetingAttended(longId));
    assertThatThrownBy(() -> StatusRules.validate(longMeeting)).isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("payload.meetingId").hasMessageNotContaining(longId);
    FollowUpEvent longParticipant = FollowUpEvent.newBuilder(e.at(1, new MeetingAttended("m1")))
        .setParticipantId("p".repeat(IdShapes.MAX_ID_LENGTH + 1)).build();
    assertThatThrownBy(() -> StatusRules.validate(longParticipant)).isInstanceOf(InvalidEventException.class);
    StatusRules.validate(e.at(1, new MeetingAttended("m".repeat(IdShapes.MAX_ID_LENGTH))));
  }

  @Test
  void idsAreHeldToTheIntakesShapesAndAProjectNameToItsOwnLength() {
    String identityNumber = "01019912345";
    FollowUpEvent keyedByIdentityNumber = FollowUpEvent.newBuilder(e.at(1, new MeetingAttended("m1")))
        .setParticipantId(identityNumber).build();
    assertThatThrownBy(() -> StatusRules.validate(keyedByIdentityNumber)).isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("participantId is not").hasMessageNotContaining(identityNumber);
    assertThatThrownBy(() -> StatusRules.validate(e.at(1, new MeetingAttended("m1\nINFO forged"))))
        .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("payload.meetingId is not");
    FollowUpEvent otherOffice = FollowUpEvent.newBuilder(e.at(1, new MeetingAttended("m1"))).setOfficeId("Trysil").build();
    assertThatThrownBy(() -> StatusRules.validate(otherOffice)).hasMessageStartingWith("officeId is not");

    // the intake accepts a project name of up to 80 characters: longer than an id, and still a cohort
    String longName = "Tett oppfølging av unge utenfor arbeid og utdanning, NAV Gjøvik og Vestre Toten";
    assertThat(longName).hasSizeBetween(IdShapes.MAX_ID_LENGTH + 1, 80);
    StatusRules.validate(e.at(1, CohortDefined.newBuilder().setName(longName).setOffices(List.of("3421"))
        .setTargetGroups(List.of(TargetGroup.OTHER)).setPeriodStart(java.time.LocalDate.parse("2025-01-01"))
        .setPeriodEnd(java.time.LocalDate.parse("2026-12-31")).setWorkOrEducationGoal(0.6)
        .setReportingDates(List.of()).build()));
  }
}
