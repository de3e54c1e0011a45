package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Lists over every instance. Each partition of a store is served by one instance; a list is this
 * instance's part plus every other's ({@code scope=local}), and each part names the partitions it
 * was read from. The list is answered only when those are exactly the store's partitions, each
 * once; otherwise (an instance away, a rebalance between two reads) the answer is 503, never a
 * partial 200. Fan-out rather than a single owner: an office's participants are spread over every
 * partition by participantId, so every instance holds a part of every office.
 */
final class FanOut {

  /** The field of a local part that names its partitions. */
  static final String PARTITIONS = "partitions";

  private final ObjectMapper json = StatusHttp.objectMapper();
  private final PeerRequests peers;

  FanOut(PeerRequests peers) {
    this.peers = peers;
  }

  /** This instance's part of a list, read from {@code store}, with the partitions it was read from. */
  Map<String, Object> localPart(StoreAccess stores, String store, String field, Supplier<List<?>> scan) {
    Set<Integer> before = stores.localPartitionsOf(store);
    stores.requireReadable(store, before);
    List<?> items = scan.get();
    if (!before.equals(stores.localPartitionsOf(store))) {
      throw new StoreAccess.Unavailable("partitions moved while reading; try again");
    }
    stores.requireReadable(store, before); // none of them was closed for a restore while read
    Map<String, Object> part = new LinkedHashMap<>();
    part.put(PARTITIONS, before);
    part.put(field, items);
    return part;
  }

  /** The whole list: every instance's part of {@code field}, unsorted; or Unavailable when a part is missing or doubled. */
  List<JsonNode> gather(Context ctx, StoreAccess stores, String store, String field, Supplier<List<?>> scan) {
    Map<HostInfo, Set<Integer>> hosts = stores.activeHostsOf(store);
    Set<Integer> expected = union(hosts.values());
    Set<Integer> covered = new TreeSet<>();
    List<JsonNode> items = new ArrayList<>();
    for (HostInfo host : hosts.keySet()) {
      JsonNode part = host.equals(stores.self())
          ? json.valueToTree(localPart(stores, store, field, scan))
          : peers.localPart(host, ctx);
      for (JsonNode partition : part.path(PARTITIONS)) {
        if (!covered.add(partition.asInt())) {
          throw new StoreAccess.Unavailable("partition " + partition.asInt() + " read twice (a rebalance); try again");
        }
      }
      part.path(field).forEach(items::add);
    }
    if (!covered.equals(expected)) {
      throw new StoreAccess.Unavailable("partitions " + expected + " expected, " + covered + " read (a rebalance); try again");
    }
    return items;
  }

  private static Set<Integer> union(Collection<Set<Integer>> sets) {
    Set<Integer> all = new TreeSet<>();
    sets.forEach(all::addAll);
    return all;
  }
}
