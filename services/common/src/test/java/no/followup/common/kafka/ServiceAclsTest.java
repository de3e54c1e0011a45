package no.followup.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import no.followup.common.Topics;
import no.followup.common.kafka.ServiceAcls.Service;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The table itself: each topic written by its owner only (and by the operators' re-drive), read only by those downstream of it. */
class ServiceAclsTest {

  private static final List<AclBinding> ALL = ServiceAcls.all().values().stream().flatMap(List::stream).toList();

  @Test
  void eachTopicIsWrittenByItsOwnerAndReadByThoseDownstream() {
    // the operators' re-drive copies a dead-lettered record to the end of its own topic
    assertThat(services(Topics.EVENTS, AclOperation.WRITE)).containsExactlyInAnyOrder(Service.INTAKE, Service.OPERATOR);
    assertThat(services(Topics.EVENTS, AclOperation.READ)).containsExactlyInAnyOrder(Service.STATUS, Service.REMINDERS, Service.OPERATOR);
    assertThat(services(Topics.PARTICIPANT_STATUS, AclOperation.WRITE)).containsExactly(Service.STATUS);
    assertThat(services(Topics.TALLIES, AclOperation.WRITE)).containsExactly(Service.STATUS);
    assertThat(services(Topics.REMINDERS, AclOperation.WRITE)).containsExactlyInAnyOrder(Service.REMINDERS, Service.OPERATOR);
    assertThat(services(Topics.REMINDERS, AclOperation.READ)).containsExactlyInAnyOrder(Service.DELIVERY, Service.OPERATOR);
    assertThat(services(Topics.TASKS, AclOperation.WRITE)).containsExactly(Service.DELIVERY);
    assertThat(services(Topics.DELIVERY_RECEIPTS, AclOperation.WRITE)).containsExactly(Service.DELIVERY);
    assertThat(services(Topics.DELIVERY_LEDGER, AclOperation.WRITE)).containsExactly(Service.DELIVERY);
    assertThat(services(Topics.DELIVERY_LEDGER, AclOperation.READ)).as("delivery's own record").containsExactly(Service.DELIVERY);
    for (Topics.TopicSpec readModel : List.of(Topics.PARTICIPANT_STATUS, Topics.TALLIES, Topics.TASKS, Topics.DELIVERY_RECEIPTS)) {
      assertThat(services(readModel, AclOperation.READ)).containsExactly(Service.DASHBOARD);
    }
    assertThat(services(Topics.DEAD_LETTER, AclOperation.WRITE))
        .containsExactlyInAnyOrder(Service.STATUS, Service.REMINDERS, Service.DELIVERY, Service.DASHBOARD, Service.OPERATOR);
    assertThat(services(Topics.DEAD_LETTER, AclOperation.READ)).as("pointers are for operators").containsExactly(Service.OPERATOR);
  }

  @Test
  void theOperatorsToolsJoinNoGroupAndTransactOnlyUnderTheReDrivesId() {
    assertThat(ServiceAcls.bindings(Service.OPERATOR))
        .filteredOn(binding -> binding.pattern().resourceType() != ResourceType.TOPIC)
        .extracting(ServiceAcls::describe)
        .containsExactly("followup-operator WRITE TRANSACTIONAL_ID followup-cli-dead-letters-redrive");
  }

  @Test
  void intakeReadsOnlyItsOwnDataKeysAndJoinsNoGroup() {
    assertThat(ServiceAcls.bindings(Service.INTAKE))
        .filteredOn(binding -> binding.entry().operation() != AclOperation.WRITE)
        .extracting(binding -> binding.entry().operation() + " " + binding.pattern().name())
        .containsExactly("READ " + Topics.PARTICIPANT_KEYS.name());
  }

  @Test
  void dataKeysAreWrittenByTheIntakeAndReadByTheConsumersOfSealedEvents() {
    assertThat(services(Topics.PARTICIPANT_KEYS, AclOperation.WRITE)).containsExactly(Service.INTAKE);
    assertThat(services(Topics.PARTICIPANT_KEYS, AclOperation.READ))
        .containsExactlyInAnyOrder(Service.INTAKE, Service.STATUS, Service.REMINDERS);
  }

  @Test
  void nothingIsGrantedWholesale() {
    assertThat(ALL).allSatisfy(binding -> {
      assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
      assertThat(binding.entry().operation()).isNotIn(AclOperation.ALL, AclOperation.ALTER, AclOperation.ALTER_CONFIGS,
          AclOperation.CLUSTER_ACTION, AclOperation.IDEMPOTENT_WRITE);
      assertThat(binding.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
      assertThat(binding.pattern().name()).isNotEqualTo("*");
      assertThat(binding.pattern().patternType()).isIn(PatternType.LITERAL, PatternType.PREFIXED);
    });
  }

  @Test
  void eachServiceOwnsOnlyResourcesNamedAfterItsUser() {
    for (Service service : Service.values()) {
      assertThat(ServiceAcls.bindings(service)).allSatisfy(binding -> {
        assertThat(binding.entry().principal()).isEqualTo(service.principal());
        if (binding.pattern().patternType() == PatternType.PREFIXED && service != Service.REGISTRY) {
          assertThat(binding.pattern().name()).isEqualTo(service.user() + "-");
        }
      });
    }
    assertThat(ServiceAcls.bindings(Service.REGISTRY)).allSatisfy(binding -> assertThat(binding.pattern().name())
        .isIn(Topics.SCHEMA_STORE, ServiceAcls.CONFLUENT_REGISTRY_GROUP_PREFIX));
  }

  @Test
  void theSetupCommandPrintsTheTableOnADryRun() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new KafkaSetupCommand()).setOut(new PrintWriter(out)).execute("--dry-run");
    assertThat(exit).isZero();
    assertThat(out.toString().lines()).hasSize(ALL.size())
        .contains("followup-intake WRITE TOPIC followup.events.v1", "followup-status READ GROUP followup-status",
            "followup-delivery WRITE TRANSACTIONAL_ID followup-delivery-*");
  }

  @Test
  void theSetupCommandRefusesMissingOrShortPasswordsNamingOnlyTheVariables() {
    Map<String, String> env = Map.of("KAFKA_INTAKE_PASSWORD", "hunter2-hunter2", "KAFKA_STATUS_PASSWORD", "0123456789abcdef0123");
    assertThatThrownBy(() -> KafkaSetupCommand.passwords(env::get))
        .hasMessageContaining("KAFKA_INTAKE_PASSWORD")
        .hasMessageContaining("KAFKA_REGISTRY_PASSWORD")
        .hasMessageNotContaining("KAFKA_STATUS_PASSWORD")
        .hasMessageNotContaining("hunter2");
  }

  private static Set<Service> services(Topics.TopicSpec topic, AclOperation operation) {
    return ServiceAcls.all().entrySet().stream()
        .filter(entry -> entry.getValue().stream().anyMatch(binding -> binding.entry().operation() == operation
            && binding.pattern().resourceType() == ResourceType.TOPIC
            && binding.pattern().patternType() == PatternType.LITERAL
            && binding.pattern().name().equals(topic.name())))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }
}
