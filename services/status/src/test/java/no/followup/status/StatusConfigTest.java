package no.followup.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
    assertThat(changed.streamThreads()).isEqualTo(1);
    assertThat(d.withStreamThreads(2).withApplicationId("y").streamThreads()).isEqualTo(2);
    assertThatThrownBy(() -> d.withStreamThreads(0)).hasMessageContaining("stream threads");
  }

  /** The audit trail stays when the state is removed for a rebuild: it is kept beside the state directory, not in it. */
  @Test
  void theAuditLogIsBesideTheStateUnlessGiven() {
    StatusConfig d = StatusConfig.defaults("b:9092", "http://r:8081").withStateDir(Path.of("/data/status"));
    assertThat(d.auditLog()).isEqualTo(Path.of("/data/status-audit/audit.log"));
    assertThat(d.withStateDir(Path.of("/other/state")).auditLog()).isEqualTo(Path.of("/other/state-audit/audit.log"));
    assertThat(d.withAuditLog(Path.of("/audit/status.log")).withStateDir(Path.of("/x")).auditLog())
        .isEqualTo(Path.of("/audit/status.log"));
  }
}
