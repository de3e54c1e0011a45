package no.followup.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.kafka.ServiceAcls.Service;
import no.followup.common.streams.StreamsDefaults;
import no.followup.common.streams.StreamsRunner;
import no.followup.localkafka.LocalKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services' grants ({@link ServiceAcls}), given by {@link KafkaSetup} as the setup command gives
 * them, on a real broker that authenticates every client (SCRAM-SHA-512) and allows only what an
 * ACL grants: each service's principal does its real work (transactions, a Kafka Streams
 * application under exactly-once with its internal topics, a consumer group with offsets in a
 * transaction, its own ledger written in those transactions and read back, reading from the
 * beginning without a group, the registry's store, the operators' dead-letter and replay tools) and
 * is refused everything that belongs to another.
 */
class ServiceAclsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static LocalKafkaBroker broker;
  private static Admin admin;
  private static final Map<Service, String> PASSWORDS = new EnumMap<>(Service.class);

  @BeforeAll
  static void startBrokerAndGrant() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka"))
        .withSasl(new LocalKafkaBroker.Sasl("followup-admin", "admin-" + UUID.randomUUID())));
    admin = Admin.create(broker.adminClientConfig());
    for (Service service : Service.values()) {
      // a quote and a backslash: the JAAS configuration must carry any password as it is
      PASSWORDS.put(service, service.user() + "-pa\"ss\\word-" + UUID.randomUUID());
    }
    new TopicProvisioner(1, (short) 1, 1).ensure(admin, Topics.ALL);
    KafkaSetup setup = new KafkaSetup(admin);
    setup.upsertUsers(PASSWORDS);
    setup.applyAcls();
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void eventsGoFromTheIntakeThroughTheStatusStreamsApplicationToTheDashboard() {
    String participant = "p-" + UUID.randomUUID();
    try (var intake = producer(Service.INTAKE, "followup-intake-" + UUID.randomUUID())) {
      intake.initTransactions();
      intake.beginTransaction();
      intake.send(new ProducerRecord<>(Topics.EVENTS.name(), participant, "3421:enrolled"));
      intake.send(new ProducerRecord<>(Topics.EVENTS.name(), participant, "3421:meeting-attended"));
      intake.commitTransaction();
    }

    try (StreamsRunner status = StreamsRunner.create("status", statusLikeTopology(),
        StreamsDefaults.builder(Service.STATUS.user(), connection(Service.STATUS))
            .stateDir(dir.resolve("status-state"))
            .replicationFactor(1)
            .build(),
        Clock.systemUTC(), StreamsRunner.Settings.defaults(WAIT))) {
      status.start();

      Map<String, String> statuses = new ConcurrentHashMap<>();
      Map<String, String> tallies = new ConcurrentHashMap<>();
      await().atMost(WAIT).untilAsserted(() -> {
        readFromTheBeginning(Service.DASHBOARD, Topics.PARTICIPANT_STATUS.name())
            .forEach(record -> statuses.put(record.key(), record.value()));
        readFromTheBeginning(Service.DASHBOARD, Topics.TALLIES.name())
            .forEach(record -> tallies.put(record.key(), record.value()));
        assertThat(statuses).containsEntry(participant, "2");
        assertThat(tallies).containsKey("office:3421");
      });
    }
  }

  @Test
  void deliveryTurnsAReminderIntoATaskAReceiptAndALedgerEntryWithItsOffsetInTheSameTransaction() throws Exception {
    String reminderId = "r-" + UUID.randomUUID();
    try (var reminders = producer(Service.REMINDERS, null)) {
      send(reminders, Topics.REMINDERS.name(), reminderId, "call the participant");
    }

    try (var consumer = new KafkaConsumer<>(connection(Service.DELIVERY).clientConfig(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, Service.DELIVERY.user(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer());
         var producer = producer(Service.DELIVERY, "followup-delivery-1")) {
      producer.initTransactions();
      consumer.subscribe(List.of(Topics.REMINDERS.name()));
      List<ConsumerRecord<String, String>> mine = new ArrayList<>();
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          if (record.key().equals(reminderId)) {
            mine.add(record);
          }
        });
        return !mine.isEmpty();
      });
      ConsumerRecord<String, String> reminder = mine.get(0);
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.TASKS.name(), reminderId, "OPEN"));
      producer.send(new ProducerRecord<>(Topics.DELIVERY_RECEIPTS.name(), reminderId, "SKIPPED_NO_CONTACT"));
      producer.send(new ProducerRecord<>(Topics.DELIVERY_LEDGER.name(), reminderId, "SKIPPED_NO_CONTACT"));
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(reminder.topic(), reminder.partition()), new OffsetAndMetadata(reminder.offset() + 1)),
          new ConsumerGroupMetadata(Service.DELIVERY.user()));
      producer.commitTransaction();
    }

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(readFromTheBeginning(Service.DASHBOARD, Topics.TASKS.name())).anyMatch(r -> r.key().equals(reminderId));
      assertThat(readFromTheBeginning(Service.DASHBOARD, Topics.DELIVERY_RECEIPTS.name()))
          .anyMatch(r -> r.key().equals(reminderId));
      // as an instance given the partition reads it: no transaction open, then the partition to its end
      assertThat(readFromTheBeginning(Service.DELIVERY, Topics.DELIVERY_LEDGER.name())).anyMatch(r -> r.key().equals(reminderId));
    });
    try (Admin delivery = admin(connection(Service.DELIVERY), Duration.ofSeconds(20))) {
      TopicPartition ledger = new TopicPartition(Topics.DELIVERY_LEDGER.name(), 0);
      for (IsolationLevel isolation : IsolationLevel.values()) {
        assertThat(delivery.listOffsets(Map.of(ledger, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
            .partitionResult(ledger).get().offset()).as("end of the ledger, %s", isolation).isPositive();
      }
    }
    assertThat(refusal(() -> readFromTheBeginning(Service.DASHBOARD, Topics.DELIVERY_LEDGER.name())))
        .as("the ledger is delivery's alone").isInstanceOf(AuthorizationException.class);
  }

  /**
   * {@code followup dead-letters list|show} read the pointers whole; {@code redrive} reads the source
   * record, copies it to the end of its topic and marks it on the dead-letter topic in a transaction
   * under its one id; {@code followup replay} reads an events topic whole. Nothing else.
   */
  @Test
  void theOperatorsToolsReadDeadLettersAndSourcesAndReDriveUnderTheirOneTransactionalId() throws Exception {
    String key = "p-" + UUID.randomUUID();
    try (var intake = producer(Service.INTAKE, null); var reminders = producer(Service.REMINDERS, null);
         var status = producer(Service.STATUS, null)) {
      send(intake, Topics.EVENTS.name(), key, "3421:enrolled");
      send(reminders, Topics.REMINDERS.name(), key, "a reminder");
      send(status, Topics.DEAD_LETTER.name(), key, "pointer to events");
    }
    assertThat(readFromTheBeginning(Service.OPERATOR, Topics.DEAD_LETTER.name())).anyMatch(r -> r.key().equals(key));
    assertThat(readFromTheBeginning(Service.OPERATOR, Topics.EVENTS.name())).anyMatch(r -> r.key().equals(key));
    assertThat(readFromTheBeginning(Service.OPERATOR, Topics.REMINDERS.name())).anyMatch(r -> r.key().equals(key));
    try (var redrive = producer(Service.OPERATOR, ServiceAcls.REDRIVE_TRANSACTIONAL_ID)) {
      redrive.initTransactions();
      redrive.beginTransaction();
      redrive.send(new ProducerRecord<>(Topics.EVENTS.name(), key, "3421:enrolled"));
      redrive.send(new ProducerRecord<>(Topics.REMINDERS.name(), key, "a reminder"));
      redrive.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), key, "re-driven"));
      redrive.commitTransaction();
    }
    assertThat(readFromTheBeginning(Service.OPERATOR, Topics.DEAD_LETTER.name())).anyMatch(r -> r.value().equals("re-driven"));

    assertThat(refusal(() -> {
      try (var other = producer(Service.OPERATOR, "followup-delivery-borrowed")) {
        other.initTransactions();
      }
    })).as("the operator under another transactional id").isInstanceOf(AuthorizationException.class);
    for (Topics.TopicSpec derived : List.of(Topics.PARTICIPANT_STATUS, Topics.TASKS, Topics.DELIVERY_LEDGER, Topics.PARTICIPANT_KEYS)) {
      assertThat(refusal(() -> readFromTheBeginning(Service.OPERATOR, derived.name())))
          .as("the operator reading " + derived.name()).isInstanceOf(AuthorizationException.class);
    }
    assertThat(refusal(() -> {
      try (var operator = producer(Service.OPERATOR, null)) {
        send(operator, Topics.TASKS.name(), key, "forged task");
      }
    })).as("the operator writing derived state").isInstanceOf(AuthorizationException.class);
    assertThat(refusal(() -> {
      try (var operator = new KafkaConsumer<>(connection(Service.OPERATOR).clientConfig(Map.of(
          ConsumerConfig.GROUP_ID_CONFIG, Service.STATUS.user())), new StringDeserializer(), new StringDeserializer())) {
        operator.subscribe(List.of(Topics.EVENTS.name()));
        operator.poll(Duration.ofSeconds(10));
      }
    })).as("the operator joining a service's group").isInstanceOf(AuthorizationException.class);
  }

  @Test
  void theDashboardAndTheStreamsApplicationsMayPointAtDeadLetters() throws Exception {
    for (Service service : List.of(Service.DASHBOARD, Service.STATUS, Service.REMINDERS, Service.DELIVERY)) {
      try (var producer = producer(service, null)) {
        send(producer, Topics.DEAD_LETTER.name(), "source-key", "pointer");
      }
    }
  }

  @Test
  void theRegistryOwnsItsStoreAndNothingElse() throws Exception {
    try (Admin registry = admin(connection(Service.REGISTRY), Duration.ofSeconds(20))) {
      registry.createTopics(List.of(new NewTopic(Topics.SCHEMA_STORE, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
      assertThat(registry.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.SCHEMA_STORE))).all().get().values())
          .singleElement().satisfies(config ->
              assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact"));
      assertThat(refusal(() -> registry.createTopics(List.of(new NewTopic("followup.sneaky.v1", 1, (short) 1))).all().get()))
          .isInstanceOf(AuthorizationException.class);
    }
    try (var producer = producer(Service.REGISTRY, null)) {
      send(producer, Topics.SCHEMA_STORE, "{\"keytype\":\"NOOP\"}", "{}");
    }
    try (var consumer = new KafkaConsumer<>(connection(Service.REGISTRY).clientConfig(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, "schema-registry",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.SCHEMA_STORE));
      await().atMost(WAIT).until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
    }
    assertThat(refusal(() -> readFromTheBeginning(Service.REGISTRY, Topics.EVENTS.name())))
        .isInstanceOf(AuthorizationException.class);
  }

  @Test
  void eachServiceIsRefusedWhatBelongsToAnother() throws Exception {
    try (var intake = producer(Service.INTAKE, null)) {
      // a record to fetch: an empty topic would be "read" without a fetch, which is what READ guards
      send(intake, Topics.EVENTS.name(), "p-" + UUID.randomUUID(), "3421:enrolled");
    }
    assertThat(refusal(() -> {
      try (var delivery = producer(Service.DELIVERY, null)) {
        send(delivery, Topics.EVENTS.name(), "p-1", "forged event");
      }
    })).as("delivery writing events").isInstanceOf(AuthorizationException.class);
    assertThat(refusal(() -> readFromTheBeginning(Service.DASHBOARD, Topics.EVENTS.name())))
        .as("the dashboard reading events").isInstanceOf(AuthorizationException.class);
    for (Topics.TopicSpec topic : Topics.ALL) {
      if (topic == Topics.PARTICIPANT_KEYS) {
        continue; // the data keys it issues are the one topic the intake reads
      }
      assertThat(refusal(() -> readFromTheBeginning(Service.INTAKE, topic.name())))
          .as("the intake reading " + topic.name()).isInstanceOf(AuthorizationException.class);
    }
    assertThat(refusal(() -> {
      try (var reminders = producer(Service.REMINDERS, null)) {
        send(reminders, Topics.PARTICIPANT_STATUS.name(), "p-1", "forged status");
      }
    })).as("reminders writing status").isInstanceOf(AuthorizationException.class);
    assertThat(refusal(() -> {
      try (var intake = producer(Service.INTAKE, "followup-status-borrowed")) {
        intake.initTransactions();
      }
    })).as("the intake using status's transactional id").isInstanceOf(AuthorizationException.class);
    assertThat(refusal(() -> {
      try (var status = new KafkaConsumer<>(connection(Service.STATUS).clientConfig(Map.of(
          ConsumerConfig.GROUP_ID_CONFIG, Service.DELIVERY.user())), new StringDeserializer(), new StringDeserializer())) {
        status.subscribe(List.of(Topics.EVENTS.name()));
        status.poll(Duration.ofSeconds(10));
      }
    })).as("status joining delivery's group").isInstanceOf(AuthorizationException.class);
    try (Admin intake = admin(connection(Service.INTAKE), Duration.ofSeconds(20))) {
      assertThat(refusal(() -> intake.createTopics(List.of(new NewTopic("followup.events.v2", 1, (short) 1))).all().get()))
          .as("a service creating a topic").isInstanceOf(AuthorizationException.class);
      assertThat(refusal(() -> intake.createAcls(List.of(new AclBinding(
          new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL),
          new AccessControlEntry(Service.INTAKE.principal(), "*", AclOperation.ALL, AclPermissionType.ALLOW)))).all().get()))
          .as("a service granting itself more").isInstanceOf(AuthorizationException.class);
    }
  }

  @Test
  void nobodyGetsInWithoutTheRightPassword() {
    KafkaConnection wrongPassword = new KafkaConnection(broker.bootstrapServers(),
        KafkaSecurity.sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", Service.STATUS.user(), "not-the-password"));
    try (Admin impostor = admin(wrongPassword, Duration.ofSeconds(10))) {
      assertThat(refusal(() -> impostor.listTopics().names().get())).isInstanceOf(SaslAuthenticationException.class);
    }
    try (Admin anonymous = admin(KafkaConnection.plaintext(broker.bootstrapServers()), Duration.ofSeconds(3))) {
      assertThat(refusal(() -> anonymous.listTopics().names().get())).as("a client that does not authenticate")
          .isInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void theSetupRevokesWhatTheTableNoLongerGrantsAndIsOtherwiseIdempotent() throws Exception {
    AclBinding stray = new AclBinding(new ResourcePattern(ResourceType.TOPIC, Topics.EVENTS.name(), PatternType.LITERAL),
        new AccessControlEntry(Service.DASHBOARD.principal(), "*", AclOperation.READ, AclPermissionType.ALLOW));
    admin.createAcls(List.of(stray)).all().get();

    KafkaSetup.AclChanges changes = new KafkaSetup(admin).applyAcls();
    assertThat(changes.granted()).isEmpty();
    assertThat(changes.revoked()).containsExactly(stray);
    assertThat(new KafkaSetup(admin).applyAcls()).isEqualTo(new KafkaSetup.AclChanges(List.of(), List.of()));
  }

  @Test
  void topicsLessDurableThanConfiguredAreFound() {
    assertThat(new TopicProvisioner(1, (short) 1, 1).weakerThanConfigured(admin, Topics.ALL)).isEmpty();
    assertThat(new TopicProvisioner(1, (short) 3, 2).weakerThanConfigured(admin, Topics.ALL))
        .hasSize(2 * Topics.ALL.size())
        .contains(Topics.EVENTS.name() + ": 1 replicas, configured 3",
            Topics.EVENTS.name() + ": min.insync.replicas 1, configured 2");
  }

  /**
   * Reads events, keeps a count per participant in a store (a changelog topic) and per office after
   * a repartition (a repartition topic): every kind of internal topic the status application has.
   */
  private static Topology statusLikeTopology() {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> events = builder.stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), Serdes.String()));
    events.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("events-per-participant"))
        .toStream()
        .mapValues(String::valueOf)
        .to(Topics.PARTICIPANT_STATUS.name(), Produced.with(Serdes.String(), Serdes.String()));
    events.selectKey((participant, event) -> "office:" + event.substring(0, event.indexOf(':')))
        .groupByKey(Grouped.with("by-office", Serdes.String(), Serdes.String()))
        .count(Materialized.as("events-per-office"))
        .toStream()
        .mapValues(String::valueOf)
        .to(Topics.TALLIES.name(), Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  private static KafkaConnection connection(Service service) {
    return new KafkaConnection(broker.bootstrapServers(),
        KafkaSecurity.sasl(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512", service.user(), PASSWORDS.get(service)));
  }

  private static Admin admin(KafkaConnection connection, Duration timeout) {
    return Admin.create(connection.clientConfig(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())));
  }

  /** An idempotent producer with acks=all, transactional when {@code transactionalId} is given. */
  private static KafkaProducer<String, String> producer(Service service, String transactionalId) {
    Map<String, Object> config = connection(service).clientConfig(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    if (transactionalId != null) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static void send(KafkaProducer<String, String> producer, String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  /** Every committed record of {@code topic}, as the dashboard reads: no consumer group, from the beginning. */
  private static List<ConsumerRecord<String, String>> readFromTheBeginning(Service service, String topic) {
    try (var consumer = new KafkaConsumer<>(connection(service).clientConfig(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)), new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** What {@code call} failed with, unwrapped from the futures' ExecutionException. */
  private static Throwable refusal(ThrowingCallable call) {
    Throwable failure = catchThrowable(call);
    assertThat(failure).as("a refusal").isNotNull();
    return failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
