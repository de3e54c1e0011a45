package no.followup.status.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import no.followup.common.Topics;
import no.followup.status.topology.StatusTopology;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How the status application's stores are reached from HTTP: which instance hosts a key, which
 * partitions each instance serves, and this instance's stores while Streams is RUNNING. While it is
 * not (starting, rebalancing, shutting down) every call throws {@link Unavailable}: "try again",
 * not a failure.
 */
final class StoreAccess {

  /** The stores cannot be read right now (starting, rebalancing, shutting down). */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  /** The key lives on another instance. */
  static final class ElsewhereException extends RuntimeException {
    final HostInfo host;

    ElsewhereException(HostInfo host) {
      super("hosted by " + host.host() + ":" + host.port());
      this.host = host;
    }
  }

  private final KafkaStreams streams;
  private final HostInfo self;

  StoreAccess(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  boolean ready() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  KafkaStreams.State state() {
    return streams.state();
  }

  /** This instance's address, as the others know it ({@code application.server}). */
  HostInfo self() {
    return self;
  }

  /** Throws {@link ElsewhereException} when another instance hosts {@code key} of {@code store}. */
  void checkHost(String store, String key) {
    KeyQueryMetadata metadata = metadata(() -> store.equals(StatusTopology.TALLY_STORE)
        ? streams.queryMetadataForKey(store, key, StatusTopology.TALLY_PARTITIONER)
        : streams.queryMetadataForKey(store, key, new StringSerializer()));
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      throw new Unavailable("no instance hosts " + store + " yet");
    }
    HostInfo active = metadata.activeHost();
    if (self != null && active != null && !HostInfo.unavailable().equals(active) && !active.equals(self)) {
      throw new ElsewhereException(active);
    }
  }

  /** Runs {@code query} over this instance's part of a store keyed by String. */
  <V, R> R read(String storeName, Function<ReadOnlyKeyValueStore<String, V>, R> query) {
    return query(storeName, query);
  }

  /** Runs {@code query} over this instance's part of a store of rows (byte keys). */
  <V, R> R readRows(String storeName, Function<ReadOnlyKeyValueStore<Bytes, V>, R> query) {
    return query(storeName, query);
  }

  /** A store closed under the query (a rebalance) is "try again" too. */
  private <K, V, R> R query(String storeName, Function<ReadOnlyKeyValueStore<K, V>, R> query) {
    requireRunning();
    try {
      return query.apply(streams.store(StoreQueryParameters.fromNameAndType(storeName,
          QueryableStoreTypes.<K, V>keyValueStore())));
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("store " + storeName + " not queryable: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Where the active copies of {@code store} are: each instance and the partitions it serves.
   * Unavailable while Streams is not RUNNING here, or some partition has no active instance.
   */
  Map<HostInfo, Set<Integer>> activeHostsOf(String store) {
    Map<HostInfo, Set<Integer>> hosts = new LinkedHashMap<>();
    for (StreamsMetadata instance : metadata(() -> streams.streamsMetadataForStore(store))) {
      Set<Integer> partitions = new TreeSet<>();
      // an instance's metadata lists the partitions of all its tasks: keep those of the store's own tasks
      instance.topicPartitions().stream().filter(partition -> feeds(store, partition.topic()))
          .forEach(partition -> partitions.add(partition.partition()));
      if (!partitions.isEmpty()) {
        hosts.put(instance.hostInfo(), partitions);
      }
    }
    if (hosts.isEmpty()) {
      throw new Unavailable("no instance serves " + store + " yet");
    }
    return hosts;
  }

  /** Whether {@code topic} is what the tasks holding {@code store} read: the tallies' repartition topic, else the events. */
  private static boolean feeds(String store, String topic) {
    return StatusTopology.TALLY_STORE.equals(store)
        ? topic.endsWith("-" + StatusTopology.DELTAS_REPARTITION + "-repartition")
        : topic.equals(Topics.EVENTS.name());
  }

  /** The partitions of {@code store} this instance serves (active), as {@link #activeHostsOf} reports them. */
  Set<Integer> localPartitionsOf(String store) {
    return activeHostsOf(store).getOrDefault(self, Set.of());
  }

  /**
   * Unavailable unless every one of {@code partitions} of {@code store} can be read here now. A
   * partition this instance has just taken over (from a standby, or from nothing) is assigned,
   * and listed in the metadata, while its store is still being restored; the store of a scan
   * leaves such a partition out without a word, so a list read then would be partial.
   */
  void requireReadable(String store, Set<Integer> partitions) {
    requireRunning();
    for (int partition : partitions) {
      try {
        streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())
            .withPartition(partition)).approximateNumEntries();
      } catch (InvalidStateStoreException e) {
        throw new Unavailable("partition " + partition + " of " + store + " is not readable yet (restoring); try again");
      }
    }
  }

  private void requireRunning() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      throw new Unavailable("streams is " + state);
    }
  }

  /**
   * Asks Streams for metadata while RUNNING. Streams throws for metadata when it is not running
   * (yet, or any more, which can happen between the check and the call): that is "try again", not
   * a failure.
   */
  private <T> T metadata(Supplier<T> query) {
    requireRunning();
    try {
      return query.get();
    } catch (IllegalStateException | InvalidStateStoreException e) {
      throw new Unavailable("streams metadata not available: " + e.getClass().getSimpleName());
    }
  }
}
