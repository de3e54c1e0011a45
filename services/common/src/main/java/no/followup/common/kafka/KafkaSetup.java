package no.followup.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import no.followup.common.kafka.ServiceAcls.Service;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each service its Kafka user and exactly the grants of {@link ServiceAcls}, through an admin
 * client of a super user. Idempotent: run at every deploy, it changes only what differs, and logs
 * each grant it adds or revokes (never a password).
 */
public final class KafkaSetup {

  private static final Logger log = LoggerFactory.getLogger(KafkaSetup.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Kafka's minimum for SCRAM-SHA-512 is 4096; NIST's guidance for PBKDF2 is higher. */
  private static final int SCRAM_ITERATIONS = 8192;

  /** What {@link #applyAcls()} changed. */
  public record AclChanges(List<AclBinding> granted, List<AclBinding> revoked) {}

  private final Admin admin;

  public KafkaSetup(Admin admin) {
    this.admin = admin;
  }

  /**
   * Waits until at least {@code brokers} brokers are in the cluster: topics with that replication
   * factor cannot be created before, and in docker-compose the brokers start together with this.
   */
  public void awaitBrokers(int brokers, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() - deadline < 0) {
      try {
        seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(10, TimeUnit.SECONDS).size();
        if (seen >= brokers) {
          log.info("{} brokers in the cluster", seen);
          return;
        }
      } catch (ExecutionException | TimeoutException notYet) {
        log.info("Cluster not reachable yet ({})", notYet.getMessage());
      }
      TimeUnit.SECONDS.sleep(2); // the brokers need seconds to start; nothing to wake up on
    }
    throw new IllegalStateException("the cluster has " + seen + " brokers after " + timeout + ", " + brokers + " needed");
  }

  /** Creates each given service's user with its password, or sets the password of an existing one. */
  public void upsertUsers(Map<Service, String> passwords) {
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    passwords.forEach((service, password) -> upserts.add(new UserScramCredentialUpsertion(service.user(),
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
    get(admin.alterUserScramCredentials(upserts).all(), "set the services' Kafka passwords");
    log.info("Kafka users set: {}", passwords.keySet().stream().map(Service::user).sorted().toList());
  }

  /**
   * Makes the ACLs of every service's user exactly those of {@link ServiceAcls}: grants what is
   * missing and revokes whatever else they have, so a grant dropped from the table does not live on.
   */
  public AclChanges applyAcls() {
    Set<AclBinding> wanted = new HashSet<>();
    ServiceAcls.all().values().forEach(wanted::addAll);
    Set<AclBinding> present = new HashSet<>();
    for (Service service : Service.values()) {
      present.addAll(get(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
          new AccessControlEntryFilter(service.principal(), null, AclOperation.ANY, AclPermissionType.ANY))).values(),
          "read the ACLs of " + service.user()));
    }
    List<AclBinding> granted = wanted.stream().filter(binding -> !present.contains(binding)).toList();
    List<AclBinding> revoked = present.stream().filter(binding -> !wanted.contains(binding)).toList();
    if (!granted.isEmpty()) {
      get(admin.createAcls(granted).all(), "grant ACLs");
    }
    if (!revoked.isEmpty()) {
      get(admin.deleteAcls(revoked.stream().map(AclBinding::toFilter).toList()).all(), "revoke ACLs");
    }
    granted.stream().map(ServiceAcls::describe).sorted().forEach(grant -> log.info("Granted: {}", grant));
    revoked.stream().map(ServiceAcls::describe).sorted().forEach(grant -> log.warn("Revoked (not in the table): {}", grant));
    log.info("ACLs: {} granted, {} revoked, {} in place", granted.size(), revoked.size(), wanted.size());
    return new AclChanges(granted, revoked);
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("could not " + what + ": " + cause, cause);
    }
  }
}
