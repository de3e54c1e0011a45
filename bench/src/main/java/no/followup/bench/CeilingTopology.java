package no.followup.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.Topics;
import no.followup.common.streams.StreamsDefaults;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The least a Kafka Streams application can do with the events topic under the status service's
 * settings ({@link StreamsDefaults}: exactly_once_v2, one thread, bounded RocksDB, same commit
 * interval), so that its rate is the ceiling the status service is measured against on the same
 * broker: byte[] serdes, so nothing is decoded.
 * <ul>
 *   <li>{@link Kind#COUNT}: {@code stream → groupByKey → count}, a state store and its changelog
 *       written per participant, as the status fold does;</li>
 *   <li>{@link Kind#PASSTHROUGH}: {@code stream → to}, what a rebuild costs with no state at all.</li>
 * </ul>
 * Runs as its own JVM ({@link ChildJvm}) until SIGTERM.
 */
@Command(name = "ceiling-topology", mixinStandardHelpOptions = true)
public final class CeilingTopology implements Callable<Integer> {

  /** The passthrough's output topic; created by the caller. */
  static final String PASSTHROUGH_TOPIC = "bench.passthrough";

  enum Kind { COUNT, PASSTHROUGH }

  @Option(names = "--kind", required = true) Kind kind;
  @Option(names = "--bootstrap-servers", required = true) String bootstrapServers;
  @Option(names = "--application-id", required = true) String applicationId;
  @Option(names = "--state-dir", required = true) Path stateDir;
  @Option(names = "--commit-interval-ms", required = true) long commitIntervalMs;
  @Option(names = "--stream-threads", defaultValue = "1") int streamThreads;

  public static void main(String[] args) {
    PipelineBenchmark.useBenchLogging();
    System.exit(new CommandLine(new CeilingTopology()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    KafkaStreams streams = new KafkaStreams(topology(kind), StreamsDefaults.builder(applicationId, bootstrapServers)
        .stateDir(stateDir)
        .commitInterval(Duration.ofMillis(commitIntervalMs))
        .streamThreads(streamThreads)
        .replicationFactor(1)
        .build());
    streams.start();
    return RunUntilShutdown.closeOnShutdown(() -> StreamsDefaults.closeLeavingGroup(streams, Duration.ofSeconds(10)), applicationId);
  }

  static Topology topology(Kind kind) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<byte[], byte[]> events = builder.stream(Topics.EVENTS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
    switch (kind) {
      case COUNT -> events
          .groupByKey(Grouped.with(Serdes.ByteArray(), Serdes.ByteArray()))
          .count(Materialized.<byte[], Long, KeyValueStore<Bytes, byte[]>>as("bench-event-counts")
              .withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.Long()));
      case PASSTHROUGH -> events.to(PASSTHROUGH_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    }
    return builder.build();
  }
}
