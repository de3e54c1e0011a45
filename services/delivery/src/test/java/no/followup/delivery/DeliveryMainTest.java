package no.followup.delivery;

import no.followup.demo.DemoContacts;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DeliveryMainTest {

  @TempDir Path dir;

  DeliveryConfig parse(String... args) {
    DeliveryMain main = new DeliveryMain();
    new CommandLine(main).parseArgs(args);
    main.gatewayToken = null;
    main.gatewayPassword = null;
    return main.config();
  }

  @Test
  void withoutAGatewayUrlTheOutboxInTheDataDirIsUsed() {
    DeliveryConfig config = parse("--data-dir", dir.toString());
    assertThat(config.gateway()).isEqualTo(DeliveryConfig.GatewayMode.OUTBOX);
    assertThat(config.outboxFile()).isEqualTo(dir.resolve("sms-outbox.jsonl"));
    assertThat(config.contactsFile()).isEqualTo(dir.resolve("contacts.csv"));
    assertThat(config.erasedParticipantsFile()).isEqualTo(dir.resolve("erased-participants.jsonl"));
    assertThat(config.transactionalId()).isEqualTo("followup-delivery-1");
  }

  @Test
  void aGatewayUrlSelectsTheHttpGatewayWithItsSettings() {
    DeliveryMain main = new DeliveryMain();
    new CommandLine(main).parseArgs("--data-dir", dir.toString(), "--gateway-url", "https://sms.example/v1/messages",
        "--gateway-max-attempts", "6", "--gateway-request-timeout", "PT3S");
    main.gatewayToken = "secret-token";
    main.gatewayPassword = null;
    DeliveryConfig config = main.config();
    assertThat(config.gateway()).isEqualTo(DeliveryConfig.GatewayMode.HTTP);
    assertThat(config.http().url()).isEqualTo(URI.create("https://sms.example/v1/messages"));
    assertThat(config.http().auth()).isEqualTo(HttpGatewayConfig.Auth.BEARER);
    assertThat(config.http().maxAttempts()).isEqualTo(6);
    assertThat(config.http().requestTimeout()).hasSeconds(3);
    assertThat(config.http().toString()).doesNotContain("secret-token");
    assertThat(config.http().honoursIdempotencyKey()).as("not assumed of a provider").isFalse();
    new CommandLine(main).parseArgs("--data-dir", dir.toString(), "--gateway-url", "https://sms.example/v1/messages",
        "--gateway-honours-idempotency-key");
    assertThat(main.config().http().honoursIdempotencyKey()).isTrue();
  }

  @Test
  void demoContactsAreWrittenOnceAndRead() {
    Path file = dir.resolve("contacts.csv");
    assertThat(DemoContacts.writeIfAbsent(file, List.of("p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7"))).isEqualTo(7);
    assertThat(DemoContacts.writeIfAbsent(file, List.of("p-9"))).isEqualTo(-1);
    FileContactDirectory directory = new FileContactDirectory(file);
    assertThat(directory.find("p-5")).hasValueSatisfying(c -> assertThat(c.language()).isEqualTo(Language.NYNORSK));
    assertThat(directory.find("p-7")).hasValueSatisfying(c -> assertThat(c.optedOutOfDigitalContact()).isTrue());
    assertThat(directory.find("p-1")).hasValueSatisfying(c -> assertThat(c.optedOutOfDigitalContact()).isFalse());
  }
}
