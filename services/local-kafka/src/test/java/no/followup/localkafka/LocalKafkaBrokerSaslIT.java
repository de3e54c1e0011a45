package no.followup.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's secured mode: who cannot log in, and that a logged-in user may do only what an ACL grants. */
class LocalKafkaBrokerSaslIT {

  private static final String TOPIC = "guarded";

  @TempDir Path dataDir;

  @Test
  void authenticatesEveryClientAndAllowsOnlyWhatAnAclGrants() throws Exception {
    LocalKafkaBroker.Options options = LocalKafkaBroker.Options.ephemeral(dataDir)
        .withSasl(new LocalKafkaBroker.Sasl("test-admin", "admin-secret-1"));
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(options);
         Admin admin = Admin.create(broker.adminClientConfig())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("writer",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "writer-secret"))).all().get();

      assertThat(causes(catchThrowable(() -> send(broker, "writer", "not-the-password"))))
          .hasAtLeastOneElementOfType(SaslAuthenticationException.class);
      assertThat(causes(catchThrowable(() -> send(broker, "writer", "writer-secret"))))
          .as("an authenticated user without an ACL")
          .hasAtLeastOneElementOfType(AuthorizationException.class);

      admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
          new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get();
      send(broker, "writer", "writer-secret");
    }
  }

  /** The failure and its causes: the clients report the same refusal directly or wrapped, depending on when it happens. */
  private static List<Throwable> causes(Throwable failure) {
    assertThat(failure).as("a refusal").isNotNull();
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static void send(LocalKafkaBroker broker, String user, String password)
      throws ExecutionException, InterruptedException {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", broker.bootstrapServers());
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user + "\" password=\"" + password + "\";");
    config.put("max.block.ms", 10_000);
    config.put("delivery.timeout.ms", 10_000);
    config.put("request.timeout.ms", 5_000);
    try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get();
    }
  }
}
