package no.followup.status.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import no.followup.events.CohortDefined;
import no.followup.events.DeclineReason;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantReferred;
import no.followup.events.ReferralDeclined;
import no.followup.events.ReferralSource;
import no.followup.events.TargetGroup;
import no.followup.status.ExpectedTallies;
import no.followup.status.Tally;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cohorts defined by events: their goals reach the cohort and cohort-group tallies, in any order. */
class CohortTopologyTest {

  private static final Instant NOW = TestEvents.day(400);

  private static FollowUpEvent definition(double day, double goal) {
    TestEvents cohort = new TestEvents("cohort:gjovik", "3407", "gjovik");
    return cohort.at(day, new CohortDefined("Gjøvik", List.of("3407"), List.of(TargetGroup.YOUTH_UNDER_30,
        TargetGroup.REFUGEE_WOMEN), LocalDate.of(2024, 1, 1), LocalDate.of(2025, 12, 31), goal,
        List.of(LocalDate.of(2024, 12, 31))));
  }

  /** Five taken in (one a youth), two into work: goal share 2/5; plus a referral declined. */
  private static List<FollowUpEvent> participants() {
    List<FollowUpEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestEvents p = new TestEvents("p-" + i, "3407", "gjovik");
      events.add(p.at(1, new ParticipantReferred(List.of(TargetGroup.REFUGEE_WOMEN), ReferralSource.COUNSELLOR)));
      events.add(p.enrolled(2, "s-c1", i == 0 ? TargetGroup.YOUTH_UNDER_30 : TargetGroup.REFUGEE_WOMEN));
      if (i < 2) {
        events.add(p.at(100, new ParticipantExited(ExitReason.ORDINARY_WORK)));
      }
    }
    TestEvents declined = new TestEvents("p-9", "3407", "gjovik");
    events.add(declined.at(1, new ParticipantReferred(List.of(), ReferralSource.HEALTH_SERVICE)));
    events.add(declined.at(5, new ReferralDeclined(DeclineReason.NOT_IN_TARGET_GROUP)));
    return events;
  }

  @Test
  void theGoalComesFromTheCohortsDefinitionWhateverTheOrder(@TempDir Path stateDir) {
    List<FollowUpEvent> events = new ArrayList<>(participants());
    events.add(definition(0, 0.6));
    events.add(definition(200, 0.5));
    Random random = new Random(3);
    for (int run = 0; run < 4; run++) {
      Collections.shuffle(events, random);
      try (TopologyFixture f = new TopologyFixture(stateDir.resolve("run" + run), NOW)) {
        f.pipe(events);
        Map<String, Tally> tallies = f.tallyTopic();
        Tally cohort = tallies.get("cohort:gjovik");
        assertThat(cohort.getGoal()).as("the version defined last counts, in any arrival order").isEqualTo(0.5);
        assertThat(cohort.getCohort().getName()).isEqualTo("Gjøvik");
        assertThat(cohort.getCohort().getReportingDates()).containsExactly(LocalDate.of(2024, 12, 31));
        assertThat(cohort.getParticipants()).isEqualTo(5);
        assertThat(cohort.getGoalShare()).isEqualTo(2 / 5.0);
        assertThat(cohort.getGoalMet()).isFalse();
        assertThat(cohort.getReferred()).isEqualTo(6);
        assertThat(cohort.getReferralsDeclined()).isEqualTo(1);
        assertThat(cohort.getAwaitingEnrolment()).isZero();
        Tally refugeeWomen = tallies.get("cohort-group:gjovik|REFUGEE_WOMEN");
        assertThat(refugeeWomen.getGoal()).isEqualTo(0.5);
        assertThat(refugeeWomen.getParticipants()).isEqualTo(4);
        assertThat(tallies.get("cohort-group:gjovik|YOUTH_UNDER_30").getGoal()).isEqualTo(0.5);
        assertThat(tallies.get("office:3407").getGoal()).isNull();
        assertThat(tallies).as("a definition is no participant").doesNotContainKey("office:cohort:gjovik")
            .isEqualTo(ExpectedTallies.tallies(events, NOW, TopologyFixture.OSLO));
      }
    }
  }

  @Test
  void aDefinedCohortWithoutParticipantsHasATallyAndAnUndefinedOneNone(@TempDir Path stateDir) {
    try (TopologyFixture f = new TopologyFixture(stateDir, NOW)) {
      f.pipe(definition(0, 0.6));
      Tally empty = f.tallyTopic().get("cohort:gjovik");
      assertThat(empty.getParticipants()).isZero();
      assertThat(empty.getGoal()).isEqualTo(0.6);
      assertThat(empty.getGoalShare()).isNull();
      TestEvents other = new TestEvents("p-1", "3421", "optimist");
      f.pipe(other.enrolled(1, "s-c1", TargetGroup.OTHER));
      assertThat(f.tallyTopic().get("cohort:optimist").getGoal()).isNull();
      assertThat(f.tallyTopic().get("cohort:optimist").getCohort()).isNull();
      assertThat(f.statusTopic()).containsOnlyKeys("p-1");
    }
  }

  @Test
  void aDefinitionNotKeyedByItsCohortGoesToTheDeadLetterTopic(@TempDir Path stateDir) {
    try (TopologyFixture f = new TopologyFixture(stateDir, NOW)) {
      FollowUpEvent wrongKey = FollowUpEvent.newBuilder(definition(0, 0.6)).setParticipantId("cohort:valdres").build();
      f.pipe(wrongKey);
      assertThat(f.deadLetters.readRecordsToList()).hasSize(1);
      f.pipe(definition(1, 0.6));
      assertThat(f.tallyTopic().get("cohort:gjovik").getGoal()).isEqualTo(0.6);
    }
  }
}
