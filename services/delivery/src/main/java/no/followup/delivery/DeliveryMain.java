package no.followup.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.SchemaRegistrationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Runs the delivery service until SIGTERM. */
@Command(name = "followup-delivery", mixinStandardHelpOptions = true,
    description = "Delivers reminders: SMS to participants (idempotent by reminderId), tasks to coordinators, receipts.")
public final class DeliveryMain implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Mixin SchemaRegistrationOptions schemas;

  @Option(names = "--group-id", defaultValue = "${env:DELIVERY_GROUP_ID:-followup-delivery}")
  String groupId;

  @Option(names = "--instance-id", defaultValue = "${env:DELIVERY_INSTANCE_ID:-1}",
      description = "Stable per instance: part of the transactional id.")
  String instanceId;

  @Option(names = "--data-dir", defaultValue = "${env:LEDGER_DIR:-./data/delivery}", description = "Holds the erasure markers and the outbox (the ledger is a Kafka topic).")
  Path dataDir;

  @Option(names = "--contacts-file", defaultValue = "${env:CONTACT_DIRECTORY_FILE:-}",
      description = "Contact directory file (default: <data-dir>/contacts.csv).")
  String contactsFile;

  @Option(names = "--contacts-managed-outside", defaultValue = "${env:CONTACT_DIRECTORY_MANAGED_OUTSIDE:-false}",
      description = "The contact file is kept by another system: erasure reports an entry to remove instead of editing the file.")
  boolean contactsManagedOutside;

  @Option(names = "--gateway", defaultValue = "${env:SMS_GATEWAY:-}",
      description = "OUTBOX or HTTP (default: HTTP when a gateway url is given, else OUTBOX).")
  String gateway;

  @Option(names = "--outbox-file", defaultValue = "${env:SMS_OUTBOX_FILE:-}", description = "Default: <data-dir>/sms-outbox.jsonl.")
  String outboxFile;

  @Option(names = "--gateway-url", defaultValue = "${env:SMS_GATEWAY_URL:-}")
  String gatewayUrl;

  @Option(names = "--gateway-auth", defaultValue = "${env:SMS_GATEWAY_AUTH:-}",
      description = "NONE, BASIC or BEARER (default: BEARER when SMS_GATEWAY_TOKEN is set, BASIC when SMS_GATEWAY_PASSWORD is).")
  String gatewayAuth;

  @Option(names = "--gateway-user", defaultValue = "${env:SMS_GATEWAY_USER:-}")
  String gatewayUser;

  // Secrets only from the environment: a command line is visible to every user of the machine.
  String gatewayToken = System.getenv("SMS_GATEWAY_TOKEN");
  String gatewayPassword = System.getenv("SMS_GATEWAY_PASSWORD");

  @Option(names = "--gateway-connect-timeout", defaultValue = "${env:SMS_GATEWAY_CONNECT_TIMEOUT:-PT2S}")
  Duration connectTimeout;

  @Option(names = "--gateway-request-timeout", defaultValue = "${env:SMS_GATEWAY_REQUEST_TIMEOUT:-PT5S}")
  Duration requestTimeout;

  @Option(names = "--gateway-max-attempts", defaultValue = "${env:SMS_GATEWAY_MAX_ATTEMPTS:-4}")
  int maxAttempts;

  @Option(names = "--gateway-initial-backoff", defaultValue = "${env:SMS_GATEWAY_INITIAL_BACKOFF:-PT0.2S}")
  Duration initialBackoff;

  @Option(names = "--gateway-max-backoff", defaultValue = "${env:SMS_GATEWAY_MAX_BACKOFF:-PT5S}")
  Duration maxBackoff;

  @Option(names = "--gateway-honours-idempotency-key", defaultValue = "${env:SMS_GATEWAY_HONOURS_IDEMPOTENCY_KEY:-false}",
      description = "The provider delivers at most one SMS per Idempotency-Key: a reminder in doubt after an instance "
          + "stopped is asked for again. Otherwise (default) it is reported OUTCOME_UNKNOWN and not sent again.")
  boolean gatewayHonoursIdempotencyKey;

  @Option(names = "--zone", defaultValue = "${env:DELIVERY_ZONE:-Europe/Oslo}")
  ZoneId zone;

  @Option(names = "--ledger-retention", defaultValue = "${env:DELIVERY_LEDGER_RETENTION:-P90D}")
  Duration ledgerRetention;

  @Option(names = "--http-host", defaultValue = "${env:HTTP_HOST:-127.0.0.1}")
  String httpHost;

  @Option(names = {"--http-port", "--port"}, defaultValue = "${env:HTTP_PORT:-8084}")
  int port;

  @Option(names = "--topic-partitions", defaultValue = "${env:TOPIC_PARTITIONS:-3}")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "${env:TOPIC_REPLICATION_FACTOR:-1}")
  short replicationFactor;

  DeliveryConfig config() {
    String url = blankToNull(gatewayUrl);
    DeliveryConfig.GatewayMode mode = blankToNull(gateway) != null
        ? DeliveryConfig.GatewayMode.valueOf(gateway.trim().toUpperCase(java.util.Locale.ROOT))
        : url != null ? DeliveryConfig.GatewayMode.HTTP : DeliveryConfig.GatewayMode.OUTBOX;
    HttpGatewayConfig http = null;
    if (mode == DeliveryConfig.GatewayMode.HTTP) {
      if (url == null) {
        throw new CommandLine.ParameterException(new CommandLine(this), "the HTTP gateway needs --gateway-url (SMS_GATEWAY_URL)");
      }
      HttpGatewayConfig.Auth auth = blankToNull(gatewayAuth) != null
          ? HttpGatewayConfig.Auth.valueOf(gatewayAuth.trim().toUpperCase(java.util.Locale.ROOT))
          : blankToNull(gatewayToken) != null ? HttpGatewayConfig.Auth.BEARER
          : blankToNull(gatewayPassword) != null ? HttpGatewayConfig.Auth.BASIC
          : HttpGatewayConfig.Auth.NONE;
      String secret = auth == HttpGatewayConfig.Auth.BEARER ? blankToNull(gatewayToken) : blankToNull(gatewayPassword);
      http = new HttpGatewayConfig(URI.create(url), auth, blankToNull(gatewayUser), secret,
          connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, gatewayHonoursIdempotencyKey);
    }
    Path contacts = blankToNull(contactsFile) == null ? dataDir.resolve("contacts.csv") : Path.of(contactsFile);
    Path outbox = blankToNull(outboxFile) == null ? dataDir.resolve("sms-outbox.jsonl") : Path.of(outboxFile);
    return new DeliveryConfig(kafka.connection(), kafka.schemaRegistryUrl(), schemas.autoRegisterSchemas(), groupId, instanceId, dataDir, contacts,
        contactsManagedOutside, mode,
        outbox, http, zone, ledgerRetention, httpHost, port, partitions, replicationFactor, Duration.ofMinutes(5),
        Clock.systemUTC());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public Integer call() throws InterruptedException {
    DeliveryApp app = DeliveryApp.start(config());
    return RunUntilShutdown.closeOnShutdown(app, "delivery");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new DeliveryMain()).execute(args));
  }
}
