package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusConfigTest {

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
