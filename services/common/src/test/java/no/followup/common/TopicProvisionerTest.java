package no.followup.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

  @Test
  void durabilityComesFromTheDeploymentNotTheTopicDefinitions() {
    assertThat(Topics.ALL).allSatisfy(spec ->
        assertThat(spec.configs()).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));

    assertThat(new TopicProvisioner(6, (short) 3, 2).creationConfigs(Topics.EVENTS))
        .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
        .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    assertThat(new TopicProvisioner(3, (short) 1).creationConfigs(Topics.EVENTS))
        .as("left to the broker's default")
        .doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
  }

  @Test
  void moreInSyncReplicasThanReplicasAreRefused() {
    assertThatThrownBy(() -> new TopicProvisioner(3, (short) 1, 2)).hasMessageContaining("min.insync.replicas");
    assertThatThrownBy(() -> new TopicProvisioner(3, (short) 3, 0)).hasMessageContaining("min.insync.replicas");
  }
}
