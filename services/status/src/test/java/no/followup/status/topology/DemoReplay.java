package no.followup.status.topology;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.followup.events.FollowUpEvent;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;

/** Replays a list of events through the topology in a TopologyTestDriver (for tests of other packages). */
public final class DemoReplay implements AutoCloseable {

  private final TopologyFixture fixture;

  public DemoReplay(Path stateDir, Instant now) {
    this.fixture = new TopologyFixture(stateDir, now);
  }

  public void replay(List<FollowUpEvent> events) {
    fixture.pipe(events);
  }

  public Tally tally(String key) {
    return fixture.tallyTopic().get(key);
  }

  public Map<String, ParticipantStatus> status() {
    return fixture.statusTopic();
  }

  @Override
  public void close() {
    fixture.close();
  }
}
