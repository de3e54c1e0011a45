package no.followup.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.Benefit;
import no.followup.events.CohortDefined;
import no.followup.events.BenefitGranted;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.EducationKind;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
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
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.StaffRole;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;

/**
 * A deterministic demo data set (same seed and {@code now}, same events), in publish order:
 * <ul>
 *   <li><b>OPTIMIST</b> (cohort {@value #OPTIMIST_COHORT}, NAV Trysil, office {@value #TRYSIL_OFFICE}):
 *       15 participants over 2020-2022 whose end state is the final report's table (job or
 *       apprenticeship 5, measure/activity 5, moved 2, disability benefit 1, no regular activity
 *       2) and COOP/WONCA figures (9 before/after pairs, mean 2.8 then 2.6, worst 3.7, best 1.6,
 *       6 improved, 2 unchanged, 1 worse). These figures do not depend on
 *       the seed; the seed varies times, item scores and meeting outcomes.</li>
 *   <li><b>Gjøvik</b> (cohort {@value #GJOVIK_COHORT}, office {@value #GJOVIK_OFFICE}) and <b>Valdres</b>
 *       (cohort {@value #VALDRES_COHORT}, office {@value #VALDRES_OFFICE}): participants active now,
 *       with meetings today and tomorrow (Europe/Oslo), recent misses, one participant without
 *       contact for 18 days, and job specialists {@value #JOB_SPECIALIST_OVER_CAP} (21 active, over
 *       the cap of 20) and {@value #JOB_SPECIALIST_WITHIN} (12, within 12-20).</li>
 * </ul>
 * Each cohort is defined by a CohortDefined event from its project lead: OPTIMIST (2020-2022, no share
 * goal, reported as of 31.12.2022), Gjøvik (the goal of 60 % of those taken in reaching work or
 * education, reported as of 31 December) and Valdres (no goal).
 * Like real data, events are published in the order staff record them, so occurredAt is often out
 * of order; a few are recorded weeks late (an enrolment after the participant's first meetings, a
 * paper COOP/WONCA form), and a few are sent twice with the same eventId.
 * Ids are pseudonymous ({@code p-} and {@code s-} followed by hex).
 */
public final class DemoScenario {

  public static final String OPTIMIST_COHORT = "optimist";
  public static final String TRYSIL_OFFICE = "3421";
  public static final String GJOVIK_COHORT = "gjovik-2025";
  public static final String GJOVIK_OFFICE = "3407";
  public static final String VALDRES_COHORT = "valdres-2025";
  public static final String VALDRES_OFFICE = "3451";

  public static final String TRYSIL_COORDINATOR = "s-7a1c30";
  public static final String GJOVIK_COORDINATOR = "s-2be4d1";
  public static final String GJOVIK_COORDINATOR_2 = "s-2be4d2";
  public static final String VALDRES_COORDINATOR = "s-5c9e07";
  public static final String JOB_SPECIALIST_OVER_CAP = "s-19f0a4";
  public static final String JOB_SPECIALIST_WITHIN = "s-19f0b8";
  public static final String TRYSIL_JOB_SPECIALIST = "s-19f0c2";
  public static final String HEALTH_SUPPORT_NURSE = "s-4d2e60";
  public static final String PROJECT_LEAD = "s-9e3f11";
  /** A cohort's definitions are keyed {@code cohort:<cohortId>}, in the participantId field. */
  public static final String COHORT_KEY_PREFIX = "cohort:";

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final String[] TRYSIL_COUNSELLORS = {"s-7a1c41", "s-7a1c42"};
  private static final String[] GJOVIK_COUNSELLORS = {"s-2be4e1", "s-2be4e2", "s-2be4e3"};
  private static final String[] VALDRES_COUNSELLORS = {"s-5c9e18", "s-5c9e19"};
  private static final Instant PROJECT_END = day(2022, 12, 16, 12, 0);

  private DemoScenario() {}

  /** The events of the scenario in publish order. */
  public static List<FollowUpEvent> generate(long seed, Instant now) {
    Generator g = new Generator(new Random(seed), now);
    g.cohorts();
    g.optimist();
    g.otherOffices();
    return g.publishOrder();
  }

  // ---------------------------------------------------------------------------------------------

  /** End states of the OPTIMIST participants (the report's table). */
  private enum Outcome { JOB, MEASURE, MOVED, DISABILITY, NO_ACTIVITY_MEASURE_ENDED, NO_ACTIVITY_NON_ATTENDANCE }

  /** One OPTIMIST participant: outcome and COOP/WONCA item sums (first, latest; null = not measured). */
  private record OptimistPlan(Outcome outcome, Integer firstSum, Integer latestSum) {}

  // Item sums (7 items, 1-5): firsts 174 → mean 2.76, latests 163 → 2.59; worst 26 (3.71), best 11 (1.57);
  // changes -3,-2,-2,-3,-3,-2 improved; 0,0 unchanged; +4 worse. The three measured once more (24, 16,
  // 21) make the mean of every first measurement 235 / 84 = 2.80 as well ("for alle brukere").
  private static final List<OptimistPlan> OPTIMIST = List.of(
      new OptimistPlan(Outcome.JOB, 26, 23),
      new OptimistPlan(Outcome.MEASURE, 18, 16),
      new OptimistPlan(Outcome.JOB, 22, 20),
      new OptimistPlan(Outcome.MOVED, 24, null),
      new OptimistPlan(Outcome.MEASURE, 14, 11),
      new OptimistPlan(Outcome.JOB, 20, 17),
      new OptimistPlan(Outcome.NO_ACTIVITY_MEASURE_ENDED, 18, 18),
      new OptimistPlan(Outcome.DISABILITY, 17, 21),
      new OptimistPlan(Outcome.MEASURE, 20, 20),
      new OptimistPlan(Outcome.JOB, 19, 17),
      new OptimistPlan(Outcome.MOVED, 16, null),
      new OptimistPlan(Outcome.MEASURE, null, null),
      new OptimistPlan(Outcome.NO_ACTIVITY_NON_ATTENDANCE, null, null),
      new OptimistPlan(Outcome.JOB, null, null),
      new OptimistPlan(Outcome.MEASURE, 21, null));

  /** A scheduled publication: the event and when the recording tool sends it. */
  private record Publication(Instant at, int sequence, FollowUpEvent event) {}

  private static final class Generator {
    private final Random rnd;
    private final Instant now;
    private final List<Publication> publications = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private int sequence;

    Generator(Random rnd, Instant now) {
      this.rnd = rnd;
      this.now = now;
    }

    List<FollowUpEvent> publishOrder() {
      publications.sort(Comparator.comparing(Publication::at).thenComparingInt(Publication::sequence));
      return publications.stream().map(Publication::event).toList();
    }

    // ----- the cohorts, defined by their project leads ------------------------------------------

    void cohorts() {
      LocalDate today = localDate(now);
      LocalDate thisYearsEnd = LocalDate.of(today.getYear(), 12, 31);
      define(OPTIMIST_COHORT, "OPTIMIST, NAV Trysil", TRYSIL_OFFICE,
          List.of(TargetGroup.YOUTH_UNDER_30, TargetGroup.IMMIGRANTS, TargetGroup.DIFFUSE_HEALTH_COMPLAINTS,
              TargetGroup.LONG_TERM_SOCIAL_ASSISTANCE),
          LocalDate.of(2020, 1, 1), LocalDate.of(2022, 12, 31), null, List.of(LocalDate.of(2022, 12, 31)));
      define(GJOVIK_COHORT, "Gjøvik: unge under 30 og flyktningkvinner", GJOVIK_OFFICE,
          List.of(TargetGroup.YOUTH_UNDER_30, TargetGroup.REFUGEE_WOMEN),
          today.minusDays(400), thisYearsEnd.plusYears(1), 0.6, List.of(thisYearsEnd, thisYearsEnd.plusYears(1)));
      define(VALDRES_COHORT, "Valdres", VALDRES_OFFICE,
          List.of(TargetGroup.IMMIGRANTS, TargetGroup.DIFFUSE_HEALTH_COMPLAINTS, TargetGroup.LONG_TERM_SOCIAL_ASSISTANCE),
          today.minusDays(400), thisYearsEnd.plusYears(1), null, List.of(thisYearsEnd));
    }

    private void define(String cohortId, String name, String office, List<TargetGroup> groups, LocalDate start,
        LocalDate end, Double goal, List<LocalDate> reportingDates) {
      Instant at = min(atOslo(start, 9), now);
      FollowUpEvent definition = FollowUpEvent.newBuilder()
          .setEventId(uuid())
          .setParticipantId(COHORT_KEY_PREFIX + cohortId)
          .setOfficeId(office)
          .setActor(staff(StaffRole.PROJECT_LEAD, PROJECT_LEAD))
          .setOccurredAt(at)
          .setRecordedAt(at)
          .setCohortId(cohortId)
          .setPayload(new CohortDefined(name, List.of(office), groups, start, end, goal, reportingDates))
          .build();
      publish(definition, at);
    }

    // ----- OPTIMIST, Trysil 2020-2022 ------------------------------------------------------------

    void optimist() {
      for (int k = 0; k < OPTIMIST.size(); k++) {
        OptimistPlan plan = OPTIMIST.get(k);
        Person p = new Person(newId("p-"), TRYSIL_OFFICE, OPTIMIST_COHORT, TRYSIL_COORDINATOR);
        Instant enrolled = atOslo(LocalDate.of(2020, 1, 13).plusDays(k * 23L), 9 + rnd.nextInt(5));
        // outcomes spread over 2021-03 .. 2022-10, at least 8 months after enrolment
        Instant outcomeAt = max(enrolled.plus(days(240 + rnd.nextInt(60))),
            atOslo(LocalDate.of(2021, 3, 1).plusDays(k * 38L), 10));
        if (plan.outcome() == Outcome.MOVED) {
          outcomeAt = enrolled.plus(days(200 + rnd.nextInt(90)));
        }
        boolean stopsAtOutcome = plan.outcome() == Outcome.JOB || plan.outcome() == Outcome.MOVED
            || plan.outcome() == Outcome.DISABILITY;
        Instant exitAt = switch (plan.outcome()) {
          case JOB -> outcomeAt.plus(days(14));
          case MOVED -> outcomeAt.plus(days(3));
          case DISABILITY -> outcomeAt.plus(days(10));
          default -> PROJECT_END.plus(days(rnd.nextInt(3)));
        };
        Instant followUpEnd = stopsAtOutcome ? outcomeAt : exitAt.minus(days(5));

        TargetGroup group = switch (k % 3) {
          case 0 -> TargetGroup.YOUTH_UNDER_30;
          case 1 -> TargetGroup.IMMIGRANTS;
          default -> rnd.nextBoolean() ? TargetGroup.DIFFUSE_HEALTH_COMPLAINTS : TargetGroup.LONG_TERM_SOCIAL_ASSISTANCE;
        };
        String counsellor = TRYSIL_COUNSELLORS[k % TRYSIL_COUNSELLORS.length];
        FollowUpEvent enrolment = p.event(enrolled, staff(StaffRole.COUNSELLOR, counsellor),
            new ParticipantEnrolled(List.of(group), TRYSIL_COORDINATOR, counsellor));
        if (k == 4) {
          // the enrolment form was registered three weeks late: its first meetings and mapping arrive
          // for a participant the pipeline does not know yet
          publishRecordedLate(enrolment, enrolled.plus(days(21)));
        } else {
          publish(enrolment, enrolment.getRecordedAt());
        }

        Instant firstMeeting = atOslo(localDate(enrolled).plusDays(7), 10);
        meeting(p, enrolled.plus(Duration.ofHours(2)), firstMeeting, MeetingKind.OFFICE, true);
        Instant mapping = enrolled.plus(days(14 + rnd.nextInt(7)));
        p.publishNow(mapping, coordinator(), new MappingCompleted(MappingInstrument.MAYERS_LIFE_SITUATION_FORM));
        if (rnd.nextInt(3) == 0) {
          p.publishNow(mapping.plus(days(45)), coordinator(), new MappingCompleted(MappingInstrument.INFLOW24));
        }
        if (plan.firstSum() != null) {
          FollowUpEvent first = p.event(mapping.plus(Duration.ofHours(1)), coordinator(), score(plan.firstSum()));
          if (k == 0) {
            // a paper form typed in after the second measurement was already registered
            publishRecordedLate(first, outcomeAt.minus(days(3)));
          } else {
            publish(first, first.getRecordedAt());
          }
        }
        if (k % 2 == 0) {
          p.publishNow(enrolled.plus(days(40)), coordinator(), new IndividualPlanStarted());
        }
        if (k % 4 == 1 || plan.outcome() == Outcome.DISABILITY) {
          p.publishNow(enrolled.plus(days(35)), staff(StaffRole.HEALTH_SUPPORT, HEALTH_SUPPORT_NURSE),
              new ServiceStarted(SupportService.HEALTH_SUPPORT, HEALTH_SUPPORT_NURSE));
        }
        boolean ips = plan.outcome() == Outcome.JOB || (plan.outcome() == Outcome.MEASURE && k % 2 == 0);
        if (ips) {
          p.publishNow(outcomeAt.minus(days(100)), staff(StaffRole.JOB_SPECIALIST, TRYSIL_JOB_SPECIALIST),
              new ServiceStarted(SupportService.JOB_SUPPORT_IPS, TRYSIL_JOB_SPECIALIST));
        }

        // follow-up meetings, every four to six weeks, home visits after misses
        double missRate = plan.outcome() == Outcome.NO_ACTIVITY_NON_ATTENDANCE ? 0.55 : 0.18;
        regularMeetings(p, firstMeeting.plus(days(28)), followUpEnd, 28, 42, missRate);

        if (plan.latestSum() != null) {
          FollowUpEvent latest = p.event(followUpEnd.minus(days(10)), coordinator(), score(plan.latestSum()));
          publish(latest, latest.getRecordedAt());
          if (plan.outcome() == Outcome.DISABILITY) {
            publish(latest, latest.getRecordedAt().plus(days(2))); // sent twice by the tool
          }
        }
        outcome(p, k, plan.outcome(), outcomeAt, exitAt, ips);
      }
    }

    private void outcome(Person p, int k, Outcome outcome, Instant at, Instant exitAt, boolean ips) {
      Actor coordinator = coordinator();
      switch (outcome) {
        case JOB -> {
          FollowUpEvent job = p.event(at, staff(StaffRole.JOB_SPECIALIST, TRYSIL_JOB_SPECIALIST),
              new JobStarted(k % 2 == 0 ? JobKind.ORDINARY : JobKind.APPRENTICESHIP, 20 + rnd.nextInt(18)));
          publish(job, job.getRecordedAt());
          if (k == 2) {
            publish(job, job.getRecordedAt().plus(Duration.ofMinutes(5))); // double-submitted form
          }
          p.publishNow(exitAt, staff(StaffRole.JOB_SPECIALIST, TRYSIL_JOB_SPECIALIST),
              new ServiceEnded(SupportService.JOB_SUPPORT_IPS, TRYSIL_JOB_SPECIALIST));
          p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.ORDINARY_WORK));
        }
        case MEASURE -> {
          // "tiltak/aktivitet (AFT, IPS, aktivitet på jobbsentralen)": IPS is the job specialist's service (null here)
          Measure[] measures = {Measure.AFT, null, Measure.JOB_CENTRE, Measure.AFT, Measure.WORK_TRAINING};
          Measure measure = measures[k % measures.length];
          if (measure != null) {
            p.publishNow(at, coordinator, new MeasureStarted(measure));
          } else if (!ips) {
            p.publishNow(at, staff(StaffRole.JOB_SPECIALIST, TRYSIL_JOB_SPECIALIST),
                new ServiceStarted(SupportService.JOB_SUPPORT_IPS, TRYSIL_JOB_SPECIALIST));
          }
          if (ips || measure == null) {
            p.publishNow(exitAt, staff(StaffRole.JOB_SPECIALIST, TRYSIL_JOB_SPECIALIST),
                new ServiceEnded(SupportService.JOB_SUPPORT_IPS, TRYSIL_JOB_SPECIALIST));
          }
          p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.ANOTHER_MEASURE));
        }
        case MOVED -> {
          p.publishNow(at, coordinator, new ParticipantMoved(rnd.nextBoolean() ? "3403" : null));
          p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.MOVED));
        }
        case DISABILITY -> {
          p.publishNow(at, staff(StaffRole.COUNSELLOR, TRYSIL_COUNSELLORS[0]), new BenefitGranted(Benefit.DISABILITY));
          p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.DISABILITY_BENEFIT));
        }
        case NO_ACTIVITY_MEASURE_ENDED -> {
          // work training that ended without anything after it; the start was registered only
          // after the end (out of order), and sent twice
          FollowUpEvent start = p.event(at.minus(days(120)), coordinator, new MeasureStarted(Measure.WORK_TRAINING));
          FollowUpEvent end = p.event(at, coordinator, new MeasureEnded(Measure.WORK_TRAINING));
          publish(end, end.getRecordedAt());
          FollowUpEvent lateStart = publishRecordedLate(start, end.getRecordedAt().plus(days(1)));
          publish(lateStart, lateStart.getRecordedAt().plus(days(1)));
          p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.OTHER));
        }
        case NO_ACTIVITY_NON_ATTENDANCE ->
            p.publishNow(exitAt, coordinator, new ParticipantExited(ExitReason.NON_ATTENDANCE));
        default -> throw new IllegalStateException("unhandled outcome " + outcome);
      }
    }

    // ----- other offices, active now -------------------------------------------------------------

    void otherOffices() {
      int ipsOverCap = 0;
      int ipsWithin = 0;
      String[] gjovikCoordinators = {GJOVIK_COORDINATOR, GJOVIK_COORDINATOR_2};
      // Gjøvik: 24 participants, the first 6 already exited
      for (int i = 0; i < 24; i++) {
        TargetGroup group = i % 2 == 0 ? TargetGroup.YOUTH_UNDER_30 : TargetGroup.REFUGEE_WOMEN;
        ExitReason exit = i < 6 ? new ExitReason[] {ExitReason.ORDINARY_WORK, ExitReason.ORDINARY_WORK,
            ExitReason.ORDINARY_WORK, ExitReason.EDUCATION, ExitReason.HEALTH_BENEFIT_AAP, ExitReason.KVP}[i] : null;
        String ips = null;
        if (exit == null) {
          if (ipsOverCap < 12) {
            ips = JOB_SPECIALIST_OVER_CAP;
            ipsOverCap++;
          } else if (ipsWithin < 6) {
            ips = JOB_SPECIALIST_WITHIN;
            ipsWithin++;
          }
        }
        activeOfficeParticipant(i, GJOVIK_OFFICE, GJOVIK_COHORT, gjovikCoordinators[i % 2],
            GJOVIK_COUNSELLORS[i % GJOVIK_COUNSELLORS.length], List.of(group), exit, ips);
      }
      // Valdres: 20 participants, the first 2 already exited
      for (int i = 0; i < 20; i++) {
        TargetGroup group = switch (i % 3) {
          case 0 -> TargetGroup.IMMIGRANTS;
          case 1 -> TargetGroup.DIFFUSE_HEALTH_COMPLAINTS;
          default -> TargetGroup.LONG_TERM_SOCIAL_ASSISTANCE;
        };
        ExitReason exit = i == 0 ? ExitReason.MOVED : i == 1 ? ExitReason.PARENTAL_LEAVE : null;
        String ips = null;
        if (exit == null) {
          if (ipsOverCap < 21) {
            ips = JOB_SPECIALIST_OVER_CAP;
            ipsOverCap++;
          } else if (ipsWithin < 12) {
            ips = JOB_SPECIALIST_WITHIN;
            ipsWithin++;
          }
        }
        activeOfficeParticipant(100 + i, VALDRES_OFFICE, VALDRES_COHORT, VALDRES_COORDINATOR,
            VALDRES_COUNSELLORS[i % VALDRES_COUNSELLORS.length], List.of(group), exit, ips);
      }
    }

    /**
     * A participant of an ongoing project. {@code n} picks the special touches: meetings today
     * (n % 7 == 2), tomorrow (n % 7 == 3), recent misses (n % 9 == 4), no contact for 18 days (n == 105).
     */
    private void activeOfficeParticipant(int n, String office, String cohort, String coordinatorId, String counsellor,
        List<TargetGroup> groups, ExitReason exit, String ipsSpecialist) {
      Person p = new Person(newId("p-"), office, cohort, coordinatorId);
      Actor coordinator = staff(StaffRole.ACTIVITY_COORDINATOR, coordinatorId);
      boolean exited = exit != null;
      int daysAgo = exited ? 260 + rnd.nextInt(70) : 40 + rnd.nextInt(260);
      if (ipsSpecialist != null && n % 5 == 4) {
        daysAgo = 12 + rnd.nextInt(10); // recently enrolled, straight to job support
      }
      Instant enrolled = atOslo(localDate(now).minusDays(daysAgo), 9 + rnd.nextInt(5));
      Instant exitAt = exited ? atOslo(localDate(now).minusDays(20 + rnd.nextInt(60)), 12) : null;
      boolean noContact = n == 105;
      boolean recentMisses = !exited && n % 9 == 4;
      Instant followUpEnd = exited ? exitAt : noContact ? now.minus(days(18)) : now.minus(days(1));

      p.publishNow(enrolled, staff(StaffRole.COUNSELLOR, counsellor),
          new ParticipantEnrolled(groups, coordinatorId, counsellor));
      Instant firstMeeting = atOslo(localDate(enrolled).plusDays(3), 10);
      if (firstMeeting.isBefore(followUpEnd)) {
        meeting(p, enrolled.plus(Duration.ofHours(1)), firstMeeting, MeetingKind.OFFICE, true);
      }
      Instant mapping = enrolled.plus(days(8 + rnd.nextInt(5)));
      if (mapping.isBefore(followUpEnd)) {
        MappingInstrument tool = n % 3 == 0 ? MappingInstrument.INFLOW24 : MappingInstrument.MAYERS_LIFE_SITUATION_FORM;
        p.publishNow(mapping, coordinator, new MappingCompleted(tool));
        if (rnd.nextInt(10) < 6) {
          p.publishNow(mapping.plus(Duration.ofHours(1)), coordinator, score(14 + rnd.nextInt(12)));
        }
      }
      if (n % 2 == 1 && enrolled.plus(days(30)).isBefore(followUpEnd)) {
        p.publishNow(enrolled.plus(days(30)), coordinator, new IndividualPlanStarted());
      }
      if (n % 4 == 1 && enrolled.plus(days(20)).isBefore(followUpEnd)) {
        p.publishNow(enrolled.plus(days(20)), staff(StaffRole.HEALTH_SUPPORT, HEALTH_SUPPORT_NURSE),
            new ServiceStarted(SupportService.HEALTH_SUPPORT, HEALTH_SUPPORT_NURSE));
      }
      if (ipsSpecialist != null) {
        Instant ipsStart = min(enrolled.plus(days(25)), now.minus(days(2)));
        p.publishNow(ipsStart, staff(StaffRole.JOB_SPECIALIST, ipsSpecialist),
            new ServiceStarted(SupportService.JOB_SUPPORT_IPS, ipsSpecialist));
      }
      if (!exited && n % 6 == 0 && enrolled.plus(days(70)).isBefore(now)) {
        p.publishNow(enrolled.plus(days(70)), coordinator, new MeasureStarted(n % 12 == 0 ? Measure.AFT : Measure.JOB_CENTRE));
      }

      Instant meetingsEnd = recentMisses ? now.minus(days(24)) : followUpEnd;
      regularMeetings(p, firstMeeting.plus(days(10)), meetingsEnd, 9, 16, 0.12);
      if (recentMisses) {
        // drifting: the last three meetings missed (one of them recorded twice)
        meeting(p, now.minus(days(24)), atOslo(localDate(now).minusDays(17), 13), MeetingKind.OFFICE, false);
        meeting(p, now.minus(days(15)), atOslo(localDate(now).minusDays(9), 10), MeetingKind.WALK_AND_TALK, false);
        FollowUpEvent missed = meeting(p, now.minus(days(7)), atOslo(localDate(now).minusDays(3), 11), MeetingKind.OFFICE, false);
        publish(missed, missed.getRecordedAt().plus(Duration.ofMinutes(30)));
      }
      if (noContact) {
        p.publishNow(now.minus(days(9)), coordinator, new ContactMade(ContactChannel.PHONE, false));
        p.publishNow(now.minus(days(4)), coordinator, new ContactMade(ContactChannel.SMS, false));
      }

      if (exited) {
        exitOutcome(p, coordinator, exit, exitAt, ipsSpecialist);
        return;
      }
      if (!noContact) {
        upcomingMeeting(p, n);
      }
    }

    private void exitOutcome(Person p, Actor coordinator, ExitReason exit, Instant exitAt, String ipsSpecialist) {
      Instant at = exitAt.minus(days(7));
      switch (exit) {
        case ORDINARY_WORK -> p.publishNow(at, coordinator, new JobStarted(JobKind.ORDINARY, 30 + rnd.nextInt(8)));
        case EDUCATION -> p.publishNow(at, coordinator, new EducationStarted(EducationKind.VOCATIONAL));
        case HEALTH_BENEFIT_AAP -> p.publishNow(at, coordinator, new BenefitGranted(Benefit.AAP));
        case KVP -> p.publishNow(at, coordinator, new MeasureStarted(Measure.KVP));
        case MOVED -> p.publishNow(at, coordinator, new ParticipantMoved(null));
        default -> { /* parental leave: nothing before the exit itself */ }
      }
      if (ipsSpecialist != null) {
        p.publishNow(exitAt, staff(StaffRole.JOB_SPECIALIST, ipsSpecialist),
            new ServiceEnded(SupportService.JOB_SUPPORT_IPS, ipsSpecialist));
      }
      p.publishNow(exitAt, coordinator, new ParticipantExited(exit));
    }

    /** A meeting today, tomorrow or within the next week (Europe/Oslo), scheduled a few days ago. */
    private void upcomingMeeting(Person p, int n) {
      LocalDate today = localDate(now);
      int[] hours = {9, 10, 11, 13, 14};
      LocalDate day = switch (n % 7) {
        case 2 -> today;
        case 3 -> today.plusDays(1);
        default -> today.plusDays(2 + rnd.nextInt(6));
      };
      Instant startsAt = atOslo(day, hours[rnd.nextInt(hours.length)]).plus(Duration.ofMinutes(rnd.nextBoolean() ? 0 : 30));
      Instant scheduledAt = now.minus(Duration.ofHours(6 + rnd.nextInt(60)));
      MeetingKind kind = n % 5 == 0 ? MeetingKind.HOME_VISIT : MeetingKind.OFFICE;
      p.publishNow(scheduledAt, p.coordinator(), new MeetingScheduled(newId("m-"), startsAt, kind));
    }

    // ----- building blocks -----------------------------------------------------------------------

    /** Meetings from {@code from} to {@code until}, {@code minGap}-{@code maxGap} days apart. */
    private void regularMeetings(Person p, Instant from, Instant until, int minGap, int maxGap, double missRate) {
      Instant startsAt = from;
      while (startsAt.isBefore(until.minus(days(1)))) {
        boolean attended = rnd.nextDouble() >= missRate;
        MeetingKind kind = rnd.nextInt(6) == 0 ? MeetingKind.WALK_AND_TALK : MeetingKind.OFFICE;
        meeting(p, startsAt.minus(days(7)), startsAt, kind, attended);
        if (!attended && rnd.nextBoolean()) {
          Instant visit = startsAt.plus(days(3));
          if (visit.isBefore(until)) {
            // offered after a miss: the participant sees the activity duty is taken seriously
            p.publishNow(visit, p.coordinator(), new HomeVisitCompleted(null));
          }
        } else if (rnd.nextInt(4) == 0 && startsAt.plus(days(5)).isBefore(until)) {
          p.publishNow(startsAt.plus(days(5)), p.coordinator(), new ContactMade(ContactChannel.SMS, true));
        }
        startsAt = startsAt.plus(days(minGap + rnd.nextInt(maxGap - minGap + 1)));
      }
    }

    /** Schedules a meeting and records its outcome; returns the outcome event. */
    private FollowUpEvent meeting(Person p, Instant scheduledAt, Instant startsAt, MeetingKind kind, boolean attended) {
      String meetingId = newId("m-");
      p.publishNow(min(scheduledAt, startsAt.minus(Duration.ofHours(1))), p.coordinator(),
          new MeetingScheduled(meetingId, startsAt, kind));
      Instant outcomeAt = startsAt.plus(Duration.ofMinutes(45));
      return p.publishNow(outcomeAt, p.coordinator(), attended ? new MeetingAttended(meetingId) : new MeetingMissed(meetingId));
    }

    /** Seven items between 1 and 5 adding up to {@code sum}. */
    private FunctionScoreRecorded score(int sum) {
      int[] items = {1, 1, 1, 1, 1, 1, 1};
      int left = sum - 7;
      while (left > 0) {
        int i = rnd.nextInt(7);
        if (items[i] < 5) {
          items[i]++;
          left--;
        }
      }
      return new FunctionScoreRecorded(items[0], items[1], items[2], items[3], items[4], items[5], items[6]);
    }

    private Instant recorded(Instant occurredAt) {
      // staff register within minutes to two days; never in the future
      Instant at = occurredAt.plus(Duration.ofMinutes(5 + rnd.nextInt(60 * 48)));
      return at.isAfter(now) ? now : at;
    }

    /** Publishes an event registered late: its recordedAt becomes {@code recordedAt}. */
    private FollowUpEvent publishRecordedLate(FollowUpEvent event, Instant recordedAt) {
      Instant at = recordedAt.isAfter(now) ? now : recordedAt;
      FollowUpEvent late = FollowUpEvent.newBuilder(event).setRecordedAt(at).build();
      publish(late, at);
      return late;
    }

    private void publish(FollowUpEvent event, Instant at) {
      if (event.getRecordedAt().isAfter(at)) {
        // a re-send of an already recorded event keeps its recordedAt
        at = event.getRecordedAt();
      }
      publications.add(new Publication(at, sequence++, event));
    }

    private String newId(String prefix) {
      String id;
      do {
        id = prefix + String.format("%010x", rnd.nextLong() & 0xFFFFFFFFFFL);
      } while (!ids.add(id));
      return id;
    }

    private UUID uuid() {
      long msb = (rnd.nextLong() & ~0xF000L) | 0x4000L;
      long lsb = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(msb, lsb);
    }

    private Actor coordinator() {
      return staff(StaffRole.ACTIVITY_COORDINATOR, TRYSIL_COORDINATOR);
    }

    /** Events of one participant. */
    private final class Person {
      final String participantId;
      final String officeId;
      final String cohortId;
      final String coordinatorId;

      Person(String participantId, String officeId, String cohortId, String coordinatorId) {
        this.participantId = participantId;
        this.officeId = officeId;
        this.cohortId = cohortId;
        this.coordinatorId = coordinatorId;
      }

      Actor coordinator() {
        return staff(StaffRole.ACTIVITY_COORDINATOR, coordinatorId);
      }

      /** An event with a recordedAt a little after it occurred (it is not published yet). */
      FollowUpEvent event(Instant occurredAt, Actor actor, Object payload) {
        Instant at = occurredAt.isAfter(now) ? now : occurredAt;
        return FollowUpEvent.newBuilder()
            .setEventId(uuid())
            .setParticipantId(participantId)
            .setOfficeId(officeId)
            .setActor(actor)
            .setOccurredAt(at)
            .setRecordedAt(recorded(at))
            .setCohortId(cohortId)
            .setPayload(payload)
            .build();
      }

      /** An event published when it is recorded. */
      FollowUpEvent publishNow(Instant occurredAt, Actor actor, Object payload) {
        FollowUpEvent e = event(occurredAt, actor, payload);
        publish(e, e.getRecordedAt());
        return e;
      }
    }
  }

  private static Actor staff(StaffRole role, String staffId) {
    return new Actor(role, staffId);
  }

  private static Duration days(long n) {
    return Duration.ofDays(n);
  }

  private static LocalDate localDate(Instant instant) {
    return LocalDate.ofInstant(instant, OSLO);
  }

  private static Instant atOslo(LocalDate date, int hour) {
    return ZonedDateTime.of(date, LocalTime.of(hour, 0), OSLO).toInstant();
  }

  private static Instant day(int year, int month, int day, int hour, int minute) {
    return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, OSLO).toInstant();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
