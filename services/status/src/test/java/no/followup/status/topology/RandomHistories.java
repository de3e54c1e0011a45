package no.followup.status.topology;

import static no.followup.status.TestEvents.score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import no.followup.events.Benefit;
import no.followup.events.BenefitGranted;
import no.followup.events.CancelledBy;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationKind;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.TestEvents;
import no.followup.status.rules.StatusRules;

/**
 * Random participant histories and random arrivals of them, for comparing the incremental engine
 * with a fold from scratch: every event type, meetings mentioned again and again (and more of them
 * than the status lists), equal occurrence times (so recordedAt and eventId break ties), and
 * arrivals with late events, duplicates and whole histories shuffled.
 */
final class RandomHistories {

  private final Random r;

  RandomHistories(Random random) {
    this.r = random;
  }

  /** {@code n} events of one participant within {@code spanDays} days of {@link TestEvents#BASE}. */
  List<FollowUpEvent> history(TestEvents p, int n, double spanDays) {
    List<FollowUpEvent> events = new ArrayList<>();
    double step = spanDays / (n + 1);
    double day = r.nextDouble() * step;
    int meetings = 0;
    for (int i = 0; i < n; i++) {
      if (r.nextInt(20) > 0) { // one in 20 occurs at the same instant as the one before
        day += r.nextDouble() * 2 * step;
      }
      // meetings are mostly recent ones, sometimes one from long ago
      String meeting = "m" + (r.nextInt(10) == 0 ? r.nextInt(meetings + 1) : Math.max(0, meetings - r.nextInt(4)));
      Object payload = switch (r.nextInt(24)) {
        case 0 -> new ParticipantEnrolled(List.of(TargetGroup.values()[r.nextInt(6)], TargetGroup.values()[r.nextInt(6)]),
            "s-c" + r.nextInt(4), r.nextBoolean() ? null : "s-v" + r.nextInt(3));
        case 1 -> new MappingCompleted(MappingInstrument.values()[r.nextInt(3)]);
        case 2, 3, 4 -> new MeetingScheduled("m" + ++meetings, TestEvents.day(day + 3), MeetingKind.values()[r.nextInt(4)]);
        case 5 -> new MeetingRescheduled(meeting, TestEvents.day(day + 5), r.nextBoolean() ? null : MeetingKind.OFFICE);
        case 6 -> new MeetingCancelled(meeting, CancelledBy.PARTICIPANT);
        case 7, 8 -> new MeetingAttended(meeting);
        case 9 -> new MeetingMissed(meeting);
        case 10 -> new HomeVisitCompleted(r.nextBoolean() ? null : meeting);
        case 11 -> new ContactMade(ContactChannel.PHONE, r.nextBoolean());
        case 12 -> new ServiceStarted(r.nextBoolean() ? SupportService.JOB_SUPPORT_IPS : SupportService.HEALTH_SUPPORT,
            "s-s" + r.nextInt(30));
        case 13 -> new ServiceEnded(r.nextBoolean() ? SupportService.JOB_SUPPORT_IPS : SupportService.HEALTH_SUPPORT,
            "s-s" + r.nextInt(30));
        case 14 -> new MeasureStarted(Measure.values()[r.nextInt(5)]);
        case 15 -> new MeasureEnded(Measure.values()[r.nextInt(5)]);
        case 16 -> r.nextBoolean() ? new JobStarted(JobKind.ORDINARY, null) : new EducationStarted(EducationKind.OTHER);
        case 17 -> new BenefitGranted(Benefit.values()[r.nextInt(3)]);
        case 18, 19 -> score(7 + r.nextInt(29));
        case 20 -> r.nextInt(3) == 0 ? new ParticipantMoved(null) : new IndividualPlanStarted();
        case 21 -> new CoordinatorAssigned("s-c" + r.nextInt(4));
        case 22 -> new ParticipantExited(ExitReason.values()[r.nextInt(ExitReason.values().length)]);
        default -> new ContactMade(ContactChannel.SMS, false);
      };
      double recorded = r.nextInt(4) == 0 ? day : day + r.nextDouble() * 10;
      events.add(p.at(day, recorded, payload));
    }
    // most participants are enrolled, half of them before anything else happens
    if (r.nextInt(8) > 0) {
      double enrolledAt = r.nextBoolean() ? 0 : r.nextDouble() * spanDays;
      events.add(p.enrolled(enrolledAt, "s-c" + r.nextInt(4), TargetGroup.values()[r.nextInt(6)]));
    }
    return events;
  }

  /**
   * The order in which a participant's events arrive: in occurrence order with some held back (late
   * by up to 40 places), one in ten re-sent later; or, for one participant in eight, all shuffled.
   */
  List<FollowUpEvent> arrival(List<FollowUpEvent> history) {
    List<FollowUpEvent> ordered = new ArrayList<>(history);
    ordered.sort(StatusRules.ORDER);
    boolean shuffled = r.nextInt(8) == 0;
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      double at = shuffled ? r.nextDouble() * ordered.size() : i + (r.nextInt(100) < 15 ? 1 + r.nextInt(40) : 0) + r.nextDouble() / 2;
      arrivals.add(new Arrival(at, ordered.get(i)));
      if (r.nextInt(10) == 0) {
        arrivals.add(new Arrival(at + 1 + r.nextInt(60), ordered.get(i)));
      }
    }
    arrivals.sort(Comparator.comparingDouble(Arrival::at));
    return arrivals.stream().map(Arrival::event).toList();
  }

  private record Arrival(double at, FollowUpEvent event) {}
}
