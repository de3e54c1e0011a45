package no.followup.common.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application of the pipeline, the same way for every service: its wall
 * clock from an injected {@link Clock} ({@link ClockTime}); a failed stream thread is replaced
 * (records that fail are dead-lettered by {@link DeadLetters}, so what reaches the handler is
 * infrastructure, e.g. an unreachable registry, and retrying is right); {@link #start} returns once
 * the application is RUNNING; {@link #readiness()} tells the truth (see {@link ProgressWatch}); and
 * {@link #close()} leaves the consumer group within a bounded time.
 */
public final class StreamsRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

  /**
   * @param startupTimeout how long {@link #start} waits for RUNNING
   * @param closeTimeout how long {@link #close()} waits for the threads (service shutdown must end within 15 s)
   * @param stallAfter records waiting with no committed progress for this long: not ready
   * @param checkInterval how often progress is sampled
   * @param maxReplacements this many thread replacements within {@code replacementWindow}: not ready
   * @param replacementWindow see {@code maxReplacements}
   */
  public record Settings(Duration startupTimeout, Duration closeTimeout, Duration stallAfter, Duration checkInterval,
      int maxReplacements, Duration replacementWindow) {

    public Settings {
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      Objects.requireNonNull(closeTimeout, "closeTimeout");
      Objects.requireNonNull(stallAfter, "stallAfter");
      Objects.requireNonNull(checkInterval, "checkInterval");
      Objects.requireNonNull(replacementWindow, "replacementWindow");
    }

    public static Settings defaults(Duration startupTimeout) {
      return new Settings(startupTimeout, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(5), 3,
          Duration.ofMinutes(2));
    }

    public Settings withStallAfter(Duration value) {
      return new Settings(startupTimeout, closeTimeout, value, checkInterval, maxReplacements, replacementWindow);
    }

    public Settings withCheckInterval(Duration value) {
      return new Settings(startupTimeout, closeTimeout, stallAfter, value, maxReplacements, replacementWindow);
    }
  }

  /** Whether the instance serves and makes progress, and if not, why. */
  public record Readiness(boolean ready, String state, String reason) {}

  private final String name;
  private final KafkaStreams streams;
  private final Settings settings;
  private final ProgressWatch watch;
  private final Clock watchClock = Clock.systemUTC(); // elapsed real time, whatever the business clock says
  private final String groupId;
  private final Admin admin;
  private final ScheduledExecutorService sampler;

  private StreamsRunner(String name, Topology topology, Properties props, Clock clock, Settings settings) {
    this.name = name;
    this.settings = settings;
    this.watch = new ProgressWatch(settings.stallAfter(), settings.maxReplacements(), settings.replacementWindow());
    this.groupId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    this.streams = new KafkaStreams(topology, props, new ClockTime(clock));
    // Streams' own derivation, so the watch connects with the application's security settings
    this.admin = Admin.create(new StreamsConfig(props).getAdminConfigs(name + "-progress-watch"));
    this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name + "-progress-watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * The application, not yet started: {@link #streams()} can be handed to interactive queries first,
   * so they answer "not ready" rather than nothing while it starts.
   */
  public static StreamsRunner create(String name, Topology topology, Properties props, Clock clock, Settings settings) {
    return new StreamsRunner(name, topology, props, clock, settings);
  }

  /** Starts the application and returns once it is RUNNING; on failure everything started is closed. */
  public void start() {
    try {
      startAndAwaitRunning();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startAndAwaitRunning() {
    streams.setUncaughtExceptionHandler(e -> {
      log.error("{}: stream thread failed ({}); replacing it", name, e.getClass().getName());
      watch.threadReplaced(watchClock.instant());
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    CountDownLatch settled = new CountDownLatch(1);
    streams.setStateListener((newState, oldState) -> {
      log.info("{}: streams {} -> {}", name, oldState, newState);
      if (newState == KafkaStreams.State.RUNNING || !newState.isRunningOrRebalancing()) {
        settled.countDown();
      }
    });
    streams.start();
    try {
      if (!settled.await(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " not running after " + settings.startupTimeout() + " (state " + streams.state() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while starting", e);
    }
    if (streams.state() != KafkaStreams.State.RUNNING && !streams.state().isRunningOrRebalancing()) {
      throw new IllegalStateException(name + " stopped while starting: " + streams.state());
    }
    long every = settings.checkInterval().toMillis();
    sampler.scheduleWithFixedDelay(this::sample, every, every, TimeUnit.MILLISECONDS);
  }

  /** One progress sample: the committed offsets of the partitions this instance owns, and its consumer's lag on them. */
  private void sample() {
    try {
      Set<TopicPartition> owned = new HashSet<>();
      streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> owned.addAll(task.topicPartitions())));
      Map<TopicPartition, Long> lag = consumerLag(owned);
      Map<TopicPartition, Long> committed = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
          .get(settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
      offsets.forEach((partition, offset) -> {
        if (offset != null && owned.contains(partition)) {
          committed.put(partition, offset.offset());
        }
      });
      watch.observe(watchClock.instant(), committed, lag);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the broker may be away: then nothing can be judged, and the Streams state says so already
      log.debug("{}: progress sample failed: {}", name, e.toString());
    }
  }

  /**
   * The main consumer's lag per partition ({@code records-lag}): how far its position is behind the
   * end of the partition. Position-based, so an idle partition of a transactional topic reads 0
   * (the consumer steps over commit markers), while a record that keeps failing keeps it above 0.
   */
  private Map<TopicPartition, Long> consumerLag(Set<TopicPartition> owned) {
    Map<TopicPartition, Long> lag = new HashMap<>();
    for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
      MetricName metric = entry.getKey();
      String clientId = metric.tags().getOrDefault("client-id", "");
      if (!"records-lag".equals(metric.name()) || !"consumer-fetch-manager-metrics".equals(metric.group())
          || clientId.endsWith("restore-consumer") || clientId.endsWith("global-consumer")) {
        continue;
      }
      String topic = metric.tags().get("topic");
      String partition = metric.tags().get("partition");
      if (topic == null || partition == null) {
        continue;
      }
      TopicPartition topicPartition = new TopicPartition(topic, Integer.parseInt(partition));
      Object value = entry.getValue().metricValue();
      if (owned.contains(topicPartition) && value instanceof Number number && !Double.isNaN(number.doubleValue())) {
        lag.merge(topicPartition, number.longValue(), Math::max);
      }
    }
    return lag;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Ready when RUNNING (or briefly REBALANCING) and making progress; otherwise the reason. */
  public Readiness readiness() {
    KafkaStreams.State state = streams.state();
    if (!state.isRunningOrRebalancing()) {
      return new Readiness(false, state.name(), "Kafka Streams is " + state);
    }
    return watch.problem(watchClock.instant())
        .map(problem -> new Readiness(false, state.name(), problem))
        .orElseGet(() -> new Readiness(true, state.name(), null));
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      if (!StreamsDefaults.closeLeavingGroup(streams, settings.closeTimeout())) {
        log.warn("{}: stream threads did not stop within {}", name, settings.closeTimeout());
      }
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
