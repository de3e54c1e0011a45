package no.followup.common.kafka;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import no.followup.common.ServiceLogging;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.TopicOptions;
import no.followup.common.kafka.ServiceAcls.Service;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The deploy step that makes a Kafka cluster ready for the pipeline, run as the admin (a super
 * user): creates the topics with the configured durability, gives every service its Kafka user
 * (passwords from {@code KAFKA_<SERVICE>_PASSWORD}) and exactly the grants of {@link ServiceAcls},
 * and fails when a topic that already exists is less durable than configured. Idempotent.
 *
 * <p>Exit status: 0 done; 1 topics less durable than configured (listed); 2 missing or weak
 * passwords, or wrong options; 3 Kafka refused or could not be reached.
 */
@Command(name = "followup-kafka-setup", mixinStandardHelpOptions = true,
    description = "Creates the pipeline's topics, the services' Kafka users and their ACLs, as the Kafka admin.")
public final class KafkaSetupCommand implements Callable<Integer> {

  /** Shorter passwords are refused, so a placeholder or a forgotten variable cannot pass for one. */
  static final int MIN_PASSWORD_LENGTH = 16;

  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topics;

  @Option(names = "--min-insync-replicas", defaultValue = "${env:TOPIC_MIN_INSYNC_REPLICAS:-1}",
      description = "min.insync.replicas of the topics created; 2 with replication factor 3 in production (default: ${DEFAULT-VALUE}).")
  int minInSyncReplicas;

  @Option(names = "--broker-wait", defaultValue = "PT3M",
      description = "How long to wait for as many brokers as the replication factor (default: ${DEFAULT-VALUE}).")
  Duration brokerWait;

  @Option(names = "--dry-run", description = "Print every service's grants and change nothing (needs no cluster).")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      ServiceAcls.all().values().forEach(grants -> grants.forEach(binding -> out.println(ServiceAcls.describe(binding))));
      return 0;
    }
    KafkaConnection connection;
    Map<Service, String> passwords;
    TopicProvisioner provisioner;
    try {
      connection = kafka.connection();
      passwords = passwords(System::getenv);
      provisioner = new TopicProvisioner(topics.partitions(), topics.replicationFactor(), minInSyncReplicas);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
    try (Admin admin = Admin.create(connection.clientConfig(
        Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "followup-kafka-setup")))) {
      KafkaSetup setup = new KafkaSetup(admin);
      setup.awaitBrokers(topics.replicationFactor(), brokerWait);
      provisioner.ensure(admin, Topics.ALL);
      setup.upsertUsers(passwords);
      setup.applyAcls();
      List<String> weaker = provisioner.weakerThanConfigured(admin, Topics.ALL);
      if (!weaker.isEmpty()) {
        spec.commandLine().getErr().println("Topics less durable than configured (acks=all is not as safe as it"
            + " says; raise them with kafka-reassign-partitions / kafka-configs --alter):");
        weaker.forEach(line -> spec.commandLine().getErr().println("  " + line));
        return 1;
      }
      out.println("Kafka is ready: " + Topics.ALL.size() + " topics, " + passwords.size() + " service users with their ACLs");
      return 0;
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 3;
    }
  }

  /**
   * Every service's password from {@code environment}.
   *
   * @throws IllegalArgumentException naming the variables that are missing or too short (never their values)
   */
  static Map<Service, String> passwords(Function<String, String> environment) {
    Map<Service, String> passwords = new EnumMap<>(Service.class);
    List<String> refused = new ArrayList<>();
    for (Service service : Service.values()) {
      String password = environment.apply(service.passwordVariable());
      if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
        refused.add(service.passwordVariable());
      } else {
        passwords.put(service, password);
      }
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("Missing, or shorter than " + MIN_PASSWORD_LENGTH + " characters: " + refused
          + ". Generate each with e.g. `openssl rand -hex 24`.");
    }
    return passwords;
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new KafkaSetupCommand()).execute(args));
  }
}
