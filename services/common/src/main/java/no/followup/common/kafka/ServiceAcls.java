package no.followup.common.kafka;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.common.Topics.TopicSpec;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each service may do on Kafka, defined once: the setup command ({@link KafkaSetupCommand})
 * grants exactly this and removes anything else granted to the services' users, and the ACL tests
 * check a broker with these grants. The brokers allow nothing that is not granted.
 *
 * <p>Each service has its own Kafka user, named after it ({@code followup-status}), and so are the
 * resources it owns: its consumer group (for Kafka Streams, the application.id), its transactional
 * ids ({@code followup-intake-<uuid>}; Streams' {@code <application.id>-<process>-<thread>}) and
 * Kafka Streams' internal topics ({@code <application.id>-<store>-changelog}, {@code -repartition}).
 * A service run with another application id, group id or transactional id prefix is refused.
 *
 * <p>Only WRITE, READ and the like are granted: Kafka implies DESCRIBE with each of them, which is
 * what listing, describing and finding the leaders of a topic need.
 */
public final class ServiceAcls {

  private ServiceAcls() {}

  /** A service with its own Kafka user. */
  public enum Service {
    INTAKE, STATUS, REMINDERS, DELIVERY, DASHBOARD, REGISTRY,
    /** The operators' tools: {@code followup dead-letters list|show|redrive} and {@code followup replay}. */
    OPERATOR;

    /** Its Kafka user (SCRAM), also the name of its group and the prefix of the resources it owns. */
    public String user() {
      return "followup-" + name().toLowerCase(Locale.ROOT);
    }

    public String principal() {
      return "User:" + user();
    }

    /** The environment variable the setup command reads this user's password from. */
    public String passwordVariable() {
      return "KAFKA_" + name() + "_PASSWORD";
    }
  }

  /**
   * The consumer group prefix of the Confluent Schema Registry: {@code schema-registry} for its
   * leader election and {@code schema-registry-<host>-<port>} for its store reader.
   */
  static final String CONFLUENT_REGISTRY_GROUP_PREFIX = "schema-registry";

  /**
   * The one transactional id of {@code followup dead-letters redrive}: a second re-drive fences the
   * first, so two never copy the same record.
   */
  public static final String REDRIVE_TRANSACTIONAL_ID = "followup-cli-dead-letters-redrive";

  /** The grants of {@code service}. */
  public static List<AclBinding> bindings(Service service) {
    Grants grants = new Grants(service);
    return switch (service) {
      case INTAKE -> grants
          .write(Topics.EVENTS, Topics.PARTICIPANT_KEYS)
          .read(Topics.PARTICIPANT_KEYS)
          .transactionalIds()
          .list();
      case STATUS -> grants
          .read(Topics.EVENTS, Topics.PARTICIPANT_KEYS)
          .write(Topics.PARTICIPANT_STATUS, Topics.TALLIES, Topics.DEAD_LETTER)
          .streamsApplication()
          .list();
      case REMINDERS -> grants
          .read(Topics.EVENTS, Topics.PARTICIPANT_KEYS)
          .write(Topics.REMINDERS, Topics.DEAD_LETTER)
          .streamsApplication()
          .list();
      // reads its ledger's partitions back when it is given reminders partitions
      case DELIVERY -> grants
          .read(Topics.REMINDERS, Topics.DELIVERY_LEDGER)
          .write(Topics.TASKS, Topics.DELIVERY_RECEIPTS, Topics.DELIVERY_LEDGER, Topics.DEAD_LETTER)
          .consumerGroup()
          .transactionalIds()
          .list();
      // reads from the beginning at every start without a consumer group: no group to grant
      case DASHBOARD -> grants
          .read(Topics.PARTICIPANT_STATUS, Topics.TALLIES, Topics.TASKS, Topics.DELIVERY_RECEIPTS)
          .write(Topics.DEAD_LETTER)
          .list();
      // creates its store when missing and checks that it is compacted
      case REGISTRY -> grants
          .allow(new ResourcePattern(ResourceType.TOPIC, Topics.SCHEMA_STORE, PatternType.LITERAL),
              AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS)
          .allow(new ResourcePattern(ResourceType.GROUP, CONFLUENT_REGISTRY_GROUP_PREFIX, PatternType.PREFIXED),
              AclOperation.READ)
          .list();
      // dead-letters list/show read the pointers (no group: they read whole); redrive reads the
      // source record, copies it to the end of its topic and marks it, in a transaction under its one
      // fixed id; replay reads an events topic (no group) and sends through an intake over HTTP
      case OPERATOR -> grants
          .read(Topics.DEAD_LETTER, Topics.EVENTS, Topics.REMINDERS)
          .write(Topics.EVENTS, Topics.REMINDERS, Topics.DEAD_LETTER)
          .allow(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, REDRIVE_TRANSACTIONAL_ID, PatternType.LITERAL),
              AclOperation.WRITE)
          .list();
    };
  }

  /** Every service's grants, in {@link Service} order. */
  public static Map<Service, List<AclBinding>> all() {
    Map<Service, List<AclBinding>> all = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      all.put(service, bindings(service));
    }
    return all;
  }

  /** One grant as a line for people: "followup-status READ TOPIC followup.events.v1". */
  public static String describe(AclBinding binding) {
    ResourcePattern pattern = binding.pattern();
    return binding.entry().principal().substring("User:".length()) + " " + binding.entry().operation() + " "
        + pattern.resourceType() + " " + pattern.name() + (pattern.patternType() == PatternType.PREFIXED ? "*" : "");
  }

  /** Collects one service's grants. */
  private static final class Grants {
    private final Service service;
    private final List<AclBinding> bindings = new ArrayList<>();

    Grants(Service service) {
      this.service = service;
    }

    Grants read(TopicSpec... topics) {
      for (TopicSpec topic : topics) {
        allow(literalTopic(topic), AclOperation.READ);
      }
      return this;
    }

    Grants write(TopicSpec... topics) {
      for (TopicSpec topic : topics) {
        allow(literalTopic(topic), AclOperation.WRITE);
      }
      return this;
    }

    /** Its consumer group: joining it and committing offsets (also inside a transaction). */
    Grants consumerGroup() {
      return allow(new ResourcePattern(ResourceType.GROUP, service.user(), PatternType.LITERAL), AclOperation.READ);
    }

    /** Transactions (and the fencing of a crashed predecessor) under its own transactional ids only. */
    Grants transactionalIds() {
      return allow(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, service.user() + "-", PatternType.PREFIXED),
          AclOperation.WRITE);
    }

    /**
     * A Kafka Streams application with {@code application.id} = the service's user, under
     * exactly-once: its group and transactions, and its internal topics, which Streams creates,
     * checks the settings of, reads, writes, and purges (repartition topics).
     */
    Grants streamsApplication() {
      consumerGroup();
      transactionalIds();
      return allow(new ResourcePattern(ResourceType.TOPIC, service.user() + "-", PatternType.PREFIXED),
          AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS);
    }

    Grants allow(ResourcePattern pattern, AclOperation... operations) {
      for (AclOperation operation : operations) {
        bindings.add(new AclBinding(pattern,
            new AccessControlEntry(service.principal(), "*", operation, AclPermissionType.ALLOW)));
      }
      return this;
    }

    List<AclBinding> list() {
      return List.copyOf(bindings);
    }

    private static ResourcePattern literalTopic(TopicSpec topic) {
      return new ResourcePattern(ResourceType.TOPIC, topic.name(), PatternType.LITERAL);
    }
  }
}
