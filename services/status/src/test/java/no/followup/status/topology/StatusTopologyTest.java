package no.followup.status.topology;

import static no.followup.status.TestEvents.score;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import no.followup.common.Topics;
import no.followup.common.streams.DeadLetters;
import no.followup.events.Benefit;
import no.followup.events.BenefitGranted;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
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
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.HandCountedOffice;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.Situation;
import no.followup.status.Tally;
import no.followup.status.TestEvents;
import no.followup.status.rules.StatusRules;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTopologyTest {

  private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");

  @TempDir Path stateDir;
  private TopologyFixture f;
  private final TestEvents a = new TestEvents("p-a1", "3421", "optimist");

  @BeforeEach
  void start() {
    f = new TopologyFixture(stateDir, NOW);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void statusAndTalliesFollowTheEvents() {
    f.pipe(a.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30));
    f.pipe(a.at(5, new MeasureStarted(Measure.AFT)));

    ParticipantStatus status = f.statusTopic().get("p-a1");
    assertThat(status.getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
    assertThat(status.getPhase()).isEqualTo(Phase.IN_MEASURE);
    Map<String, Tally> tallies = f.tallyTopic();
    assertThat(tallies).containsOnlyKeys("office:3421", "cohort:optimist", "coordinator:s-c1",
        "cohort-group:optimist|YOUTH_UNDER_30");
    Tally cohort = tallies.get("cohort:optimist");
    assertThat(cohort.getBySituation()).containsEntry("MEASURE_OR_ACTIVITY", 1L).containsEntry("NO_REGULAR_ACTIVITY", 0L);
    assertThat(cohort.getGoal()).as("no CohortDefined: no goal").isNull();
    assertThat(TestEvents.content(f.statusStore().get("p-a1"))).isEqualTo(TestEvents.content(status));
  }

  @Test
  void aDuplicateChangesNothingAndEmitsNothing() {
    FollowUpEvent enrolled = a.enrolled(0, "s-c1", TargetGroup.OTHER);
    FollowUpEvent start = a.at(5, new MeasureStarted(Measure.AFT));
    FollowUpEvent end = a.at(9, new MeasureEnded(Measure.AFT));
    f.pipe(List.of(enrolled, start, end));
    f.statusTopic();
    f.tallyTopic();

    f.pipe(start); // re-sent: if applied twice, a measure would stay open
    f.pipe(enrolled);

    assertThat(f.statuses.isEmpty()).isTrue();
    f.countAndPublishTallies(); // whatever is pending is published now
    assertThat(f.tallies.isEmpty()).isTrue();
    assertThat(f.statusStore().get("p-a1").getSituation()).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    assertThat(f.eventRows("p-a1")).hasSize(3);
  }

  @Test
  void lateAndOutOfOrderEventsAreAppliedInOccurrenceOrder() {
    f.pipe(a.enrolled(0, "s-c1", TargetGroup.OTHER));
    // the end of a measure arrives before its start; the second COOP score before the first
    f.pipe(a.at(40, new MeasureEnded(Measure.WORK_TRAINING)));
    f.pipe(a.at(60, score(15)));
    f.pipe(a.at(10, 70, new MeasureStarted(Measure.WORK_TRAINING)));
    f.pipe(a.at(8, 75, score(22)));

    ParticipantStatus s = f.statusTopic().get("p-a1");
    assertThat(s.getSituation()).isEqualTo(Situation.NO_REGULAR_ACTIVITY);
    assertThat(s.getFirstScore().getItemSum()).isEqualTo(22);
    assertThat(s.getLatestScore().getItemSum()).isEqualTo(15);
    Tally t = f.tallyTopic().get("office:3421");
    assertThat(t.getCoopWonca().getImproved()).isEqualTo(1);
    assertThat(t.getBySituation()).containsEntry("NO_REGULAR_ACTIVITY", 1L).containsEntry("MEASURE_OR_ACTIVITY", 0L);
    // the rows keep the events in occurrence order
    assertThat(f.eventRows("p-a1")).extracting(FollowUpEvent::getOccurredAt).isSorted();
  }

  @Test
  void eventsForAnUnknownParticipantAreKeptAndAppliedWhenTheEnrolmentArrives() {
    f.pipe(a.at(3, new MeetingAttended("m1")));
    f.pipe(a.at(5, new JobStarted(JobKind.APPRENTICESHIP, 30)));
    ParticipantStatus waiting = f.statusTopic().get("p-a1");
    assertThat(waiting.getPhase()).isEqualTo(Phase.AWAITING_ENROLMENT);
    assertThat(f.tallyTopic().get("office:3421").getAwaitingEnrolment()).isEqualTo(1);
    assertThat(f.tallyTopic().get("office:3421").getParticipants()).isZero();

    f.pipe(a.at(1, 6, new no.followup.events.ParticipantEnrolled(List.of(TargetGroup.IMMIGRANTS), "s-c1", null)));
    ParticipantStatus enrolled = f.statusTopic().get("p-a1");
    assertThat(enrolled.getSituation()).isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
    assertThat(enrolled.getMeetingsAttended()).isEqualTo(1);
    Tally office = f.tallyTopic().get("office:3421");
    assertThat(office.getAwaitingEnrolment()).isZero();
    assertThat(office.getParticipants()).isEqualTo(1);
    assertThat(office.getBySituation()).containsEntry("JOB_OR_APPRENTICESHIP", 1L);
  }

  @Test
  void erasureTombstonesTheStatusRetractsEveryTallyAndEmptiesTheStores() {
    TestEvents b = new TestEvents("p-b2", "3421", "optimist");
    f.pipe(List.of(a.enrolled(0, "s-c1", TargetGroup.YOUTH_UNDER_30),
        a.at(4, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1")), a.at(9, score(20)), a.at(90, score(15))));
    f.pipe(List.of(b.enrolled(0, "s-c2", TargetGroup.IMMIGRANTS), b.at(20, new JobStarted(JobKind.ORDINARY, 37))));
    assertThat(f.tallyTopic().get("office:3421").getParticipants()).isEqualTo(2);

    f.pipe(a.at(100, new ParticipantErased()));

    assertThat(f.statusTopic()).containsOnlyKeys("p-b2");
    Map<String, Tally> tallies = f.tallyTopic();
    // keys only p-a1 counted in are gone (tombstoned); shared ones no longer count it
    assertThat(tallies).containsOnlyKeys("office:3421", "cohort:optimist", "coordinator:s-c2",
        "cohort-group:optimist|IMMIGRANTS");
    Tally office = tallies.get("office:3421");
    assertThat(office.getParticipants()).isEqualTo(1);
    assertThat(office.getCoopWonca().getPairs()).isZero();
    assertThat(office.getJobSpecialistCaseloads()).isEmpty();
    assertThat(f.statusStore().get("p-a1")).isNull();
    assertThat(f.eventRows("p-a1")).isEmpty();
    assertThat(f.rowCount(StatusTopology.EVENT_IDS_STORE, "p-a1", FoldKeys.EVENT_ID_BYTES)).isZero();
    assertThat(f.foldStore().get("p-a1").getErasedAt()).isNotNull();
    assertThat(f.foldStore().get("p-a1").getFold()).isNull();
    assertThat(f.tallyStore().get("specialist:s-j1")).isNull();
    assertThat(f.tallyStore().get("coordinator:s-c1")).isNull();

    // a late event for the erased participant does not bring them back
    f.pipe(a.at(50, new MeetingAttended("m9")));
    assertThat(f.statuses.isEmpty()).isTrue();
    f.countAndPublishTallies(); // whatever is pending is published now
    assertThat(f.tallies.isEmpty()).isTrue();
    assertThat(f.statusStore().get("p-a1")).isNull();
  }

  @Test
  void anUndecodableRecordGoesToDeadLettersWithoutItsPayloadAndProcessingGoesOn() {
    byte[] garbage = "pain=5;feelings=4 not avro".getBytes(StandardCharsets.UTF_8);
    f.rawEvents.pipeInput("p-a1", garbage);
    f.pipe(a.enrolled(0, "s-c1", TargetGroup.OTHER));

    List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
    assertThat(dead).hasSize(1);
    TestRecord<byte[], byte[]> pointer = dead.get(0);
    assertThat(new String(pointer.key(), StandardCharsets.UTF_8)).isEqualTo("p-a1");
    String value = new String(pointer.value(), StandardCharsets.UTF_8);
    assertThat(value).contains("\"sourceTopic\":\"" + Topics.EVENTS.name() + "\"", "\"offset\":0", "\"errorClass\"")
        .doesNotContain("pain=5");
    Headers headers = pointer.headers();
    assertThat(header(headers, DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.EVENTS.name());
    assertThat(header(headers, DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(headers, DeadLetters.HEADER_ERROR_CLASS)).isNotBlank();
    headers.forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("pain=5"));

    // the next record was processed
    assertThat(f.statusTopic()).containsKey("p-a1");
  }

  @Test
  void anEventTheRulesRejectGoesToDeadLettersAndIsNotKept() {
    f.pipe(a.enrolled(0, "s-c1", TargetGroup.OTHER));
    f.statusTopic();
    f.pipe(a.at(5, new FunctionScoreRecorded(5, 5, 9, 5, 5, 5, 5)));
    FollowUpEvent wrongKey = a.at(6, new MeetingAttended("m1"));
    f.events.pipeInput("p-someone-else", wrongKey);
    f.pipe(a.at(7, new MeasureStarted(Measure.IPS)));

    List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0).headers(), DeadLetters.HEADER_ERROR_CLASS))
        .isEqualTo("no.followup.status.rules.InvalidEventException");
    assertThat(header(dead.get(0).headers(), DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("1");
    assertThat(header(dead.get(1).headers(), DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo("2");
    assertThat(f.eventRows("p-a1")).hasSize(2);
    assertThat(f.statusTopic().get("p-a1").getScoreCount()).isZero();
    assertThat(f.statusTopic().get("p-a1").getSituation()).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
  }

  @Test
  void theThirtyDayFiguresMoveWithTheDateAndOldDaysArePruned() {
    // meetings attended 10 and 3 days before NOW
    Instant base = TestEvents.BASE;
    double tenDaysAgo = Duration.between(base, NOW.minus(Duration.ofDays(10))).toMinutes() / (24.0 * 60);
    double threeDaysAgo = Duration.between(base, NOW.minus(Duration.ofDays(3))).toMinutes() / (24.0 * 60);
    f.pipe(List.of(a.enrolled(0, "s-c1", TargetGroup.OTHER), a.at(tenDaysAgo, new MeetingAttended("m1")),
        a.at(threeDaysAgo, new MeetingMissed("m2"))));
    Tally t = f.tallyTopic().get("office:3421");
    assertThat(t.getMeetingsAttendedLast30Days()).isEqualTo(1);
    assertThat(t.getMeetingsMissedLast30Days()).isEqualTo(1);

    // 25 days later the attended meeting has left the window; the punctuator republishes
    f.clock.set(NOW.plus(Duration.ofDays(25)));
    f.driver.advanceWallClockTime(Duration.ofMinutes(11));
    Tally later = f.tallyTopic().get("office:3421");
    assertThat(later.getMeetingsAttendedLast30Days()).isZero();
    assertThat(later.getMeetingsMissedLast30Days()).isEqualTo(1);
    assertThat(later.getMeetingsAttended()).isEqualTo(1); // all-time figures stay
    assertThat(f.tallyStore().get("office:3421").getCounters().keySet())
        .noneMatch(name -> name.startsWith(TallyContributions.DAY_ATTENDED));

    // a status change that retracts the pruned day leaves the tally consistent
    f.pipe(a.at(Duration.between(base, NOW.plus(Duration.ofDays(24))).toMinutes() / (24.0 * 60),
        new ParticipantExited(ExitReason.OTHER)));
    assertThat(f.tallyStore().get("office:3421").getCounters().values()).allMatch(v -> v > 0);
  }

  @Test
  void aSmallOfficeTalliesAsCountedByHandWhateverTheArrivalOrder() {
    List<FollowUpEvent> arrival = new ArrayList<>(HandCountedOffice.events(NOW));
    Collections.reverse(arrival); // every participant's events arrive newest first
    arrival.add(arrival.get(0)); // and one arrives twice
    f.pipe(arrival);

    Map<String, Tally> tallies = f.tallyTopic();
    assertThat(tallies).containsOnlyKeys(HandCountedOffice.TALLY_KEYS);
    HandCountedOffice.assertCountedByHand(tallies.get("office:" + HandCountedOffice.OFFICE));
    HandCountedOffice.assertCountedByHand(tallies.get("cohort:" + HandCountedOffice.COHORT));
    HandCountedOffice.assertSecondCoordinatorCountedByHand(tallies.get("coordinator:" + HandCountedOffice.COORDINATOR_2));
  }

  /**
   * On 1 March 2024 in Oslo (UTC+1) the last 30 days are 1 February to 1 March: the window opens at
   * 2024-01-31T23:00:00Z. At Oslo midnight the window moves on by one day.
   */
  @Test
  void theLast30DaysStartAtOsloMidnight29DaysBeforeToday() {
    Instant windowOpens = Instant.parse("2024-01-31T23:00:00Z");
    f.pipe(List.of(a.enrolled(0, "s-c1", TargetGroup.OTHER),
        occurredAt(a, windowOpens, new MeetingAttended("first-instant-of-the-window")),
        occurredAt(a, windowOpens.minusMillis(1), new MeetingMissed("last-instant-before-it"))));

    Tally t = f.tallyTopic().get("office:3421");
    assertThat(t.getWindowStart()).isEqualTo("2024-02-01");
    assertThat(t.getMeetingsAttendedLast30Days()).isEqualTo(1);
    assertThat(t.getMeetingsMissedLast30Days()).isZero();
    assertThat(t.getMeetingsMissed()).isEqualTo(1); // counted for all time, only not in the window

    // the last moment of 1 March: another participant of the office republishes the tally, same window
    f.clock.set(Instant.parse("2024-03-01T22:59:59.999Z"));
    TestEvents b = new TestEvents("p-b2", "3421", "optimist");
    f.pipe(occurredAt(b, Instant.parse("2024-03-01T22:00:00Z"), new ParticipantEnrolled(List.of(TargetGroup.OTHER), "s-c1", null)));
    Tally lastMoment = f.tallyTopic().get("office:3421");
    assertThat(lastMoment.getParticipants()).isEqualTo(2);
    assertThat(lastMoment.getWindowStart()).isEqualTo("2024-02-01");
    assertThat(lastMoment.getMeetingsAttendedLast30Days()).isEqualTo(1);

    // Oslo midnight: the refresh moves the window to 2 February and 1 February's meeting leaves it
    f.clock.set(Instant.parse("2024-03-01T23:00:00Z"));
    f.driver.advanceWallClockTime(Duration.ofMinutes(11));
    Tally nextDay = f.tallyTopic().get("office:3421");
    assertThat(nextDay.getWindowStart()).isEqualTo("2024-02-02");
    assertThat(nextDay.getMeetingsAttendedLast30Days()).isZero();
    assertThat(nextDay.getMeetingsAttended()).isEqualTo(1);
  }

  /** An event of {@code p} that occurred at an exact instant (recorded a minute later). */
  private static FollowUpEvent occurredAt(TestEvents p, Instant at, Object payload) {
    return FollowUpEvent.newBuilder(p.at(0, payload)).setOccurredAt(at).setRecordedAt(at.plusSeconds(60)).build();
  }

  @Test
  void randomizedTalliesEqualARecountOfTheFinalStatuses() {
    Random random = new Random(20240301L);
    List<FollowUpEvent> all = new ArrayList<>();
    Map<String, List<FollowUpEvent>> byParticipant = new TreeMap<>();
    List<String> erased = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String office = new String[] {"3421", "3407", "3451"}[random.nextInt(3)];
      String cohort = random.nextInt(4) == 0 ? null : new String[] {"optimist", "gjovik"}[random.nextInt(2)];
      TestEvents p = new TestEvents("p-r" + i, office, cohort);
      List<FollowUpEvent> events = randomHistory(p, random);
      byParticipant.put(p.participantId(), events);
      all.addAll(events);
      if (random.nextInt(12) == 0) {
        erased.add(p.participantId());
        all.add(p.at(500, new ParticipantErased()));
      }
    }
    // arrival: shuffled (late, out of order), plus duplicates of 15% of the events
    List<FollowUpEvent> arrival = new ArrayList<>(all);
    for (FollowUpEvent e : all) {
      if (random.nextInt(100) < 15) {
        arrival.add(e);
      }
    }
    Collections.shuffle(arrival, random);
    f.pipe(arrival);

    // statuses are what folding each participant's distinct events gives
    Map<String, ParticipantStatus> statuses = f.statusTopic();
    for (var entry : byParticipant.entrySet()) {
      String id = entry.getKey();
      if (erased.contains(id)) {
        assertThat(statuses).doesNotContainKey(id);
        assertThat(f.statusStore().get(id)).isNull();
      } else {
        assertThat(TestEvents.content(statuses.get(id))).as(id)
            .isEqualTo(TestEvents.content(StatusRules.fold(id, entry.getValue())));
      }
    }

    // tallies equal a recount from the final statuses
    Map<String, Map<String, Long>> recount = new TreeMap<>();
    LocalDate today = LocalDate.ofInstant(NOW, TopologyFixture.OSLO);
    LocalDate windowStart = TallyArithmetic.windowStart(today);
    for (ParticipantStatus s : statuses.values()) {
      TallyContributions.contributions(s, TopologyFixture.OSLO).forEach((key, counters) ->
          recount.merge(key, TallyArithmetic.add(Map.of(), counters, today),
              (x, y) -> TallyArithmetic.add(x, y, today)));
    }
    Map<String, Tally> published = f.tallyTopic();
    assertThat(published.keySet()).isEqualTo(recount.keySet());
    for (var entry : recount.entrySet()) {
      Tally expected = TallyViews.build(entry.getKey(), entry.getValue(), null, NOW, TopologyFixture.OSLO);
      assertThat(published.get(entry.getKey())).as(entry.getKey()).isEqualTo(expected);
      assertThat(TallyArithmetic.prune(f.tallyStore().get(entry.getKey()).getCounters(), windowStart))
          .as(entry.getKey()).isEqualTo(entry.getValue());
    }
    assertThat(recount).containsKeys("office:3421", "office:3407", "office:3451");
    long participants = recount.entrySet().stream().filter(e -> e.getKey().startsWith("office:"))
        .mapToLong(e -> e.getValue().getOrDefault("participants", 0L) + e.getValue().getOrDefault("awaitingEnrolment", 0L))
        .sum();
    assertThat(participants).isEqualTo(60 - erased.size());
  }

  /** A plausible random history: enrolment (sometimes missing), meetings, services, outcomes. */
  private static List<FollowUpEvent> randomHistory(TestEvents p, Random r) {
    List<FollowUpEvent> events = new ArrayList<>();
    // most days fall in the last months before NOW so the 30-day window has data
    double span = Duration.between(TestEvents.BASE, NOW).toDays();
    if (r.nextInt(10) > 0) {
      events.add(p.enrolled(r.nextDouble() * 10, "s-c" + r.nextInt(4), TargetGroup.values()[r.nextInt(5)]));
    }
    int n = 3 + r.nextInt(18);
    for (int i = 0; i < n; i++) {
      double day = r.nextDouble() * span;
      Object payload = switch (r.nextInt(17)) {
        case 0 -> new MappingCompleted(MappingInstrument.values()[r.nextInt(3)]);
        case 1 -> new MeetingScheduled("m" + r.nextInt(6), TestEvents.day(day + 3), MeetingKind.OFFICE);
        case 2, 3 -> new MeetingAttended("m" + r.nextInt(6));
        case 4 -> new MeetingMissed("m" + r.nextInt(6));
        case 5 -> new HomeVisitCompleted(r.nextBoolean() ? null : "m" + r.nextInt(6));
        case 6 -> new ContactMade(ContactChannel.PHONE, r.nextBoolean());
        case 7 -> new ServiceStarted(r.nextBoolean() ? SupportService.JOB_SUPPORT_IPS : SupportService.HEALTH_SUPPORT,
            "s-s" + r.nextInt(3));
        case 8 -> new ServiceEnded(SupportService.JOB_SUPPORT_IPS, "s-s" + r.nextInt(3));
        case 9 -> new MeasureStarted(Measure.values()[r.nextInt(5)]);
        case 10 -> new MeasureEnded(Measure.values()[r.nextInt(5)]);
        case 11 -> r.nextBoolean() ? new JobStarted(JobKind.ORDINARY, null) : new EducationStarted(EducationKind.OTHER);
        case 12 -> new BenefitGranted(Benefit.values()[r.nextInt(3)]);
        case 13 -> score(7 + r.nextInt(29));
        case 14 -> r.nextInt(4) == 0 ? new ParticipantMoved(null) : new IndividualPlanStarted();
        case 15 -> new CoordinatorAssigned("s-c" + r.nextInt(4));
        default -> new ParticipantExited(ExitReason.values()[r.nextInt(ExitReason.values().length)]);
      };
      events.add(p.at(day, day + r.nextDouble() * 20, payload));
    }
    return events;
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
