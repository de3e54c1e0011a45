package no.followup.reminders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import no.followup.events.CancelledBy;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many participants and meetings with random times, reschedules, cancellations, outcomes recorded
 * on time, late, twice, or never, and events delivered twice: every due item is emitted exactly
 * once, and each meeting gets exactly the follow-up the rules ask for.
 */
class ExactlyOneReminderPerDueItemTest {

  static final Instant T0 = TopologyHarness.oslo("2025-03-03T10:00");

  enum Outcome { ATTENDED_ON_TIME, MISSED_ON_TIME, MISSED_LATE, ATTENDED_LATE, NOTHING, MISSED_TWICE }

  record Action(Instant at, FollowUpEvent event) {}

  record Plan(String participantId, String meetingId, Instant finalStart, boolean cancelled, Outcome outcome) {}

  @TempDir Path stateDir;

  @ParameterizedTest
  @ValueSource(longs = {7, 11, 2025})
  void everyDueItemIsEmittedOnceAndEachMeetingGetsItsOneFollowUp(long seed) {
    Random random = new Random(seed);
    try (TopologyHarness h = new TopologyHarness(ReminderRules.defaults().withInactivityAfter(Duration.ofDays(400)), T0, stateDir)) {
      List<Action> actions = new ArrayList<>();
      List<Plan> plans = new ArrayList<>();
      for (int p = 0; p < 25; p++) {
        String participantId = "p-" + seed + "-" + p;
        actions.add(new Action(T0, h.event(participantId, enrolled())));
        for (int m = 0; m < 4; m++) {
          String meetingId = "m" + m;
          Instant scheduledAt = T0.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
          Instant start = scheduledAt.plus(Duration.ofDays(3 + random.nextInt(6))).plus(Duration.ofMinutes(random.nextInt(8 * 60)));
          actions.add(new Action(scheduledAt, h.event(participantId, scheduled(meetingId, start), scheduledAt)));
          if (random.nextInt(10) < 3) {
            // moved at least two days ahead of time, to at least two days later
            Instant movedAt = start.minus(Duration.ofDays(2));
            start = movedAt.plus(Duration.ofDays(2 + random.nextInt(4))).plus(Duration.ofMinutes(random.nextInt(600)));
            actions.add(new Action(movedAt, h.event(participantId, rescheduled(meetingId, start), movedAt)));
          }
          boolean cancelled = random.nextInt(100) < 15;
          Outcome outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
          if (cancelled) {
            Instant at = start.minus(Duration.ofHours(1 + random.nextInt(40)));
            actions.add(new Action(at, h.event(participantId, cancelledPayload(meetingId), at)));
          } else {
            addOutcome(h, actions, participantId, meetingId, start, outcome);
          }
          plans.add(new Plan(participantId, meetingId, start, cancelled, outcome));
        }
      }
      // some events are delivered twice: right away or a while later
      List<Action> duplicates = new ArrayList<>();
      for (Action a : actions) {
        if (random.nextInt(10) < 3) {
          duplicates.add(new Action(a.at().plus(Duration.ofMinutes(random.nextInt(3) * 90L)), a.event()));
        }
      }
      actions.addAll(duplicates);
      actions.sort(Comparator.comparing(Action::at));

      List<Reminder> out = new ArrayList<>();
      for (Action a : actions) {
        h.advanceTo(a.at());
        h.send(a.event());
        out.addAll(h.drain());
      }
      h.advanceTo(T0.plus(Duration.ofDays(25)));
      out.addAll(h.drain());

      // 1. no reminderId is DUE twice
      Map<String, Long> dueCounts = out.stream().filter(r -> r.getStatus() == ReminderStatus.DUE)
          .collect(Collectors.groupingBy(r -> r.getReminderId().toString(), Collectors.counting()));
      assertThat(dueCounts).allSatisfy((id, count) -> assertThat(count).as("DUE records of %s", id).isEqualTo(1L));

      Map<String, List<Reminder>> byMeeting = out.stream().filter(r -> r.getMeetingId() != null)
          .collect(Collectors.groupingBy(r -> r.getParticipantId() + "/" + r.getMeetingId()));
      for (Plan plan : plans) {
        List<Reminder> forMeeting = byMeeting.getOrDefault(plan.participantId() + "/" + plan.meetingId(), List.of());
        List<Reminder> reminders = due(forMeeting, ReminderKind.MEETING_REMINDER);
        List<Reminder> followUps = forMeeting.stream().filter(r -> r.getStatus() == ReminderStatus.DUE)
            .filter(r -> r.getKind() == ReminderKind.ATTENDANCE_NOT_RECORDED || r.getKind() == ReminderKind.REACH_OUT_AFTER_MISS)
            .toList();
        String what = plan.toString();
        // 2. the one reminder before the meeting, for its final time; withdrawn ones are never re-sent
        List<Reminder> liveReminders = reminders.stream()
            .filter(r -> forMeeting.stream().noneMatch(w -> w.getStatus() == ReminderStatus.WITHDRAWN
                && w.getReminderId().equals(r.getReminderId())))
            .toList();
        if (plan.cancelled()) {
          assertThat(followUps).as(what).isEmpty();
          assertThat(liveReminders).as(what).isEmpty();
        } else {
          assertThat(liveReminders).as(what).singleElement()
              .satisfies(r -> assertThat(r.getMeetingStartsAt()).isEqualTo(plan.finalStart()));
          // 3. exactly the follow-up the rules ask for
          switch (plan.outcome()) {
            case ATTENDED_ON_TIME -> assertThat(followUps).as(what).isEmpty();
            case MISSED_ON_TIME, MISSED_TWICE -> assertThat(followUps).as(what).extracting(Reminder::getKind)
                .containsExactly(ReminderKind.REACH_OUT_AFTER_MISS);
            case MISSED_LATE, NOTHING -> assertThat(followUps).as(what).extracting(Reminder::getKind)
                .containsExactly(ReminderKind.ATTENDANCE_NOT_RECORDED);
            case ATTENDED_LATE -> {
              assertThat(followUps).as(what).extracting(Reminder::getKind).containsExactly(ReminderKind.ATTENDANCE_NOT_RECORDED);
              assertThat(forMeeting).as(what).anySatisfy(r -> {
                assertThat(r.getStatus()).isEqualTo(ReminderStatus.RESOLVED);
                assertThat(r.getReminderId()).isEqualTo(followUps.get(0).getReminderId());
              });
            }
          }
        }
      }
      // 4. nothing is left in the due index but future timers (inactivity, 400 days out here)
      assertThat(h.dueKeys()).allSatisfy(key -> assertThat(key).isGreaterThan(ReminderIds.dueKeyUpperBound(h.now().toEpochMilli())));
    }
  }

  private static List<Reminder> due(List<Reminder> reminders, ReminderKind kind) {
    return reminders.stream().filter(r -> r.getKind() == kind && r.getStatus() == ReminderStatus.DUE).toList();
  }

  private static void addOutcome(TopologyHarness h, List<Action> actions, String participantId, String meetingId, Instant start,
      Outcome outcome) {
    Instant onTime = start.plus(Duration.ofHours(1));
    Instant late = start.plus(Duration.ofHours(5));
    switch (outcome) {
      case ATTENDED_ON_TIME -> actions.add(new Action(onTime, h.event(participantId, attended(meetingId), start)));
      case MISSED_ON_TIME -> actions.add(new Action(onTime, h.event(participantId, missed(meetingId), start)));
      case MISSED_LATE -> actions.add(new Action(late, h.event(participantId, missed(meetingId), start)));
      case ATTENDED_LATE -> actions.add(new Action(late, h.event(participantId, attended(meetingId), start)));
      case MISSED_TWICE -> {
        actions.add(new Action(onTime, h.event(participantId, missed(meetingId), start)));
        actions.add(new Action(late.plus(Duration.ofHours(1)), h.event(participantId, missed(meetingId), start.plusSeconds(60))));
      }
      case NOTHING -> { }
    }
  }

  private static Object enrolled() {
    return no.followup.events.ParticipantEnrolled.newBuilder().setTargetGroups(List.of(no.followup.events.TargetGroup.OTHER))
        .setCoordinatorId(TopologyHarness.COORDINATOR).setCounsellorId(null).build();
  }

  private static Object scheduled(String meetingId, Instant start) {
    return MeetingScheduled.newBuilder().setMeetingId(meetingId).setStartsAt(start).setKind(MeetingKind.WALK_AND_TALK).build();
  }

  private static Object rescheduled(String meetingId, Instant start) {
    return MeetingRescheduled.newBuilder().setMeetingId(meetingId).setStartsAt(start).setKind(null).build();
  }

  private static Object cancelledPayload(String meetingId) {
    return MeetingCancelled.newBuilder().setMeetingId(meetingId).setCancelledBy(CancelledBy.STAFF).build();
  }

  private static Object attended(String meetingId) {
    return MeetingAttended.newBuilder().setMeetingId(meetingId).build();
  }

  private static Object missed(String meetingId) {
    return MeetingMissed.newBuilder().setMeetingId(meetingId).build();
  }
}
