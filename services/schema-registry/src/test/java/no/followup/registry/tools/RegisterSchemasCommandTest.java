package no.followup.registry.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import no.followup.events.FollowUpEvent;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.SchemaRegistryException;
import no.followup.registry.TestEvents;
import no.followup.registry.server.LocalSchemaRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RegisterSchemasCommandTest {

  private static final String EVENTS_SUBJECT = "followup.events.v1-value";

  @TempDir Path temp;
  private LocalSchemaRegistry registry;
  private SchemaRegistryClient client;
  private Path avroDir;

  @BeforeEach
  void start() throws Exception {
    registry = LocalSchemaRegistry.startInMemory(0);
    client = SchemaRegistryClients.create(registry.url());
    avroDir = Files.createDirectories(temp.resolve("schemas/avro"));
    write("FollowUpEvent.avsc", FollowUpEvent.getClassSchema());
    write("Unmapped.avsc", TestEvents.record("Unmapped", ""));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private void write(String file, Schema schema) throws Exception {
    Files.writeString(avroDir.resolve(file), schema.toString(true));
  }

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--registry-url";
    all[1] = registry.url();
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = new CommandLine(new RegisterSchemasCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void registersMappedSchemasAndSkipsOthersWithAWarning() {
    Run run = run("--schemas-dir", avroDir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("WARNING: skipping Unmapped.avsc");
    assertThat(client.getSubjects()).containsExactly(EVENTS_SUBJECT);
    int id = client.getLatestVersion(EVENTS_SUBJECT).id();
    assertThat(run.out()).contains("subject '" + EVENTS_SUBJECT + "'").contains("id " + id);

    // running again changes nothing
    assertThat(run("--schemas-dir", avroDir.toString()).exitCode()).isZero();
    assertThat(client.getVersions(EVENTS_SUBJECT)).containsExactly(1);
  }

  @Test
  void aDryRunOnlyChecks() {
    Run run = run("--schemas-dir", avroDir.toString(), "--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("subject '" + EVENTS_SUBJECT + "': compatible").contains("nothing registered");
    assertThat(client.getSubjects()).isEmpty();
  }

  @Test
  void anIncompatibleChangeFailsNamingTheSubjectAndTheProblemAndRegistersNothing() throws Exception {
    assertThat(run("--schemas-dir", avroDir.toString()).exitCode()).isZero();
    write("FollowUpEvent.avsc", TestEvents.eventSchemaWithNewRequiredField());

    Run dryRun = run("--schemas-dir", avroDir.toString(), "--dry-run");
    Run run = run("--schemas-dir", avroDir.toString());

    for (Run failed : new Run[] {dryRun, run}) {
      assertThat(failed.exitCode()).isEqualTo(RegisterSchemasCommand.INCOMPATIBLE);
      assertThat(failed.err())
          .contains("subject '" + EVENTS_SUBJECT + "': incompatible under BACKWARD")
          .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
          .contains("mandatoryNewField");
    }
    assertThat(client.getVersions(EVENTS_SUBJECT)).containsExactly(1);
  }

  @Test
  void aSubjectsFileBesideTheSchemaDirectoryMapsMoreFiles() throws Exception {
    Files.writeString(temp.resolve("schemas/subjects.properties"), "# file = subjects\nUnmapped.avsc = unmapped.v1-value, other.v1-value\n");

    Run run = run("--schemas-dir", avroDir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("WARNING");
    assertThat(client.getSubjects()).containsExactly(EVENTS_SUBJECT, "other.v1-value", "unmapped.v1-value");
  }

  @Test
  void readsTheSchemasBundledOnTheClassPath() {
    Run run = run("--from-classpath");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(client.getLatestVersion(EVENTS_SUBJECT).schema()).isEqualTo(TestEvents.contractSchema());
    // every subject registered is one the built-in table names
    assertThat(SubjectMapping.BUILT_IN.values().stream().flatMap(java.util.List::stream).toList())
        .containsAll(client.getSubjects());
  }

  @Test
  void anUnreachableRegistryOrAMissingDirectoryIsAFailure() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new RegisterSchemasCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("--registry-url", "http://127.0.0.1:" + deadPort, "--schemas-dir", avroDir.toString(),
            "-C", "schema.registry.max.retries=0");
    assertThat(exit).isEqualTo(RegisterSchemasCommand.FAILED);
    assertThat(err.toString()).contains("unreachable");

    assertThat(run("--schemas-dir", temp.resolve("nowhere").toString()).exitCode()).isEqualTo(RegisterSchemasCommand.FAILED);
  }

  @Test
  void registerAllRegistersNothingWhenAnySchemaIsIncompatible() {
    Schema v1 = TestEvents.record("A", "{\"name\":\"a\",\"type\":\"int\"}");
    client.register("a-value", v1);
    Schema breaking = TestEvents.record("A", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}");
    Schema fine = TestEvents.record("B", "");

    assertThatThrownBy(() -> SchemaRegistration.registerAll(client, Map.of("a-value", breaking, "b-value", fine)))
        .isInstanceOfSatisfying(SchemaRegistration.IncompatibleSchemaException.class, e -> {
          assertThat(e.failures()).singleElement().satisfies(check -> assertThat(check.subject()).isEqualTo("a-value"));
          assertThat(e.getMessage()).contains("a-value").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        });
    assertThat(client.getSubjects()).containsExactly("a-value");

    Map<String, Integer> ids = SchemaRegistration.registerAll(client, Map.of("a-value", v1, "b-value", fine));
    assertThat(ids).containsEntry("a-value", client.getId("a-value", v1)).containsKey("b-value");
    assertThatThrownBy(() -> client.getVersion("b-value", 2)).isInstanceOf(SchemaRegistryException.class);
  }
}
