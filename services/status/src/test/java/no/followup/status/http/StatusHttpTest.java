package no.followup.status.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.OidcAuthenticator;
import no.followup.common.auth.OidcSettings;
import no.followup.common.auth.TestIssuer;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.common.streams.StreamsDefaults;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroSerde;
import no.followup.status.ParticipantStatus;
import no.followup.status.topology.StatusTopology;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the status API answers when it cannot answer from its own stores: 503 with Retry-After
 * while Streams is not RUNNING (starting, rebalancing, stopping, failed), passed on to the instance
 * that hosts a key. The HTTP server is real; Streams is a stand-in that is never started and
 * reports the state and key placement the test sets, since a real instance passes through
 * REBALANCING too briefly to be caught.
 */
class StatusHttpTest {

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-14T07:30:00Z"), ZoneOffset.UTC);
  /** Every endpoint answered from the stores. */
  private static final List<String> QUERIES = List.of(
      "/api/v1/participants/p-0000000001",
      "/api/v1/participants/p-0000000001/events?limit=20",
      "/api/v1/participants?office=3421",
      "/api/v1/offices/3421/tally",
      "/api/v1/cohorts/optimist/groups/YOUTH_UNDER_30/tally",
      "/api/v1/tallies?prefix=office:",
      "/api/v1/offices/3421/review",
      "/api/v1/offices/3421/tally?asOf=2025-01-31",
      "/api/v1/participants?office=3421&asOf=2025-01-31",
      "/api/v1/cohorts/optimist/report?asOf=2025-01-31");

  private static final String AUDIENCE = "followup-status";
  private static TestIssuer issuer;
  /** What the queries are asked with: a service's token (client credentials). */
  private static String serviceToken;

  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final StatusHttp.QueriesHolder holder = new StatusHttp.QueriesHolder();
  private final ServiceMetrics metrics = ServiceMetrics.create("status");
  private StatusHttp server;
  private AuditLog audit;
  private StandInStreams streams;

  /** A Streams instance that is never started; it reports the state and the key placement the test sets. */
  private static final class StandInStreams extends KafkaStreams {
    /** Null until set: the constructor of KafkaStreams runs before this field is assigned. */
    private volatile State reportedState;
    private volatile KeyQueryMetadata placement = KeyQueryMetadata.NOT_AVAILABLE;

    StandInStreams(Path stateDir) {
      super(StatusTopology.build(new StatusTopology.Options(OSLO, Duration.ofMinutes(10), CLOCK),
              Map.of("schema.registry.url", "mock://status-http-test")),
          StreamsDefaults.builder("status-http-test", "127.0.0.1:9").stateDir(stateDir)
              .schemaRegistryUrl("mock://status-http-test").build());
    }

    @Override
    public State state() {
      State reported = reportedState;
      return reported == null ? super.state() : reported;
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
      return placement;
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key,
        org.apache.kafka.streams.processor.StreamPartitioner<? super K, ?> partitioner) {
      return placement;
    }
  }

  @BeforeAll
  static void startIssuer() {
    issuer = TestIssuer.start();
    serviceToken = issuer.accessToken(AUDIENCE, c -> c.subject("followup-dashboard").claim("roles", List.of("SYSTEM")));
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @BeforeEach
  void start() {
    audit = new AuditLog(auditFile(), CLOCK);
    server = StatusHttp.start("127.0.0.1", 0, holder, CLOCK, new OidcAuthenticator(OidcSettings.of(issuer.issuer(), AUDIENCE)),
        metrics, audit);
    streams = new StandInStreams(stateDir);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
    streams.reportedState = null; // closing goes by the real state of the never-started instance
    streams.close(Duration.ofSeconds(10));
  }

  private Path auditFile() {
    return stateDir.resolve("audit").resolve("audit.log");
  }

  private List<JsonNode> auditLines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(auditFile())) {
      lines.add(StatusHttp.objectMapper().readTree(line));
    }
    return lines;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return get(port, path, serviceToken);
  }

  private HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void queriesOn(KafkaStreams.State state, HostInfo self) {
    streams.reportedState = state;
    SpecificAvroSerde<FollowUpEvent> events = new SpecificAvroSerde<>(FollowUpEvent.class);
    events.configure(Map.of("schema.registry.url", "mock://status-http-test"), false);
    SpecificAvroSerde<ParticipantStatus> statuses = new SpecificAvroSerde<>(ParticipantStatus.class);
    statuses.configure(Map.of("schema.registry.url", "mock://status-http-test"), false);
    StatusQueries queries = new StatusQueries(streams, self, OSLO, CLOCK, events.deserializer(), statuses.deserializer());
    holder.setTimeline(new ParticipantTimeline(queries, events.deserializer()));
    holder.set(queries);
  }

  private HostInfo self() {
    return new HostInfo("127.0.0.1", server.port());
  }

  @Test
  void everyQueryNeedsAServiceSignInAndHealthDoesNot() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    Map<String, String> unauthenticated = new LinkedHashMap<>();
    unauthenticated.put("no token", null);
    unauthenticated.put("expired", issuer.accessToken(AUDIENCE, c -> c.subject("followup-dashboard")
        .claim("roles", List.of("SYSTEM")).issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past))));
    unauthenticated.put("another audience", issuer.accessToken("followup-intake", c -> c.subject("followup-dashboard")
        .claim("roles", List.of("SYSTEM"))));
    unauthenticated.put("ID token", issuer.idToken(AUDIENCE, c -> c.subject("followup-dashboard")
        .claim("roles", List.of("SYSTEM"))));
    String teamLead = issuer.staffToken(AUDIENCE, "s-50", List.of("TEAM_LEAD"), List.of("3421"));

    for (String path : QUERIES) {
      for (Map.Entry<String, String> token : unauthenticated.entrySet()) {
        HttpResponse<String> r = get(server.port(), path, token.getValue());
        assertThat(r.statusCode()).as(path + " " + token.getKey()).isEqualTo(401);
        assertThat(r.body()).as(path).isEqualTo("{\"error\":\"authentication required\"}");
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      }
      HttpResponse<String> person = get(server.port(), path, teamLead);
      assertThat(person.statusCode()).as(path + " a person's token").isEqualTo(403);
      assertThat(person.body()).as(path).doesNotContain("p-0000000001").doesNotContain("3421");
      // past the door: the answer of a service that has not started its Streams yet
      assertThat(get(server.port(), path).statusCode()).as(path + " a service's token").isEqualTo(503);
    }
    assertThat(get(server.port(), "/health/live", null).statusCode()).isEqualTo(200);
    assertThat(get(server.port(), "/health/ready", null).body()).contains("NOT_STARTED");
  }

  @Test
  void everyPersonLevelAnswerIsAuditedWithTheServiceTheRouteAndIdShapedParametersOnly() throws Exception {
    queriesOn(KafkaStreams.State.REBALANCING, self()); // answers 503: the attempt is recorded all the same

    get(server.port(), "/api/v1/participants/p-0000000001/events?limit=20");
    get(server.port(), "/api/v1/participants?office=3421&asOf=2025-01-31&note=Ola%20Nordmann");
    get(server.port(), "/api/v1/participants/12345678901");
    get(server.port(), "/api/v1/offices/3421/review");
    get(server.port(), "/api/v1/offices/3421/tally"); // counts: not a person-level read
    get(server.port(), "/api/v1/participants/p-0000000001", null); // refused at the door: nothing was read

    List<JsonNode> lines = auditLines();
    assertThat(lines).extracting(line -> line.path("route").asText()).containsExactly(
        "/api/v1/participants/{id}/events", "/api/v1/participants", "/api/v1/participants/{id}",
        "/api/v1/offices/{officeId}/review");
    assertThat(lines).allSatisfy(line -> {
      assertThat(line.path("who").asText()).isEqualTo("followup-dashboard");
      assertThat(line.path("action").asText()).isEqualTo("read");
      assertThat(line.path("status").asInt()).isEqualTo(503);
    });
    assertThat(lines.get(0).path("parameters").toString()).isEqualTo("{\"id\":\"p-0000000001\",\"limit\":\"20\"}");
    assertThat(lines.get(1).path("parameters").toString()).isEqualTo("{\"office\":\"3421\",\"asOf\":\"2025-01-31\"}");
    assertThat(lines.get(2).path("parameters").path("id").asText()).isEqualTo(ReadAudit.NOT_AN_ID);
    assertThat(Files.readString(auditFile())).doesNotContain("12345678901").doesNotContain("Ola").doesNotContain("note");
  }

  @Test
  void aReadThatCannotBeAuditedIsNotAnswered() throws Exception {
    queriesOn(KafkaStreams.State.REBALANCING, self());
    audit.close(); // as a full disk or a removed file would: every write fails

    HttpResponse<String> answer = get(server.port(), "/api/v1/participants/p-0000000001");

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body()).isEqualTo("{\"error\":\"internal error\"}");
    assertThat(get(server.port(), "/api/v1/offices/3421/tally").statusCode()).as("counts are not audited").isEqualTo(503);
  }

  /** A date before anything followed up or after today bounds no work: 400 naming the parameter, before any store is read. */
  @Test
  void aDateOutOfRangeIs400NamingTheParameter() throws Exception {
    queriesOn(KafkaStreams.State.RUNNING, self());
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("/api/v1/offices/3421/tally?asOf=1999-12-31", "'asOf'");
    refused.put("/api/v1/tallies/office:3421?asOf=2025-05-15", "'asOf'"); // tomorrow in Oslo
    refused.put("/api/v1/participants?office=3421&asOf=31.12.2021", "'asOf'");
    refused.put("/api/v1/cohorts/optimist/report?from=1999-01-01&to=2021-12-31", "'from'");
    refused.put("/api/v1/cohorts/optimist/report?asOf=2030-01-01", "'asOf'");
    for (Map.Entry<String, String> request : refused.entrySet()) {
      HttpResponse<String> r = get(server.port(), request.getKey());
      assertThat(r.statusCode()).as(request.getKey()).isEqualTo(400);
      assertThat(r.body()).as(request.getKey()).contains(request.getValue());
    }
  }

  @Test
  void beforeStreamsExistsEveryQueryIsUnavailableWithRetryAfter() throws Exception {
    for (String path : QUERIES) {
      HttpResponse<String> r = get(server.port(), path);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).as(path).contains("2");
    }
    assertThat(get(server.port(), "/health/ready", null).body()).contains("NOT_STARTED");
  }

  @ParameterizedTest
  @EnumSource(value = KafkaStreams.State.class, names = {"CREATED", "REBALANCING", "PENDING_SHUTDOWN", "ERROR"})
  void whileStreamsIsNotRunningEveryQueryIsUnavailableWithRetryAfter(KafkaStreams.State state) throws Exception {
    queriesOn(state, self());

    for (String path : QUERIES) {
      HttpResponse<String> r = get(server.port(), path);
      assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).as(path).contains("2");
      assertThat(StatusHttp.objectMapper().readTree(r.body()).path("detail").asText()).as(path).contains(state.name());
    }
    HttpResponse<String> ready = get(server.port(), "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(StatusHttp.objectMapper().readTree(ready.body()).path("streams").asText()).isEqualTo(state.name());
  }

  @Test
  void aKeyWhoseHostIsNotKnownYetIsUnavailableWithRetryAfter() throws Exception {
    queriesOn(KafkaStreams.State.RUNNING, self());
    streams.placement = KeyQueryMetadata.NOT_AVAILABLE;

    HttpResponse<String> r = get(server.port(), "/api/v1/participants/p-0000000001");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("2");
  }

  @Test
  void aKeyHostedByAnotherInstanceIsAskedThereWithTheCallersSignInOnce() throws Exception {
    List<String> seenAuthorization = new CopyOnWriteArrayList<>();
    List<String> seenForwarded = new CopyOnWriteArrayList<>();
    HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/", exchange -> {
      seenAuthorization.add(exchange.getRequestHeaders().getFirst("Authorization"));
      seenForwarded.add(exchange.getRequestHeaders().getFirst(PeerRequests.FORWARDED_HEADER));
      byte[] body = ("{\"from\":\"peer\",\"path\":\"" + exchange.getRequestURI().getRawPath() + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    peer.start();
    try {
      queriesOn(KafkaStreams.State.RUNNING, self());
      streams.placement = new KeyQueryMetadata(new HostInfo("127.0.0.1", peer.getAddress().getPort()), Set.of(self()), 1);
      List<String> paths = List.of("/api/v1/participants/p-0000000001", "/api/v1/participants/p-0000000001/events",
          "/api/v1/offices/3421/tally",
          "/api/v1/cohorts/optimist/groups/YOUTH_UNDER_30/tally", "/api/v1/tallies/cohort-group:optimist%7CIMMIGRANTS");
      for (String path : paths) {
        HttpResponse<String> r = get(server.port(), path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        JsonNode body = StatusHttp.objectMapper().readTree(r.body());
        assertThat(body.path("from").asText()).as(path).isEqualTo("peer");
        assertThat(body.path("path").asText()).as(path).isEqualTo(path);
      }
      assertThat(seenAuthorization).hasSize(paths.size()).containsOnly("Bearer " + serviceToken);
      assertThat(seenForwarded).containsOnly("1");

      // a request another instance passed on is never passed on again: the key is moving, try again
      HttpResponse<String> passedOn = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + paths.get(0)))
          .header("Authorization", "Bearer " + serviceToken).header(PeerRequests.FORWARDED_HEADER, "1").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(passedOn.statusCode()).isEqualTo(503);
      assertThat(passedOn.headers().firstValue("Retry-After")).contains("2");
      assertThat(seenAuthorization).hasSize(paths.size());
    } finally {
      peer.stop(0);
    }
    // the instance holding the key is away: 503, try again (its standby takes over)
    HttpResponse<String> away = get(server.port(), "/api/v1/participants/p-0000000001");
    assertThat(away.statusCode()).isEqualTo(503);
    assertThat(away.headers().firstValue("Retry-After")).contains("2");
  }
}
