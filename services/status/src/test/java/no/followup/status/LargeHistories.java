package no.followup.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.StaffRole;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;

/** Histories far beyond real ones, for the integration test of the status engine's bounds. */
final class LargeHistories {

  /** The longest id the intake accepts (64 characters of its pattern). */
  static String longestId(String prefix, int n) {
    String id = prefix + n + "-";
    return id + "x".repeat(64 - id.length());
  }

  private LargeHistories() {}

  /**
   * {@code count} events of one participant, one every 50 minutes up to {@code end}, sent about in
   * order: about 2% late (sent up to 100 places after where they belong), about 1% sent twice,
   * and the enrolment last, although it happened before everything else (so its arrival folds
   * the whole history again).
   */
  static List<FollowUpEvent> longHistory(String participantId, int count, Instant end, Random random) {
    Instant start = end.minus(Duration.ofMinutes(50L * count));
    List<FollowUpEvent> events = new ArrayList<>();
    for (int i = 0; i < count - 1; i++) {
      String meeting = "m-" + i / 10;
      Object payload = switch (i % 10) {
        case 0 -> new MeetingScheduled(meeting, start.plus(Duration.ofDays(i / 10)), MeetingKind.OFFICE);
        case 1 -> random.nextInt(3) == 0 ? new MeetingMissed(meeting) : new MeetingAttended(meeting);
        case 2 -> new ContactMade(ContactChannel.PHONE, random.nextBoolean());
        case 3 -> TestEvents.score(7 + random.nextInt(29));
        case 4 -> new MeetingRescheduled("m-" + (i / 10 + 1), start.plus(Duration.ofDays(i / 10 + 2)), null);
        case 5 -> i % 20 == 5 ? new MeasureStarted(Measure.AFT) : new MeasureEnded(Measure.AFT);
        case 6 -> i % 20 == 6 ? new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j" + i % 7)
            : new ServiceEnded(SupportService.JOB_SUPPORT_IPS, "s-j" + (i - 10) % 7);
        case 7 -> new MappingCompleted(MappingInstrument.INFLOW24);
        case 8 -> new CoordinatorAssigned("s-c" + random.nextInt(3));
        default -> new HomeVisitCompleted(random.nextBoolean() ? null : meeting);
      };
      events.add(event(participantId, "3421", "optimist", "s-c1", start.plus(Duration.ofMinutes(50L * i)), payload));
    }
    List<FollowUpEvent> arrival = new ArrayList<>(events);
    for (int i = 0; i < arrival.size() - 100; i++) {
      if (random.nextInt(50) == 0) {
        Collections.swap(arrival, i, i + 1 + random.nextInt(100));
      }
    }
    for (int i = 0; i < events.size(); i += 1 + random.nextInt(200)) {
      arrival.add(Math.min(arrival.size(), i + random.nextInt(300)), events.get(i));
    }
    arrival.add(event(participantId, "3421", "optimist", "s-c1", start.minus(Duration.ofDays(1)),
        new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30), "s-c1", null)));
    return arrival;
  }

  /**
   * {@code count} events of one participant with every field at the intake's largest: 64-character
   * ids, a 40-character cohort, 20 target groups, new meetings, specialists and measures that stay
   * open, so every list of the state reaches its cap.
   */
  static List<FollowUpEvent> largestEvents(String participantId, int count, Instant end) {
    String office = "0403";
    String cohort = "c" + "-".repeat(38) + "c";
    String staff = longestId("s-", 0);
    Instant start = end.minus(Duration.ofMinutes(30L * count));
    List<TargetGroup> groups = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      groups.add(TargetGroup.values()[i % TargetGroup.values().length]);
    }
    List<FollowUpEvent> events = new ArrayList<>();
    events.add(event(participantId, office, cohort, staff, start,
        new ParticipantEnrolled(groups, longestId("s-c", 0), longestId("s-v", 0))));
    for (int i = 1; i < count; i++) {
      String meeting = longestId("m-", i / 4);
      Object payload = switch (i % 4) {
        case 0 -> new MeetingScheduled(meeting, start.plus(Duration.ofDays(i)), MeetingKind.ACCOMPANIED_VISIT);
        case 1 -> new MeetingMissed(meeting);
        case 2 -> i % 8 == 2 ? new ServiceStarted(SupportService.HEALTH_SUPPORT, longestId("s-h", i))
            : new MeasureStarted(Measure.values()[i % Measure.values().length]);
        default -> i % 8 == 3 ? new MappingCompleted(MappingInstrument.MAYERS_LIFE_SITUATION_FORM)
            : new CoordinatorAssigned(longestId("s-c", i));
      };
      events.add(event(participantId, office, cohort, staff, start.plus(Duration.ofMinutes(30L * i)), payload));
    }
    return events;
  }

  static FollowUpEvent event(String participantId, String officeId, String cohortId, String staffId, Instant at,
      Object payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId(officeId)
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, staffId))
        .setOccurredAt(at)
        .setRecordedAt(at.plusSeconds(60))
        .setCohortId(cohortId)
        .setPayload(payload)
        .build();
  }
}
