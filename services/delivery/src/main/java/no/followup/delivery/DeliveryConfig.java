package no.followup.delivery;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import no.followup.common.kafka.KafkaConnection;

/**
 * Settings of the delivery service.
 *
 * @param kafka where Kafka is and how to authenticate to it
 * @param schemaRegistryUrl schema registry url
 * @param autoRegisterSchemas whether the serializers register schemas (false where a deploy step does)
 * @param groupId consumer group of the reminders topic
 * @param instanceId distinguishes instances: the transactional id is {@code <groupId>-<instanceId>}
 *     and must stay the same across restarts of one instance (it fences a crashed predecessor)
 * @param dataDir where the erasure markers ({@code erased-participants.jsonl}) live (the ledger is the
 *     topic {@code followup.delivery-ledger.v1})
 * @param contactsFile the local contact directory (see {@link FileContactDirectory})
 * @param contactsManagedOutside the contact file is kept by another system (exported from the office's
 *     register): erasure reports an entry to the operator instead of removing it from the file
 * @param gateway OUTBOX (local file, the embedded default) or HTTP
 * @param outboxFile the outbox of the OUTBOX gateway
 * @param http settings of the HTTP gateway (required when gateway is HTTP)
 * @param zone time zone of SMS texts and task summaries
 * @param ledgerRetention how long ledger entries of SMS decisions are kept (longer than the reminders topic's
 *     retention, so a redelivered reminder always finds its entry); task entries stay until erasure
 * @param httpHost interface of the health server
 * @param httpPort port of the health server (0: any free port)
 * @param topicPartitions partitions of topics this service creates when missing
 * @param replicationFactor replication factor of topics it creates
 * @param startupTimeout how long {@link DeliveryApp#start} waits for its partitions
 * @param clock the wall clock of delivery decisions (expiry of reminders, ledger retention, outbox
 *     times); injected so the local stack and tests can run delivery at a chosen hour
 */
public record DeliveryConfig(
    KafkaConnection kafka,
    String schemaRegistryUrl,
    boolean autoRegisterSchemas,
    String groupId,
    String instanceId,
    Path dataDir,
    Path contactsFile,
    boolean contactsManagedOutside,
    GatewayMode gateway,
    Path outboxFile,
    HttpGatewayConfig http,
    ZoneId zone,
    Duration ledgerRetention,
    String httpHost,
    int httpPort,
    int topicPartitions,
    short replicationFactor,
    Duration startupTimeout,
    Clock clock) {

  public enum GatewayMode { OUTBOX, HTTP }

  public DeliveryConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(contactsFile, "contactsFile");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(outboxFile, "outboxFile");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(ledgerRetention, "ledgerRetention");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(clock, "clock");
    if (gateway == GatewayMode.HTTP && http == null) {
      throw new IllegalArgumentException("the HTTP gateway needs its settings");
    }
  }

  /**
   * The embedded default: a broker without authentication, outbox file and contacts file in
   * {@code dataDir}, HTTP on any free port.
   */
  public static DeliveryConfig defaults(String bootstrapServers, String schemaRegistryUrl, Path dataDir) {
    return new DeliveryConfig(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, true, "followup-delivery", "1", dataDir,
        dataDir.resolve("contacts.csv"), false, GatewayMode.OUTBOX, dataDir.resolve("sms-outbox.jsonl"), null,
        ZoneId.of("Europe/Oslo"), Duration.ofDays(90), "127.0.0.1", 0, 3, (short) 1, Duration.ofSeconds(120),
        Clock.systemUTC());
  }

  /** Delivery's erasure markers (see {@link ErasedParticipants}). */
  public Path erasedParticipantsFile() {
    return dataDir.resolve("erased-participants.jsonl");
  }

  public String transactionalId() {
    return groupId + "-" + instanceId;
  }

  public DeliveryConfig withHttpGateway(HttpGatewayConfig value) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, groupId, instanceId, dataDir, contactsFile, contactsManagedOutside, GatewayMode.HTTP,
        outboxFile, value, zone, ledgerRetention, httpHost, httpPort, topicPartitions, replicationFactor, startupTimeout, clock);
  }

  public DeliveryConfig withContactsFile(Path value) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, groupId, instanceId, dataDir, value, contactsManagedOutside, gateway,
        outboxFile, http, zone, ledgerRetention, httpHost, httpPort, topicPartitions, replicationFactor, startupTimeout, clock);
  }

  public DeliveryConfig withGroupId(String value) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, value, instanceId, dataDir, contactsFile, contactsManagedOutside, gateway,
        outboxFile, http, zone, ledgerRetention, httpHost, httpPort, topicPartitions, replicationFactor, startupTimeout, clock);
  }

  /** Another instance of the same group: its own transactional id and data directory. */
  public DeliveryConfig withInstance(String id, Path dir) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, groupId, id, dir, contactsFile, contactsManagedOutside, gateway,
        outboxFile, http, zone, ledgerRetention, httpHost, httpPort, topicPartitions, replicationFactor, startupTimeout, clock);
  }

  public DeliveryConfig withClock(Clock value) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, groupId, instanceId, dataDir, contactsFile, contactsManagedOutside, gateway,
        outboxFile, http, zone, ledgerRetention, httpHost, httpPort, topicPartitions, replicationFactor, startupTimeout, value);
  }

  public DeliveryConfig withHttpPort(int value) {
    return new DeliveryConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, groupId, instanceId, dataDir, contactsFile, contactsManagedOutside, gateway,
        outboxFile, http, zone, ledgerRetention, httpHost, value, topicPartitions, replicationFactor, startupTimeout, clock);
  }
}
