package no.followup.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.server.LocalSchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka broker (KRaft, its own JVM) and the local schema registry, in a directory of their own
 * that is deleted on close, with the pipeline's topics created as the services create them (3
 * partitions). Each measurement gets a fresh one: the status topology always reads
 * {@code followup.events.v1}, so two data sets cannot share a broker, and a measurement's ceiling
 * and subject always run on the same one.
 */
final class BenchBroker implements AutoCloseable {

  static final int PARTITIONS = 3;

  private final Path dir;
  private final LocalKafkaBroker broker;
  private final LocalSchemaRegistry registry;
  private final Admin admin;

  private BenchBroker(Path dir, LocalKafkaBroker broker, LocalSchemaRegistry registry, Admin admin) {
    this.dir = dir;
    this.broker = broker;
    this.registry = registry;
    this.admin = admin;
  }

  static BenchBroker start(Path dir) {
    LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    BenchBroker started;
    try {
      started = new BenchBroker(dir, broker, LocalSchemaRegistry.start(broker.bootstrapServers(), 0),
          Admin.create(broker.adminClientConfig()));
    } catch (RuntimeException e) {
      broker.close();
      deleteRecursively(dir);
      throw e;
    }
    try {
      new TopicProvisioner(PARTITIONS, (short) 1).ensure(started.admin, Topics.ALL);
      Topics.ALL.forEach(spec -> started.awaitLeaders(spec.name()));
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  /** Where services started for this broker keep their state and logs. */
  Path dir() {
    return dir;
  }

  void createTopic(String name) {
    new TopicProvisioner(PARTITIONS, (short) 1).ensure(admin, List.of(new Topics.TopicSpec(name, Topics.EVENTS.configs())));
    awaitLeaders(name);
  }

  /**
   * Waits until every partition of a new topic answers on its leader. An idempotent producer that
   * writes to a partition whose leader is not serving yet gets NOT_LEADER_OR_FOLLOWER, and the
   * batches it had in flight then fail with OUT_OF_ORDER_SEQUENCE_NUMBER, retried for ever.
   */
  private void awaitLeaders(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        endOffset(topic);
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Timing.pause(Duration.ofMillis(100));
      }
    }
  }

  /** Sum over the topic's partitions of their end offsets. */
  long endOffset(String topic) {
    Map<TopicPartition, OffsetSpec> latest = partitions(topic).stream()
        .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
    return await(admin.listOffsets(latest).all()).values().stream().mapToLong(info -> info.offset()).sum();
  }

  /** Sum over the topic's partitions of the offsets {@code groupId} has committed (0 where none). */
  long committedOffset(String groupId, String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets = await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    return offsets.entrySet().stream()
        .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
        .mapToLong(entry -> entry.getValue().offset())
        .sum();
  }

  Set<TopicPartition> partitions(String topic) {
    return await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .collect(Collectors.toSet());
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("broker request failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      admin.close();
      registry.close();
    } finally {
      broker.close();
      deleteRecursively(dir);
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
