package no.followup.registry.tools;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import no.followup.common.ServiceLogging;
import no.followup.registry.RegistryClientConfig;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Registers the contract's schemas ({@code schemas/avro/*.avsc}) in a schema registry, each under
 * the subjects of {@link SubjectMapping}, after checking them all for compatibility: the deploy
 * step that lets services run with {@code auto.register.schemas=false}.
 *
 * <p>Exit codes: 0 done (or, with {@code --dry-run}, all compatible); 1 an incompatible change
 * (nothing registered); 2 bad usage; 3 any other failure (registry unreachable, unreadable schema).
 */
@Command(name = "register-schemas", mixinStandardHelpOptions = true,
    description = "Checks and registers the Avro contract's schemas in a schema registry.")
public final class RegisterSchemasCommand implements Callable<Integer> {

  public static final int INCOMPATIBLE = 1;
  public static final int FAILED = 3;

  @Spec CommandSpec spec;

  @Option(names = "--registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
      description = "Schema registry url(s), comma-separated (default: ${DEFAULT-VALUE}, env SCHEMA_REGISTRY_URL).")
  String registryUrl;

  @Option(names = "--schemas-dir", defaultValue = "schemas/avro",
      description = "Directory of .avsc files (default: ${DEFAULT-VALUE}; when the default does not exist, the "
          + "schemas bundled on the class path under avro/ are used).")
  Path schemasDir;

  @Option(names = "--from-classpath", description = "Read the schemas bundled on the class path (avro/ in the followup-schemas jar).")
  boolean fromClasspath;

  @Option(names = "--subjects-file",
      description = "Extra file-to-subject mapping (File.avsc=subject[,subject]); schemas/subjects.properties beside the schema directory is read too.")
  Path subjectsFile;

  @Option(names = "--dry-run", description = "Only check compatibility; register nothing.")
  boolean dryRun;

  @Option(names = "--basic-auth-user-info", defaultValue = "${env:SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO:-}",
      description = "user:password for the registry (env SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO).")
  String basicAuthUserInfo;

  @Option(names = {"-C", "--registry-config"}, paramLabel = "KEY=VALUE",
      description = "Further client settings, e.g. -C schema.registry.ssl.truststore.location=/etc/registry.jks")
  Map<String, String> registryConfig = new HashMap<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Map<String, Schema> bySubject = schemasBySubject(out, err);
      if (bySubject.isEmpty()) {
        err.println("No schema is mapped to a subject; nothing to do.");
        return 0;
      }
      SchemaRegistryClient client = SchemaRegistryClients.create(clientConfig());
      if (dryRun) {
        List<SchemaRegistration.Check> checks = SchemaRegistration.checkAll(client, bySubject);
        checks.forEach(check -> (check.compatible() ? out : err).println(check.describe()));
        boolean allCompatible = checks.stream().allMatch(SchemaRegistration.Check::compatible);
        out.println(allCompatible ? "Dry run: all schemas compatible, nothing registered." : "Dry run: incompatible schema change.");
        return allCompatible ? 0 : INCOMPATIBLE;
      }
      Map<String, Integer> ids = SchemaRegistration.registerAll(client, bySubject);
      ids.forEach((subject, id) -> out.println("subject '" + subject + "': " + bySubject.get(subject).getFullName() + " registered, id " + id));
      return 0;
    } catch (SchemaRegistration.IncompatibleSchemaException e) {
      e.failures().forEach(check -> err.println(check.describe()));
      err.println("Incompatible schema change: nothing registered.");
      return INCOMPATIBLE;
    } catch (SchemaRegistryException e) {
      err.println("Schema registration failed: " + e.getMessage());
      return e.isIncompatible() ? INCOMPATIBLE : FAILED;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("Schema registration failed: " + e.getMessage());
      return FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private Map<String, Schema> schemasBySubject(PrintWriter out, PrintWriter err) {
    boolean dirGiven = spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--schemas-dir");
    Map<String, Schema> files;
    List<Path> mappingFiles = new ArrayList<>();
    if (fromClasspath || (!dirGiven && !Files.isDirectory(schemasDir))) {
      out.println("Reading schemas from the class path (" + SchemaFiles.CLASSPATH_DIR + "/)");
      files = SchemaFiles.fromClasspath();
    } else {
      files = SchemaFiles.fromDirectory(schemasDir);
      Path parent = schemasDir.toAbsolutePath().getParent();
      if (parent != null) {
        mappingFiles.add(parent.resolve(SubjectMapping.PROPERTIES_FILE));
      }
    }
    mappingFiles.add(subjectsFile);
    Map<String, List<String>> mapping = SubjectMapping.load(mappingFiles);
    Map<String, Schema> bySubject = new LinkedHashMap<>();
    files.forEach((file, schema) -> {
      List<String> subjects = mapping.get(file);
      if (subjects == null || subjects.isEmpty()) {
        err.println("WARNING: skipping " + file + ": no subject mapped to it (add it to " + SubjectMapping.PROPERTIES_FILE + ")");
        return;
      }
      subjects.forEach(subject -> bySubject.put(subject, schema));
    });
    return bySubject;
  }

  private Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(registryConfig);
    config.put(RegistryClientConfig.URL, registryUrl);
    if (basicAuthUserInfo != null && !basicAuthUserInfo.isBlank()) {
      config.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
      config.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, basicAuthUserInfo);
    }
    return config;
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new RegisterSchemasCommand()).execute(args));
  }
}
