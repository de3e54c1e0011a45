package no.followup.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.TargetGroup;
import no.followup.status.ParticipantStatus;
import no.followup.status.TestEvents;
import no.followup.status.rules.StatusRules;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  @Test
  void statusBecomesPlainJsonValues() throws Exception {
    TestEvents e = new TestEvents("p-1", "3421", null);
    ParticipantStatus s = StatusRules.fold("p-1", List.of(e.enrolled(0, "s-c1", TargetGroup.IMMIGRANTS),
        e.at(3, new MappingCompleted(MappingInstrument.INFLOW24))));
    Map<String, Object> map = AvroJson.toMap(s);
    assertThat(map).containsEntry("participantId", "p-1").containsEntry("phase", "MAPPING")
        .containsEntry("enrolledAt", TestEvents.day(0).toString()).containsEntry("cohortId", null)
        .containsEntry("targetGroups", List.of("IMMIGRANTS"));
    assertThat(map.get("mappings")).isEqualTo(List.of(Map.of("instrument", "INFLOW24",
        "completedAt", TestEvents.day(3).toString())));
    String json = StatusHttp.objectMapper().writeValueAsString(map);
    assertThat(json).contains("\"situation\":\"NO_REGULAR_ACTIVITY\"");
    assertThat(Instant.parse((String) map.get("lastEventAt"))).isEqualTo(TestEvents.day(3));
  }
}
