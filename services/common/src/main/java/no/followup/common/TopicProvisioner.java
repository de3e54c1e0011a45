package no.followup.common;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service needs, with their settings, when they do not exist yet. Existing
 * topics are left as they are (changing partitions or settings of a live topic is an operator's
 * decision, not a side effect of a deploy).
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final int partitions;
  private final short replicationFactor;

  public TopicProvisioner(int partitions, short replicationFactor) {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Creates every missing topic of {@code specs}; returns the names it created. */
  public Set<String> ensure(Admin admin, Collection<Topics.TopicSpec> specs) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = specs.stream()
          .filter(spec -> !existing.contains(spec.name()))
          .map(spec -> new NewTopic(spec.name(), partitions, replicationFactor).configs(spec.configs()))
          .toList();
      if (missing.isEmpty()) {
        return Set.of();
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // another service may have created the same topic a moment ago; that is fine
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
      Set<String> created = missing.stream().map(NewTopic::name).collect(java.util.stream.Collectors.toSet());
      log.info("Created topics {} ({} partitions, replication factor {})", created, partitions, replicationFactor);
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topics: " + e.getMessage(), e);
    }
  }
}
