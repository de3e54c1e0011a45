package no.followup.status.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.TestEvents;
import no.followup.status.http.ParticipantTimeline;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participant page's timeline read from the fold's rows: one participant's distinct events, newest first. */
class EventRowsTest {

  @TempDir Path stateDir;
  private TopologyFixture f;
  private final SpecificAvroSerde<FollowUpEvent> serde = new SpecificAvroSerde<>(FollowUpEvent.class);

  @BeforeEach
  void start() {
    f = new TopologyFixture(stateDir, TestEvents.day(30));
    serde.configure(Map.of("schema.registry.url", "mock://status-test"), false);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void newestFirstInFoldOrderWithoutDuplicatesOrOtherParticipants() {
    TestEvents p1 = new TestEvents("p-1", "3421", "optimist");
    TestEvents p12 = new TestEvents("p-12", "3421", "optimist");
    FollowUpEvent enrolled = p1.enrolled(0, "s-c1", TargetGroup.OTHER);
    FollowUpEvent scheduled = p1.at(1, new MeetingScheduled("m-1", TestEvents.day(3), MeetingKind.OFFICE));
    FollowUpEvent attended = p1.at(3, new MeetingAttended("m-1"));
    FollowUpEvent late = p1.at(2, 5, new MeetingScheduled("m-2", TestEvents.day(6), MeetingKind.GROUP)); // recorded last
    f.pipe(List.of(enrolled, p12.enrolled(0.5, "s-c2", TargetGroup.OTHER), scheduled, attended, late, attended));

    KeyValueStore<Bytes, byte[]> rows = f.driver.getKeyValueStore(StatusTopology.EVENTS_STORE);
    List<String> ids = EventRows.newestFirst(rows, "p-1", 10).stream()
        .map(row -> serde.deserializer().deserialize(Topics.EVENTS.name(), row).getEventId().toString()).toList();

    assertThat(ids).containsExactly(attended.getEventId().toString(), late.getEventId().toString(),
        scheduled.getEventId().toString(), enrolled.getEventId().toString());
    assertThat(EventRows.newestFirst(rows, "p-1", 2)).hasSize(2);
    assertThat(EventRows.newestFirst(rows, "p-12", 10)).hasSize(1);
    assertThat(EventRows.newestFirst(rows, "p-none", 10)).isEmpty();
  }

  @Test
  void aMeasurementCarriesItsAverageAsTheStatusRulesDefineIt() {
    TestEvents p = new TestEvents("p-1", "3421", "optimist");
    Map<String, Object> json = ParticipantTimeline.json(p.at(1, TestEvents.score(18)));

    assertThat(json.get("type")).isEqualTo("FunctionScoreRecorded");
    @SuppressWarnings("unchecked")
    Map<String, Object> payload = (Map<String, Object>) json.get("payload");
    assertThat((double) payload.get("average")).isEqualTo(18 / 7.0);
    assertThat(payload).containsKeys("physicalFitness", "pain");
    assertThat(json).containsKeys("eventId", "occurredAt", "recordedAt", "actor").doesNotContainKey("payloadType");
  }
}
