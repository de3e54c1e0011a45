package no.followup.reminders;

import static no.followup.reminders.TopologyHarness.oslo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.followup.events.CancelledBy;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.TargetGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The timeout leaves room for month-long walks of the wall clock on a busy machine. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RemindersTopologyTest {

  /** Monday 3 March 2025, 10:00 in Oslo (CET, before the switch to summer time on 30 March). */
  static final Instant T0 = oslo("2025-03-03T10:00");
  static final String P1 = "p-001";

  @TempDir Path stateDir;
  TopologyHarness h;

  TopologyHarness start(ReminderRules rules, Instant at) {
    h = new TopologyHarness(rules, at, stateDir);
    return h;
  }

  TopologyHarness start() {
    return start(ReminderRules.defaults(), T0);
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  static List<Reminder> of(List<Reminder> reminders, ReminderKind kind) {
    return reminders.stream().filter(r -> r.getKind() == kind).toList();
  }

  static List<Reminder> of(List<Reminder> reminders, ReminderKind kind, ReminderStatus status) {
    return reminders.stream().filter(r -> r.getKind() == kind && r.getStatus() == status).toList();
  }

  @Nested
  class BeforeAMeeting {

    @Test
    void remindsTheParticipantLeadTimeAheadExactlyOnce() {
      start();
      h.enrol(P1);
      Instant meeting = oslo("2025-03-06T10:00");
      h.schedule(P1, "m1", meeting);

      h.advanceTo(oslo("2025-03-05T09:59:59"));
      assertThat(of(h.drain(), ReminderKind.MEETING_REMINDER)).isEmpty();

      h.advanceTo(oslo("2025-03-05T10:00:01"));
      List<Reminder> out = h.drain();
      assertThat(out).hasSize(1);
      Reminder r = out.get(0);
      assertThat(r.getKind()).isEqualTo(ReminderKind.MEETING_REMINDER);
      assertThat(r.getStatus()).isEqualTo(ReminderStatus.DUE);
      assertThat(r.getAudience()).isEqualTo(Audience.PARTICIPANT);
      assertThat(r.getDueAt()).isEqualTo(oslo("2025-03-05T10:00"));
      assertThat(r.getMeetingStartsAt()).isEqualTo(meeting);
      assertThat(r.getMeetingKind()).isEqualTo(MeetingPlaceKind.OFFICE);
      assertThat(r.getMeetingId()).isEqualTo("m1");
      assertThat(r.getOfficeId()).isEqualTo(TopologyHarness.OFFICE);
      assertThat(r.getCoordinatorId()).isEqualTo(TopologyHarness.COORDINATOR);
      assertThat(r.getReminderId().toString())
          .isEqualTo(ReminderIds.of(P1, "m1", ReminderKind.MEETING_REMINDER, 0, oslo("2025-03-05T10:00").toEpochMilli()));

      h.advanceTo(oslo("2025-03-06T09:59"));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void aRescheduledMeetingGetsItsReminderAtTheNewTimeOnly() {
      start();
      h.schedule(P1, "m1", oslo("2025-03-06T10:00"));
      h.advance(Duration.ofHours(1));
      h.reschedule(P1, "m1", oslo("2025-03-08T11:00"));

      h.advanceTo(oslo("2025-03-06T13:00")); // past the old reminder and the old attendance check
      assertThat(h.drain()).isEmpty();

      h.advanceTo(oslo("2025-03-07T11:00:01"));
      List<Reminder> out = h.drain();
      assertThat(out).extracting(Reminder::getKind, Reminder::getStatus, Reminder::getDueAt, Reminder::getMeetingStartsAt)
          .containsExactly(tuple(ReminderKind.MEETING_REMINDER, ReminderStatus.DUE,
              oslo("2025-03-07T11:00"), oslo("2025-03-08T11:00")));
    }

    @Test
    void reschedulingAfterTheReminderWentOutWithdrawsItAndSetsANewOne() {
      start();
      h.schedule(P1, "m1", oslo("2025-03-04T12:00"));
      h.advanceTo(oslo("2025-03-03T12:00:01"));
      Reminder first = h.drain().get(0);
      assertThat(first.getStatus()).isEqualTo(ReminderStatus.DUE);

      h.reschedule(P1, "m1", oslo("2025-03-05T12:00"));
      List<Reminder> withdrawn = h.drain();
      assertThat(withdrawn).singleElement().satisfies(w -> {
        assertThat(w.getStatus()).isEqualTo(ReminderStatus.WITHDRAWN);
        assertThat(w.getReminderId()).isEqualTo(first.getReminderId());
        assertThat(w.getMeetingStartsAt()).isEqualTo(oslo("2025-03-04T12:00")); // describes what was withdrawn
      });

      h.advanceTo(oslo("2025-03-04T12:00:01"));
      List<Reminder> second = h.drain();
      assertThat(second).singleElement().satisfies(r -> {
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.DUE);
        assertThat(r.getReminderId()).isNotEqualTo(first.getReminderId());
        assertThat(r.getMeetingStartsAt()).isEqualTo(oslo("2025-03-05T12:00"));
      });
    }

    @Test
    void cancellingWithdrawsAnEmittedReminderAndStopsEverythingElse() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T12:00"));
      h.schedule(P1, "m2", oslo("2025-03-07T12:00"));
      h.advanceTo(oslo("2025-03-03T12:00:01"));
      Reminder first = h.drain().get(0);

      h.cancel(P1, "m1");
      h.cancel(P1, "m2"); // its reminder was not sent yet: it just never fires
      assertThat(h.drain()).singleElement().satisfies(w -> {
        assertThat(w.getStatus()).isEqualTo(ReminderStatus.WITHDRAWN);
        assertThat(w.getReminderId()).isEqualTo(first.getReminderId());
      });

      h.advanceTo(oslo("2025-03-08T12:00"));
      assertThat(h.drain()).isEmpty();
      h.cancel(P1, "m1"); // twice
      assertThat(h.drain()).isEmpty();
    }

    /** MeetingLifecycle, as the status service applies it: the dashboard's meeting gets its SMS and its check. */
    @Test
    void aMeetingScheduledAgainAfterItsCancellationLivesAndALateOlderCancellationChangesNothing() {
      start();
      h.enrol(P1);
      FollowUpEvent scheduled = h.schedule(P1, "m1", oslo("2025-03-06T10:00"));
      h.advance(Duration.ofHours(1));
      h.cancel(P1, "m1");
      h.advance(Duration.ofHours(1));
      h.reschedule(P1, "m1", oslo("2025-03-07T10:00"));

      h.advanceTo(oslo("2025-03-06T10:00:01"));
      assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getStatus, Reminder::getMeetingStartsAt)
          .containsExactly(tuple(ReminderKind.MEETING_REMINDER, ReminderStatus.DUE, oslo("2025-03-07T10:00")));

      // a cancellation that occurred before the new time was set, recorded only now
      h.send(P1, MeetingCancelled.newBuilder().setMeetingId("m1").setCancelledBy(CancelledBy.STAFF).build(),
          scheduled.getOccurredAt().plus(Duration.ofMinutes(30)));
      h.advanceTo(oslo("2025-03-07T12:00:01"));
      assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getStatus)
          .containsExactly(tuple(ReminderKind.ATTENDANCE_NOT_RECORDED, ReminderStatus.DUE));
    }

    @Test
    void aMeetingAlreadyPastWhenTheEventArrivesGetsNoReminder() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", T0.minus(Duration.ofHours(1)));
      h.advance(Duration.ofMinutes(50));
      assertThat(of(h.drain(), ReminderKind.MEETING_REMINDER)).isEmpty();
      // its attendance check still runs (start + 2 h grace)
      h.advanceTo(T0.plus(Duration.ofHours(1)).plusSeconds(1));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.ATTENDANCE_NOT_RECORDED);
    }

    @Test
    void aMeetingBookedAtShortNoticeIsRemindedRightAway() {
      start();
      h.schedule(P1, "m1", T0.plus(Duration.ofHours(3)));
      h.advance(Duration.ofSeconds(1));
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getKind()).isEqualTo(ReminderKind.MEETING_REMINDER);
        assertThat(r.getDueAt()).isEqualTo(T0);
      });
    }

    @Test
    void sameMorningReminderForEarlyMeetingsWhenEnabled() {
      start(ReminderRules.defaults().withSameMorningReminder(true), T0);
      h.schedule(P1, "early", oslo("2025-03-06T10:00"));
      h.schedule(P1, "late", oslo("2025-03-06T13:00"));
      h.advanceTo(oslo("2025-03-06T09:00"));
      List<Reminder> out = h.drain();
      assertThat(out).extracting(Reminder::getMeetingId, Reminder::getKind, Reminder::getDueAt).containsExactly(
          tuple("early", ReminderKind.MEETING_REMINDER, oslo("2025-03-05T10:00")),
          tuple("late", ReminderKind.MEETING_REMINDER, oslo("2025-03-05T13:00")),
          tuple("early", ReminderKind.MEETING_REMINDER_SAME_MORNING, oslo("2025-03-06T08:00")));
    }

    @Test
    void noSameMorningReminderByDefault() {
      start();
      h.schedule(P1, "early", oslo("2025-03-06T09:00"));
      h.advanceTo(oslo("2025-03-06T08:59"));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.MEETING_REMINDER);
    }
  }

  @Nested
  class AfterAnExit {

    @Test
    void aReEnrolmentBringsRemindersBackWithTheNewCoordinator() {
      start();
      h.enrol(P1);
      h.exit(P1);
      h.advance(Duration.ofMinutes(1));
      h.send(P1, ParticipantEnrolled.newBuilder().setTargetGroups(List.of(TargetGroup.YOUTH_UNDER_30))
          .setCoordinatorId("s-new").setCounsellorId(null).build());
      h.schedule(P1, "m1", oslo("2025-03-06T10:00"));

      h.advanceTo(oslo("2025-03-05T10:00:01"));
      assertThat(of(h.drain(), ReminderKind.MEETING_REMINDER)).singleElement()
          .satisfies(r -> assertThat(r.getCoordinatorId()).isEqualTo("s-new"));
    }

    @Test
    void anEnrolmentThatOccurredBeforeTheExitDoesNotUndoIt() {
      start();
      h.enrol(P1);
      h.exit(P1);
      // the same stay's enrolment, re-sent late under a new eventId: it occurred before the exit
      h.send(P1, ParticipantEnrolled.newBuilder().setTargetGroups(List.of(TargetGroup.YOUTH_UNDER_30))
          .setCoordinatorId("s-other").setCounsellorId(null).build(), T0.minus(Duration.ofDays(30)));
      h.schedule(P1, "m1", oslo("2025-03-06T10:00"));

      h.advanceTo(oslo("2025-03-05T10:00:01"));
      assertThat(of(h.drain(), ReminderKind.MEETING_REMINDER)).isEmpty();
    }
  }

  @Nested
  class QuietHoursRule {

    @Test
    void dueInQuietHoursGoesOutAtTheirEndWhenThatIsStillBeforeTheMeeting() {
      start();
      // 24 h before a 07:30 meeting is 07:30 the day before: quiet; 08:00 that day is before the meeting
      h.schedule(P1, "m1", oslo("2025-03-06T07:30"));
      h.advanceTo(oslo("2025-03-05T07:59:59"));
      assertThat(h.drain()).isEmpty();
      h.advanceTo(oslo("2025-03-05T08:00:01"));
      assertThat(h.drain()).singleElement().satisfies(r -> assertThat(r.getDueAt()).isEqualTo(oslo("2025-03-05T08:00")));
    }

    @Test
    void dueInQuietHoursGoesOutAtTheirStartWhenTheirEndIsTooLate() {
      // lead time 2 h: a 07:00 meeting is due at 05:00, the quiet period ends at 08:00 (after the
      // meeting), so the reminder goes out at 21:00 the evening before
      start(ReminderRules.defaults().withLeadTime(Duration.ofHours(2)), T0);
      h.schedule(P1, "m1", oslo("2025-03-06T07:00"));
      h.advanceTo(oslo("2025-03-05T20:59:59"));
      assertThat(h.drain()).isEmpty();
      h.advanceTo(oslo("2025-03-05T21:00:01"));
      assertThat(h.drain()).singleElement().satisfies(r -> assertThat(r.getDueAt()).isEqualTo(oslo("2025-03-05T21:00")));
    }

    @Test
    void bookedDuringQuietHoursForEarlyNextMorningGivesNoNightlySms() {
      start(ReminderRules.defaults(), oslo("2025-03-03T22:00"));
      h.schedule(P1, "m1", oslo("2025-03-04T07:00"));
      h.advanceTo(oslo("2025-03-04T06:59"));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void bookedDuringQuietHoursForLaterNextDayIsRemindedWhenTheyEnd() {
      start(ReminderRules.defaults(), oslo("2025-03-03T22:00"));
      h.schedule(P1, "m1", oslo("2025-03-04T11:00"));
      h.advanceTo(oslo("2025-03-04T08:00:01"));
      assertThat(h.drain()).singleElement().satisfies(r -> assertThat(r.getDueAt()).isEqualTo(oslo("2025-03-04T08:00")));
    }
  }

  @Nested
  class MissedAppointments {

    @Test
    void noAttendanceRecordedAfterTheGracePeriodGivesTheCoordinatorOneTask() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T11:59:59"));
      assertThat(of(h.drain(), ReminderKind.ATTENDANCE_NOT_RECORDED)).isEmpty();
      h.advanceTo(oslo("2025-03-04T12:00:01"));
      assertThat(h.drain()).singleElement().satisfies(t -> {
        assertThat(t.getKind()).isEqualTo(ReminderKind.ATTENDANCE_NOT_RECORDED);
        assertThat(t.getAudience()).isEqualTo(Audience.COORDINATOR);
        assertThat(t.getCoordinatorId()).isEqualTo(TopologyHarness.COORDINATOR);
        assertThat(t.getDueAt()).isEqualTo(oslo("2025-03-04T12:00"));
      });
      h.advance(Duration.ofDays(1));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void attendanceArrivingAfterTheGracePeriodResolvesTheTaskWithoutASecondOne() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T12:00:01"));
      List<Reminder> tasks = of(h.drain(), ReminderKind.ATTENDANCE_NOT_RECORDED);
      assertThat(tasks).hasSize(1);
      Reminder task = tasks.get(0);

      h.advance(Duration.ofHours(3));
      h.send(P1, MeetingAttended.newBuilder().setMeetingId("m1").build(), oslo("2025-03-04T10:00"));
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.RESOLVED);
        assertThat(r.getReminderId()).isEqualTo(task.getReminderId());
      });
      h.attended(P1, "m1");
      h.advance(Duration.ofDays(1));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void aMissRecordedTwiceGivesOneReachOutTask() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T10:45"));
      h.drain();
      FollowUpEvent first = h.missed(P1, "m1");
      h.missed(P1, "m1"); // recorded again by someone else: another eventId
      h.send(first); // and the first event delivered twice: the same eventId
      h.advanceTo(oslo("2025-03-05T12:00"));
      List<Reminder> out = h.drain();
      assertThat(out).singleElement().satisfies(t -> {
        assertThat(t.getKind()).isEqualTo(ReminderKind.REACH_OUT_AFTER_MISS);
        assertThat(t.getAudience()).isEqualTo(Audience.COORDINATOR);
        assertThat(t.getMeetingId()).isEqualTo("m1");
      });
      assertThat(h.metrics.registry().get(RemindersMetrics.DUPLICATE_EVENTS).counter().count()).isEqualTo(1.0);
    }

    @Test
    void reachingTheParticipantResolvesTheReachOutTask() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T10:45"));
      h.drain();
      h.missed(P1, "m1");
      Reminder task = h.drain().get(0);
      assertThat(task.getKind()).isEqualTo(ReminderKind.REACH_OUT_AFTER_MISS);

      h.advanceTo(oslo("2025-03-04T13:00"));
      h.contact(P1);
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getReminderId()).isEqualTo(task.getReminderId());
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.RESOLVED);
      });
      h.contact(P1); // a second contact has nothing left to resolve
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void missDetectedByTheTimerThenRecordedGivesOneFollowUp() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T12:00:01"));
      assertThat(of(h.drain(), ReminderKind.ATTENDANCE_NOT_RECORDED)).hasSize(1);
      h.missed(P1, "m1");
      h.missed(P1, "m1");
      h.advance(Duration.ofDays(1));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void missRecordedBeforeTheGracePeriodEndsReplacesTheTimer() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T10:30"));
      h.drain();
      h.missed(P1, "m1");
      h.advanceTo(oslo("2025-03-05T10:00"));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.REACH_OUT_AFTER_MISS);
    }

    @Test
    void missArrivingBeforeTheMeetingWasScheduledStillGivesOneTaskAndNoReminder() {
      start();
      Instant start = oslo("2025-03-03T09:00");
      h.send(P1, MeetingMissed.newBuilder().setMeetingId("m1").build(), start.plus(Duration.ofMinutes(30)));
      h.send(P1, MeetingScheduled.newBuilder().setMeetingId("m1").setStartsAt(start)
          .setKind(MeetingKind.HOME_VISIT).build(), start.minus(Duration.ofDays(7)));
      h.advance(Duration.ofDays(1));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.REACH_OUT_AFTER_MISS);
    }

    @Test
    void attendedOnTimeGivesNoTask() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.advanceTo(oslo("2025-03-04T10:30"));
      h.drain();
      h.attended(P1, "m1");
      h.advance(Duration.ofDays(2));
      assertThat(h.drain()).isEmpty();
    }
  }

  @Nested
  class Escalation {

    @Test
    void twoConsecutiveMissesGiveOneHomeVisitTaskResolvedByTheVisit() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-06T10:00"));
      h.advanceTo(oslo("2025-03-04T11:00"));
      h.missed(P1, "m1");
      assertThat(of(h.drain(), ReminderKind.OFFER_HOME_VISIT)).isEmpty();
      h.advanceTo(oslo("2025-03-06T11:00"));
      h.missed(P1, "m2");
      h.missed(P1, "m2");
      List<Reminder> out = h.drain();
      assertThat(of(out, ReminderKind.OFFER_HOME_VISIT)).singleElement().satisfies(t -> {
        assertThat(t.getStatus()).isEqualTo(ReminderStatus.DUE);
        assertThat(t.getAudience()).isEqualTo(Audience.COORDINATOR);
      });
      String offerId = of(out, ReminderKind.OFFER_HOME_VISIT).get(0).getReminderId().toString();

      h.advance(Duration.ofDays(1));
      h.homeVisit(P1);
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getKind()).isEqualTo(ReminderKind.OFFER_HOME_VISIT);
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.RESOLVED);
        assertThat(r.getReminderId().toString()).isEqualTo(offerId);
      });

      // a new streak after the visit gives a new offer
      h.schedule(P1, "m3", oslo("2025-03-10T10:00"));
      h.schedule(P1, "m4", oslo("2025-03-11T10:00"));
      h.advanceTo(oslo("2025-03-11T13:00"));
      List<Reminder> later = h.drain();
      assertThat(of(later, ReminderKind.OFFER_HOME_VISIT, ReminderStatus.DUE)).singleElement()
          .satisfies(r -> assertThat(r.getReminderId().toString()).isNotEqualTo(offerId));
    }

    @Test
    void anAttendedMeetingBreaksTheStreak() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-05T10:00"));
      h.schedule(P1, "m3", oslo("2025-03-06T10:00"));
      h.advanceTo(oslo("2025-03-04T11:00"));
      h.missed(P1, "m1");
      h.advanceTo(oslo("2025-03-05T11:00"));
      h.attended(P1, "m2");
      h.advanceTo(oslo("2025-03-06T11:00"));
      h.missed(P1, "m3");
      h.advance(Duration.ofDays(1));
      assertThat(of(h.drain(), ReminderKind.OFFER_HOME_VISIT)).isEmpty();
    }

    @Test
    void missesPresumedByTheTimerCountAndALateAttendanceTakesThemBack() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-05T10:00"));
      h.advanceTo(oslo("2025-03-05T12:00:01"));
      List<Reminder> out = h.drain();
      assertThat(of(out, ReminderKind.ATTENDANCE_NOT_RECORDED)).hasSize(2);
      assertThat(of(out, ReminderKind.OFFER_HOME_VISIT)).hasSize(1);

      h.send(P1, MeetingAttended.newBuilder().setMeetingId("m2").build(), oslo("2025-03-05T10:00"));
      assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getStatus).containsExactlyInAnyOrder(
          tuple(ReminderKind.ATTENDANCE_NOT_RECORDED, ReminderStatus.RESOLVED),
          tuple(ReminderKind.OFFER_HOME_VISIT, ReminderStatus.RESOLVED));
    }

    @Test
    void noContactForFourteenDaysGivesOneInactivityTaskResolvedByContact() {
      start();
      h.enrol(P1);
      h.advanceTo(T0.plus(Duration.ofDays(14)).minusSeconds(1));
      assertThat(h.drain()).isEmpty();
      h.advance(Duration.ofSeconds(2));
      Reminder task = h.drain().get(0);
      assertThat(task.getKind()).isEqualTo(ReminderKind.INACTIVITY);
      assertThat(task.getAudience()).isEqualTo(Audience.COORDINATOR);
      assertThat(task.getDueAt()).isEqualTo(T0.plus(Duration.ofDays(14)));
      h.advance(Duration.ofDays(10));
      assertThat(h.drain()).isEmpty(); // one task per silence

      h.contact(P1);
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.RESOLVED);
        assertThat(r.getReminderId()).isEqualTo(task.getReminderId());
      });
      h.advance(Duration.ofDays(14).plusSeconds(1));
      assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getStatus)
          .containsExactly(tuple(ReminderKind.INACTIVITY, ReminderStatus.DUE));
    }

    @Test
    void contactPostponesTheInactivityTask() {
      start();
      h.enrol(P1);
      h.advance(Duration.ofDays(10));
      h.contact(P1);
      h.send(P1, ContactMade.newBuilder().setChannel(ContactChannel.PHONE)
          .setReached(false).build()); // an unanswered call is no contact
      h.advanceTo(T0.plus(Duration.ofDays(24)).minusSeconds(1));
      assertThat(h.drain()).isEmpty();
      h.advance(Duration.ofSeconds(2));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.INACTIVITY);
    }

    @Test
    void monthlyReviewForTheTeamLeadWhenEnabled() {
      start(ReminderRules.defaults().withMonthlyReview(true).withInactivityAfter(Duration.ofDays(400)), T0);
      h.enrol(P1);
      h.enrol("p-002");
      h.exit("p-002");
      h.advanceTo(oslo("2025-04-01T08:59"));
      assertThat(h.drain()).isEmpty();
      h.advanceTo(oslo("2025-04-01T09:00:01"));
      Reminder april = h.drain().get(0);
      assertThat(april.getKind()).isEqualTo(ReminderKind.MONTHLY_REVIEW);
      assertThat(april.getAudience()).isEqualTo(Audience.TEAM_LEAD);
      assertThat(april.getParticipantId()).isEqualTo(P1);
      assertThat(april.getDueAt()).isEqualTo(oslo("2025-04-01T09:00"));

      h.advanceTo(oslo("2025-05-01T09:00:01"));
      assertThat(h.drain()).extracting(Reminder::getStatus, Reminder::getReminderId).containsExactly(
          tuple(ReminderStatus.DUE,
              UUID.fromString(ReminderIds.of(P1, null, ReminderKind.MONTHLY_REVIEW, 0, oslo("2025-05-01T09:00").toEpochMilli()))),
          tuple(ReminderStatus.WITHDRAWN, april.getReminderId()));
    }

    @Test
    void noMonthlyReviewByDefault() {
      start(ReminderRules.defaults().withInactivityAfter(Duration.ofDays(400)), T0);
      h.enrol(P1);
      h.advanceTo(oslo("2025-04-02T00:00"));
      assertThat(h.drain()).isEmpty();
    }
  }

  @Nested
  class HistoryExitAndErasure {

    @Test
    void replayedHistoryFromYearsAgoDoesNotFloodCoordinators() {
      start();
      h.send(P1, ParticipantEnrolled.newBuilder().setTargetGroups(List.of(TargetGroup.IMMIGRANTS))
          .setCoordinatorId("s-1").setCounsellorId(null).build(), oslo("2021-01-10T10:00"));
      for (int i = 1; i <= 4; i++) {
        Instant start = oslo("2021-02-0" + i + "T10:00");
        h.send(P1, MeetingScheduled.newBuilder().setMeetingId("old" + i).setStartsAt(start)
            .setKind(MeetingKind.OFFICE).build(), start.minus(Duration.ofDays(3)));
        if (i <= 3) {
          h.send(P1, MeetingMissed.newBuilder().setMeetingId("old" + i).build(), start.plusSeconds(3600));
        }
      }
      h.advance(Duration.ofDays(1));
      assertThat(h.drain()).isEmpty();
      assertThat(h.dueEntries()).isZero();

      // live events after the replay work as usual
      h.schedule(P1, "new", h.now().plus(Duration.ofDays(2)));
      h.advance(Duration.ofDays(1).plusSeconds(1));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.MEETING_REMINDER);
    }

    @Test
    void aMeetingMissedRecentlyStillCountsWithinTheHistoryCutoff() {
      start();
      h.enrol(P1);
      Instant start = T0.minus(Duration.ofDays(3));
      h.send(P1, MeetingScheduled.newBuilder().setMeetingId("m1").setStartsAt(start)
          .setKind(MeetingKind.OFFICE).build(), start.minus(Duration.ofDays(3)));
      h.advance(Duration.ofSeconds(1));
      assertThat(h.drain()).extracting(Reminder::getKind).containsExactly(ReminderKind.ATTENDANCE_NOT_RECORDED);
    }

    @Test
    void eventsAfterTheErasureDeriveNothingNotEvenAMissedMeetingTask() {
      // the sequence that once brought an erased participant back: enrol, erase, then a meeting booked and missed
      start();
      h.enrol(P1);
      h.erase(P1);
      h.drain();
      Instant start = h.now().plus(Duration.ofHours(3));
      h.schedule(P1, "after-erasure", start);
      h.missed(P1, "after-erasure");
      h.send(P1, MeetingScheduled.newBuilder().setMeetingId("later").setStartsAt(h.now().plus(Duration.ofDays(2)))
          .setKind(MeetingKind.OFFICE).build());
      h.advance(Duration.ofDays(3));

      assertThat(h.drain()).isEmpty();
      assertThat(h.participantsStore().get(P1)).isNull();
      assertThat(h.dueEntries()).isZero();
      assertThat(h.metrics.registry().counter(RemindersMetrics.EVENTS_FOR_ERASED).count()).isEqualTo(3.0);
    }

    @Test
    void oldCancellationsOfMeetingsNeverScheduledArePrunedToo() {
      start();
      h.enrol(P1);
      for (int i = 1; i <= 30; i++) {
        h.cancel(P1, "unknown-" + i); // no time of their own: only the cancellation's
      }
      assertThat(h.participantsStore().get(P1).getMeetings()).hasSize(30);
      h.advance(Duration.ofDays(130), Duration.ofHours(6));
      h.contact(P1);
      assertThat(h.participantsStore().get(P1).getMeetings()).hasSize(10);
    }

    @Test
    void oldFinishedMeetingsArePrunedButTheirTasksAreStillErasedWithTheParticipant() {
      start();
      h.enrol(P1);
      for (int i = 1; i <= 12; i++) {
        h.schedule(P1, "m" + i, T0.plus(Duration.ofDays(i)));
      }
      h.advance(Duration.ofDays(13), Duration.ofHours(1));
      List<Reminder> tasks = of(h.drain(), ReminderKind.ATTENDANCE_NOT_RECORDED);
      assertThat(tasks).hasSize(12);
      h.advance(Duration.ofDays(140), Duration.ofHours(6));
      h.contact(P1);
      ReminderParticipantState state = h.participantsStore().get(P1);
      assertThat(state.getMeetings()).hasSize(10);
      assertThat(state.getPrunedTaskIds()).as("two pruned follow-ups and the inactivity task the contact resolved").hasSize(3);
      h.drain();

      h.erase(P1);
      assertThat(h.drain()).filteredOn(r -> r.getStatus() == ReminderStatus.ERASED).extracting(Reminder::getReminderId)
          .containsAll(tasks.stream().map(Reminder::getReminderId).toList());
    }

    @Test
    void exitWithdrawsWhatIsOpenAndStopsTimers() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T12:00"));
      h.advanceTo(oslo("2025-03-03T12:00:01"));
      Reminder reminder = h.drain().get(0);
      h.exit(P1);
      assertThat(h.drain()).singleElement().satisfies(w -> {
        assertThat(w.getStatus()).isEqualTo(ReminderStatus.WITHDRAWN);
        assertThat(w.getReminderId()).isEqualTo(reminder.getReminderId());
      });
      h.advance(Duration.ofDays(20));
      assertThat(h.drain()).isEmpty();
      assertThat(h.dueEntries()).isZero();
    }

    @Test
    void erasureRemovesStateAndTimersAndAsksToRemoveTasks() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-20T10:00"));
      h.advanceTo(oslo("2025-03-04T12:00:01"));
      Reminder task = of(h.drain(), ReminderKind.ATTENDANCE_NOT_RECORDED).get(0);

      h.erase(P1);
      assertThat(h.drain()).extracting(Reminder::getReminderId, Reminder::getStatus, Reminder::getAudience).containsExactly(
          tuple(task.getReminderId(), ReminderStatus.ERASED, Audience.COORDINATOR),
          tuple(UUID.fromString(ReminderIds.participantErased(P1)), ReminderStatus.ERASED, Audience.PARTICIPANT));
      assertThat(h.participantsStore().get(P1)).isNull();
      assertThat(h.dueEntries()).isZero();
      h.advance(Duration.ofDays(20));
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void aParticipantWithoutAnyReminderStillGetsTheErasureRecordForDelivery() {
      start();
      h.erase(P1);
      assertThat(h.drain()).singleElement().satisfies(r -> {
        assertThat(r.getStatus()).isEqualTo(ReminderStatus.ERASED);
        assertThat(r.getAudience()).isEqualTo(Audience.PARTICIPANT);
        assertThat(r.getKind()).isEqualTo(ReminderKind.UNKNOWN);
        assertThat(r.getParticipantId()).isEqualTo(P1);
      });
      h.erase(P1); // a second erasure finds the marker: nothing more
      assertThat(h.drain()).isEmpty();
    }

    @Test
    void aResolvedInactivityTaskIsErasedWithTheParticipant() {
      start();
      h.enrol(P1);
      h.advance(Duration.ofDays(14).plusSeconds(1));
      Reminder inactivity = of(h.drain(), ReminderKind.INACTIVITY, ReminderStatus.DUE).get(0);
      h.contact(P1); // resolves it; the state moves on to the next silence
      assertThat(h.drain()).extracting(Reminder::getStatus).containsExactly(ReminderStatus.RESOLVED);

      h.erase(P1);
      assertThat(erasedIds(h.drain())).contains(inactivity.getReminderId());
    }

    @Test
    void aSupersededMonthlyReviewIsErasedWithTheParticipant() {
      start(ReminderRules.defaults().withMonthlyReview(true).withInactivityAfter(Duration.ofDays(400)), T0);
      h.enrol(P1);
      h.advanceTo(oslo("2025-04-01T09:00:01"));
      Reminder april = of(h.drain(), ReminderKind.MONTHLY_REVIEW, ReminderStatus.DUE).get(0);
      h.advanceTo(oslo("2025-05-01T09:00:01"));
      Reminder may = of(h.drain(), ReminderKind.MONTHLY_REVIEW, ReminderStatus.DUE).get(0);
      h.advanceTo(oslo("2025-06-01T09:00:01"));
      Reminder june = of(h.drain(), ReminderKind.MONTHLY_REVIEW, ReminderStatus.DUE).get(0);

      h.erase(P1);
      assertThat(erasedIds(h.drain())).contains(april.getReminderId(), may.getReminderId(), june.getReminderId());
    }

    @Test
    void aReplacedHomeVisitOfferIsErasedWithTheParticipant() {
      start();
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-05T10:00"));
      h.advanceTo(oslo("2025-03-05T12:00:01"));
      Reminder firstOffer = of(h.drain(), ReminderKind.OFFER_HOME_VISIT, ReminderStatus.DUE).get(0);
      h.homeVisit(P1); // ends the streak: the offer is resolved
      h.schedule(P1, "m3", oslo("2025-03-10T10:00"));
      h.schedule(P1, "m4", oslo("2025-03-11T10:00"));
      h.advanceTo(oslo("2025-03-11T12:00:01"));
      Reminder secondOffer = of(h.drain(), ReminderKind.OFFER_HOME_VISIT, ReminderStatus.DUE).get(0);
      assertThat(secondOffer.getReminderId()).isNotEqualTo(firstOffer.getReminderId());

      h.erase(P1);
      assertThat(erasedIds(h.drain())).contains(firstOffer.getReminderId(), secondOffer.getReminderId());
    }

    @Test
    void everyTaskEverEmittedForTheParticipantIsErased() {
      start(ReminderRules.defaults().withMonthlyReview(true), T0);
      h.enrol(P1);
      h.schedule(P1, "m1", oslo("2025-03-04T10:00"));
      h.schedule(P1, "m2", oslo("2025-03-05T10:00"));
      h.schedule(P1, "m3", oslo("2025-03-07T10:00"));
      h.advanceTo(oslo("2025-03-07T11:00"));
      h.missed(P1, "m3");
      h.homeVisit(P1);
      h.advanceTo(oslo("2025-05-02T10:00"), Duration.ofHours(1));
      h.contact(P1);
      h.reschedule(P1, "m1", oslo("2025-05-10T10:00"));
      h.advanceTo(oslo("2025-06-02T10:00"), Duration.ofHours(1));
      java.util.Set<UUID> tasks = new java.util.HashSet<>();
      for (Reminder r : h.drain()) {
        if (r.getAudience() != Audience.PARTICIPANT) {
          tasks.add(r.getReminderId());
        }
      }
      assertThat(tasks).hasSizeGreaterThan(6);

      h.erase(P1);
      assertThat(erasedIds(h.drain())).containsAll(tasks);
    }

    private List<UUID> erasedIds(List<Reminder> out) {
      assertThat(out).allMatch(r -> r.getStatus() == ReminderStatus.ERASED);
      return out.stream().map(Reminder::getReminderId).toList();
    }
  }

  @Nested
  class AfterAnOutage {

    static final String P2 = "p-002";

    double staleTimersDropped() {
      return h.metrics.registry().find(RemindersMetrics.STALE_TIMERS_DROPPED).counters().stream()
          .mapToDouble(Counter::count).sum();
    }

    @Test
    void timersThatFellDueLongerAgoThanTheCutoffAreDroppedAndNewerOnesStillFire() {
      start();
      h.enrol(P1); // inactivity due 17 March 10:00
      h.send(P2, ParticipantEnrolled.newBuilder().setTargetGroups(List.of(TargetGroup.YOUTH_UNDER_30))
          .setCoordinatorId(TopologyHarness.COORDINATOR).setCounsellorId(null).build(), T0.minus(Duration.ofDays(5))); // due 12 March
      h.schedule(P1, "m-old", oslo("2025-03-05T10:00")); // reminder 4 March 10:00, attendance check 5 March 12:00
      h.schedule(P1, "m-recent", oslo("2025-03-20T10:00")); // reminder 19 March 10:00, attendance check 20 March 12:00
      h.schedule(P1, "m-next", oslo("2025-03-25T10:00")); // reminder 24 March 10:00
      h.advance(Duration.ofSeconds(1));
      assertThat(h.drain()).isEmpty();

      // down for 20 days: back on 23 March 10:00, so the cutoff is 16 March 10:00
      h.jumpTo(oslo("2025-03-23T10:00"));
      assertThat(h.drain())
          .extracting(Reminder::getParticipantId, Reminder::getMeetingId, Reminder::getKind, Reminder::getStatus, Reminder::getDueAt)
          .containsExactly(
              tuple(P1, null, ReminderKind.INACTIVITY, ReminderStatus.DUE, oslo("2025-03-17T10:00")),
              // m-recent's reminder is not stale, but its meeting has started; the dropped check of
              // m-old presumed no miss, so there is no streak of two and no home-visit offer
              tuple(P1, "m-recent", ReminderKind.ATTENDANCE_NOT_RECORDED, ReminderStatus.DUE, oslo("2025-03-20T12:00")));
      assertThat(staleTimersDropped()).as("m-old's reminder and attendance check, p-002's inactivity").isEqualTo(3.0);

      TrackedMeeting old = h.participantsStore().get(P1).getMeetings().stream()
          .filter(m -> m.getMeetingId().equals("m-old")).findFirst().orElseThrow();
      assertThat(old.getReminders()).isEmpty();
      assertThat(old.getFollowUp()).isNull();
      assertThat(old.getOutcome()).isEqualTo(MeetingOutcome.PENDING);
      assertThat(h.participantsStore().get(P2).getInactivity()).isNull();
      assertThat(h.dueKeys()).hasSize(2).allMatch(key -> key.compareTo(ReminderIds.dueKeyUpperBound(h.now().toEpochMilli())) > 0);

      h.advanceTo(oslo("2025-03-24T10:00:01"));
      assertThat(h.drain()).extracting(Reminder::getMeetingId, Reminder::getKind, Reminder::getDueAt)
          .containsExactly(tuple("m-next", ReminderKind.MEETING_REMINDER, oslo("2025-03-24T10:00")));
    }

    @Test
    void theCutoffIsExact() {
      start();
      Instant start = oslo("2025-03-04T10:00");
      h.schedule(P1, "m1", start); // attendance check 12:00:00.000
      h.schedule(P2, "m1", start.plusMillis(1)); // attendance check 12:00:00.001
      h.advance(Duration.ofSeconds(1));
      h.drain();

      h.jumpTo(oslo("2025-03-04T12:00:00.001").plus(ReminderRules.defaults().historyCutoff()));
      assertThat(h.drain()).extracting(Reminder::getParticipantId, Reminder::getKind, Reminder::getDueAt)
          .containsExactly(tuple(P2, ReminderKind.ATTENDANCE_NOT_RECORDED, oslo("2025-03-04T12:00:00.001")));
    }

    @Test
    void aDroppedMonthlyReviewStillSetsNextMonths() {
      start(ReminderRules.defaults().withMonthlyReview(true).withInactivityAfter(Duration.ofDays(400)), T0);
      h.enrol(P1);
      h.jumpTo(oslo("2025-04-08T09:00:00.001")); // April's review fell due 7 days and 1 ms ago
      assertThat(h.drain()).isEmpty();
      assertThat(staleTimersDropped()).isEqualTo(1.0);

      h.advanceTo(oslo("2025-05-01T09:00:01"));
      assertThat(h.drain()).extracting(Reminder::getKind, Reminder::getStatus, Reminder::getDueAt)
          .containsExactly(tuple(ReminderKind.MONTHLY_REVIEW, ReminderStatus.DUE, oslo("2025-05-01T09:00")));
    }
  }
}
