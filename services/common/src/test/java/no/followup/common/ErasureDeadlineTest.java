package no.followup.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import no.followup.common.streams.StreamsDefaults;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ErasureDeadlineTest {

  static long millis(Map<String, ?> configs, String name) {
    return Long.parseLong(String.valueOf(configs.get(name)));
  }

  @Test
  void segmentAndCompactionLagFitInTheDocumentedDeadline() {
    Map<String, String> configs = ErasureDeadline.topicConfigs();
    long segment = millis(configs, TopicConfig.SEGMENT_MS_CONFIG);
    long lag = millis(configs, TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG);
    assertThat(segment).isPositive();
    assertThat(lag).isPositive();
    assertThat(Duration.ofMillis(segment + lag)).isLessThanOrEqualTo(ErasureDeadline.DEADLINE);
    assertThat(ErasureDeadline.DEADLINE).isEqualTo(Duration.ofDays(7)); // the figure docs/privacy.md promises
  }

  @Test
  void everyCompactedTopicCarriesTheDeadlineSettings() {
    assertThat(Topics.ALL.stream().filter(t -> t.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG).contains("compact")))
        .extracting(Topics.TopicSpec::name)
        .containsExactlyInAnyOrder(Topics.PARTICIPANT_KEYS.name(), Topics.PARTICIPANT_STATUS.name(), Topics.TALLIES.name(), Topics.TASKS.name(),
            Topics.DELIVERY_RECEIPTS.name(), Topics.DELIVERY_LEDGER.name())
        .allSatisfy(name -> assertThat(Topics.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().configs())
            .containsAllEntriesOf(ErasureDeadline.topicConfigs()));
  }

  @Test
  void everyChangelogIsCreatedWithTheDeadlineSettings() {
    Map<String, Object> streams = StreamsDefaults.builder("app", "localhost:9092").toMap();
    ErasureDeadline.topicConfigs().forEach((name, value) ->
        assertThat(streams).containsEntry(StreamsConfig.topicPrefix(name), value));
    // and Streams passes them on to the changelogs it creates
    assertThat(new StreamsConfig(streams).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
        .containsAllEntriesOf(ErasureDeadline.topicConfigs());
  }
}
