package no.followup.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import no.followup.events.FollowUpEvent;
import no.followup.registry.InMemorySchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.TestEvents;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The serde in Kafka Streams: source and sink topics, and a state store with its changelog. */
class SpecificAvroSerdeStreamsTest {

  private static final String SCOPE = "streams-serde-test";

  @AfterEach
  void forget() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void worksForTopicsStateStoresAndChangelogs() {
    SpecificAvroSerde<FollowUpEvent> serde = new SpecificAvroSerde<>(FollowUpEvent.class);
    serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE), false);

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("events", Consumed.with(Serdes.String(), serde).withName("events-source"))
        .groupByKey(Grouped.with("by-participant", Serdes.String(), serde))
        .reduce((previous, next) -> next.getOccurredAt().isBefore(previous.getOccurredAt()) ? previous : next,
            Named.as("latest-reducer"),
            Materialized.<String, FollowUpEvent>as(Stores.inMemoryKeyValueStore("latest-event"))
                .withKeySerde(Serdes.String()).withValueSerde(serde))
        .toStream(Named.as("latest-stream"))
        .to("latest", Produced.with(Serdes.String(), serde).withName("latest-sink"));

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, FollowUpEvent> input = driver.createInputTopic("events", Serdes.String().serializer(), serde.serializer());
      TestOutputTopic<String, FollowUpEvent> output = driver.createOutputTopic("latest", Serdes.String().deserializer(), serde.deserializer());
      FollowUpEvent first = TestEvents.meetingScheduled("p-1");
      FollowUpEvent second = TestEvents.meetingScheduled("p-1");
      input.pipeInput("p-1", first);
      input.pipeInput("p-1", second);

      assertThat(output.readValuesToList()).containsExactly(first, second);
      KeyValueStore<String, FollowUpEvent> store = driver.getKeyValueStore("latest-event");
      assertThat(store.get("p-1")).isEqualTo(second);
    }
    assertThat(SchemaRegistryClients.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)).getSubjects())
        .containsExactlyInAnyOrder("events-value", "latest-value", "serde-test-latest-event-changelog-value");
  }
}
