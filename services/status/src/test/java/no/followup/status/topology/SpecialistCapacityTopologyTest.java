package no.followup.status.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import no.followup.events.FollowUpEvent;
import no.followup.events.ServiceStarted;
import no.followup.events.SpecialistCapacitySet;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.status.Caseload;
import no.followup.status.CaseloadFlag;
import no.followup.status.Tally;
import no.followup.status.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job specialist's capacity (SpecialistCapacitySet, keyed by the specialist) scales their 12-20 range in
 * their own tally, whatever order the capacities arrive in; the last to occur counts.
 */
class SpecialistCapacityTopologyTest {

  private static final Instant NOW = TestEvents.day(400);
  private static final TestEvents SPECIALIST = new TestEvents("specialist:s-j1", "3407", null);

  /** {@code n} participants, each with open IPS with s-j1. */
  private static List<FollowUpEvent> followedBySpecialist(int from, int n) {
    List<FollowUpEvent> events = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      TestEvents p = new TestEvents("p-" + i, "3407", null);
      events.add(p.enrolled(2, "s-c1", TargetGroup.YOUTH_UNDER_30));
      events.add(p.at(3, new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-j1")));
    }
    return events;
  }

  private static Caseload caseload(Tally tally) {
    return tally.getJobSpecialistCaseloads().stream().filter(c -> c.getSpecialistId().equals("s-j1")).findFirst()
        .orElseThrow();
  }

  @Test
  void theLatestCapacityScalesTheSpecialistsOwnRange(@TempDir Path stateDir) {
    List<FollowUpEvent> events = new ArrayList<>(followedBySpecialist(0, 7));
    events.add(SPECIALIST.at(5, new SpecialistCapacitySet("s-j1", 1.0)));
    events.add(SPECIALIST.at(10, new SpecialistCapacitySet("s-j1", 0.5)));
    Random random = new Random(5);
    for (int run = 0; run < 3; run++) {
      Collections.shuffle(events, random);
      try (TopologyFixture f = new TopologyFixture(stateDir.resolve("run" + run), NOW)) {
        f.pipe(events);
        Caseload own = caseload(f.tallyTopic().get("specialist:s-j1"));
        assertThat(own.getFteShare()).as("set at day 10, after the full position of day 5").isEqualTo(0.5);
        assertThat(List.of(own.getRangeMin(), own.getRangeCap())).containsExactly(6, 10);
        assertThat(own.getCaseload()).isEqualTo(7);
        assertThat(own.getFlag()).as("7 is under 12-20 but within 6-10").isEqualTo(CaseloadFlag.WITHIN_RANGE);

        f.pipe(followedBySpecialist(7, 4));
        own = caseload(f.tallyTopic().get("specialist:s-j1"));
        assertThat(own.getFlag()).as("11 is over a half position's 10").isEqualTo(CaseloadFlag.OVER_CAP);
        Caseload inOffice = caseload(f.tallyTopic().get("office:3407"));
        assertThat(inOffice.getFteShare()).as("only the specialist's own tally holds the whole caseload").isNull();
        assertThat(inOffice.getFlag()).isEqualTo(CaseloadFlag.UNDER_RANGE);
      }
    }
  }
}
