package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusConfigTest {

  @Test
  void cohortGoalsParseFromAList() {
    assertThat(StatusConfig.parseCohortGoals(" optimist=0.6, gjovik-2025 = 0.55 "))
        .isEqualTo(Map.of("optimist", 0.6, "gjovik-2025", 0.55));
    assertThat(StatusConfig.parseCohortGoals("")).isEmpty();
    assertThatThrownBy(() -> StatusConfig.parseCohortGoals("optimist=60")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StatusConfig.parseCohortGoals("optimist")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultsAreTheLocalStacksAndWithersChangeOneThing() {
    StatusConfig d = StatusConfig.defaults("b:9092", "http://r:8081");
    assertThat(d.httpPort()).isEqualTo(8082);
    assertThat(d.zone().getId()).isEqualTo("Europe/Oslo");
    assertThat(d.applicationId()).isEqualTo("followup-status");
    StatusConfig changed = d.withHttp("0.0.0.0", 0).withApplicationId("x");
    assertThat(changed.httpPort()).isZero();
    assertThat(changed.httpHost()).isEqualTo("0.0.0.0");
    assertThat(changed.applicationId()).isEqualTo("x");
    assertThat(changed.stateDir()).isEqualTo(d.stateDir());
  }
}
