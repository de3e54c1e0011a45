package no.followup.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service needs, with their settings, when they do not exist yet. Existing
 * topics are left as they are (changing partitions or settings of a live topic is an operator's
 * decision, not a side effect of a deploy); {@link #weakerThanConfigured} finds those that are less
 * durable than configured.
 *
 * <p>Durability comes from the deployment: {@code acks=all} waits for {@code min.insync.replicas}
 * copies, so only replication factor 3 with {@code min.insync.replicas} 2 survives the loss of a
 * broker without losing acknowledged writes or stopping them (the production profile); a laptop
 * has one broker, so 1 and 1.
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final int partitions;
  private final short replicationFactor;
  private final OptionalInt minInSyncReplicas;

  /**
   * Topics get the broker's default {@code min.insync.replicas} (docker-compose sets it to 2 on
   * its brokers), as do the topics Kafka Streams and the schema registry create.
   */
  public TopicProvisioner(int partitions, short replicationFactor) {
    this(partitions, replicationFactor, OptionalInt.empty());
  }

  /** Topics get {@code min.insync.replicas}, at least 1 and at most the replication factor. */
  public TopicProvisioner(int partitions, short replicationFactor, int minInSyncReplicas) {
    this(partitions, replicationFactor, OptionalInt.of(minInSyncReplicas));
  }

  private TopicProvisioner(int partitions, short replicationFactor, OptionalInt minInSyncReplicas) {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
    if (minInSyncReplicas.isPresent()
        && (minInSyncReplicas.getAsInt() < 1 || minInSyncReplicas.getAsInt() > replicationFactor)) {
      // more than the replicas there are would refuse every acks=all write
      throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor ("
          + replicationFactor + "), not " + minInSyncReplicas.getAsInt());
    }
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.minInSyncReplicas = minInSyncReplicas;
  }

  /** The settings a topic of {@code spec} is created with: its own plus the configured durability. */
  public Map<String, String> creationConfigs(Topics.TopicSpec spec) {
    Map<String, String> configs = new HashMap<>(spec.configs());
    minInSyncReplicas.ifPresent(min -> configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(min)));
    return configs;
  }

  /** Creates every missing topic of {@code specs}; returns the names it created. */
  public Set<String> ensure(Admin admin, Collection<Topics.TopicSpec> specs) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = specs.stream()
          .filter(spec -> !existing.contains(spec.name()))
          .map(spec -> new NewTopic(spec.name(), partitions, replicationFactor).configs(creationConfigs(spec)))
          .toList();
      if (missing.isEmpty()) {
        return Set.of();
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // another service may have created the same topic a moment ago; that is fine
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      Set<String> created = missing.stream().map(NewTopic::name).collect(Collectors.toSet());
      log.info("Created topics {} ({} partitions, replication factor {}, min.insync.replicas {})", created, partitions,
          replicationFactor, minInSyncReplicas.isPresent() ? minInSyncReplicas.getAsInt() : "of the broker");
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topics: " + e.getMessage(), e);
    }
  }

  /**
   * The topics of {@code specs} that exist with fewer replicas, or a lower effective
   * {@code min.insync.replicas}, than configured, each as "name: what is wrong". Such a topic
   * acknowledges writes that one broker's loss can take away; raising its settings is for an
   * operator (a replica reassignment, {@code kafka-configs --alter}).
   */
  public List<String> weakerThanConfigured(Admin admin, Collection<Topics.TopicSpec> specs) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> names = specs.stream().map(Topics.TopicSpec::name).filter(existing::contains).toList();
      if (names.isEmpty()) {
        return List.of();
      }
      Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
          .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get(30, TimeUnit.SECONDS);
      List<String> weaker = new ArrayList<>();
      for (String name : names) {
        int replicas = descriptions.get(name).partitions().stream()
            .mapToInt(partition -> partition.replicas().size()).min().orElse(0);
        if (replicas < replicationFactor) {
          weaker.add(name + ": " + replicas + " replicas, configured " + replicationFactor);
        }
        int minInSync = Integer.parseInt(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
            .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        if (minInSyncReplicas.isPresent() && minInSync < minInSyncReplicas.getAsInt()) {
          weaker.add(name + ": min.insync.replicas " + minInSync + ", configured " + minInSyncReplicas.getAsInt());
        }
      }
      return weaker;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not describe topics: " + e.getMessage(), e);
    }
  }
}
