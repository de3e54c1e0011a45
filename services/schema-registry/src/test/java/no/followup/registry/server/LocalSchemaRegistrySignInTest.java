package no.followup.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import no.followup.registry.RegistryClientConfig;
import no.followup.registry.RestSchemaRegistryClient;
import no.followup.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The local registry's door: nothing but the health checks without the user's basic credentials. */
class LocalSchemaRegistrySignInTest {

  private static final RegistryUser USER = new RegistryUser("followup", "a-long-random-password-for-tests");
  private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("no.followup.test").fields()
      .requiredString("id").endRecord();

  /** Every route the registry serves, with a body where the route takes one. */
  private static final List<String[]> ROUTES = List.of(
      new String[] {"GET", "/", null},
      new String[] {"GET", "/subjects", null},
      new String[] {"GET", "/schemas/types", null},
      new String[] {"GET", "/schemas/ids/1", null},
      new String[] {"GET", "/schemas/ids/1/schema", null},
      new String[] {"GET", "/subjects/probe-value/versions", null},
      new String[] {"GET", "/subjects/probe-value/versions/latest", null},
      new String[] {"GET", "/subjects/probe-value/versions/latest/schema", null},
      new String[] {"POST", "/subjects/probe-value/versions", schemaBody()},
      new String[] {"POST", "/subjects/probe-value", schemaBody()},
      new String[] {"POST", "/compatibility/subjects/probe-value/versions/latest", schemaBody()},
      new String[] {"POST", "/compatibility/subjects/probe-value/versions", schemaBody()},
      new String[] {"GET", "/config", null},
      new String[] {"PUT", "/config", "{\"compatibility\":\"NONE\"}"},
      new String[] {"GET", "/config/probe-value", null},
      new String[] {"PUT", "/config/probe-value", "{\"compatibility\":\"NONE\"}"},
      new String[] {"DELETE", "/config/probe-value", null},
      new String[] {"GET", "/no-such-route", null});

  private static LocalSchemaRegistry registry;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void up() {
    registry = LocalSchemaRegistry.startInMemory(0, USER);
  }

  @AfterAll
  static void down() {
    registry.close();
  }

  @Test
  void everyRouteRefusesNoCredentialsAWrongPasswordAndAnotherUserAndChangesNothing() throws Exception {
    String wrongPassword = basic("followup", "a-long-random-password-for-test!");
    String otherUser = basic("someone", USER.password());
    String notBasic = "Bearer " + USER.password();
    // not Base64, and Base64 of something without the ':' between user and password
    String malformed = "Basic !!";
    String withoutColon = "Basic " + java.util.Base64.getEncoder().encodeToString("followup".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (String[] route : ROUTES) {
      for (String authorization : new String[] {null, wrongPassword, otherUser, notBasic, malformed, withoutColon}) {
        HttpResponse<String> answer = send(route, authorization);
        assertThat(answer.statusCode()).as("%s %s with %s", route[0], route[1], authorization).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"schema-registry\"");
        assertThat(answer.body()).isEqualTo("{\"error_code\":401,\"message\":\"Unauthorized\"}");
      }
    }
    // nothing was registered and the compatibility was not changed by any refused request
    HttpResponse<String> config = send(new String[] {"GET", "/config", null}, basic(USER.name(), USER.password()));
    assertThat(config.body()).contains("BACKWARD");
    HttpResponse<String> subjects = send(new String[] {"GET", "/subjects", null}, basic(USER.name(), USER.password()));
    assertThat(subjects.body()).isEqualTo("[]");
  }

  @Test
  void healthChecksAreOpenForAContainerProbe() throws Exception {
    assertThat(send(new String[] {"GET", "/health/live", null}, null).statusCode()).isEqualTo(200);
    assertThat(send(new String[] {"GET", "/health/ready", null}, null).statusCode()).isEqualTo(200);
  }

  @Test
  void theProjectsClientSignsInWithCredentialsInTheUrlAndIsRefusedWithout() {
    var signedIn = new RestSchemaRegistryClient(RegistryClientConfig.of(registry.urlForClients()));
    int id = signedIn.register("signed-in-value", SCHEMA);
    assertThat(signedIn.getSchemaById(id)).isEqualTo(SCHEMA);

    var anonymous = new RestSchemaRegistryClient(RegistryClientConfig.of(registry.url()));
    assertThatThrownBy(() -> anonymous.register("anonymous-value", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageNotContaining(USER.password());
  }

  @Test
  void thePrintableAddressCarriesNoPassword() {
    assertThat(registry.url()).doesNotContain(USER.password()).doesNotContain("@");
    assertThat(registry.urlForClients()).contains(USER.userInfo() + "@");
    assertThat(USER.toString()).doesNotContain(USER.password());
  }

  @Test
  void theCommandFailsClosedWithoutAPasswordAndOpensOnlyOnLoopback() {
    var main = new LocalSchemaRegistryMain();
    var commandLine = new CommandLine(main);
    commandLine.parseArgs("--host", "0.0.0.0");
    assertThatThrownBy(() -> main.options(null))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("SCHEMA_REGISTRY_PASSWORD is not set");
    assertThatThrownBy(() -> main.options("short"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("at least 16");
    assertThat(main.options(USER.password()).user()).isEqualTo(new RegistryUser("followup", USER.password()));

    var open = new LocalSchemaRegistryMain();
    new CommandLine(open).parseArgs("--host", "0.0.0.0", "--open");
    assertThatThrownBy(() -> open.options(null))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("only for a loopback --host");
    var openOnLoopback = new LocalSchemaRegistryMain();
    new CommandLine(openOnLoopback).parseArgs("--open");
    assertThat(openOnLoopback.options(null).user()).isNull();
  }

  private HttpResponse<String> send(String[] route, String authorization) throws Exception {
    HttpRequest.BodyPublisher body = route[2] == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(route[2]);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + route[1]))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .method(route[0], body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String schemaBody() {
    return "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString()) + "}";
  }
}
