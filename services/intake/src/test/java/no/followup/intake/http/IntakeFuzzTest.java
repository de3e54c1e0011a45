package no.followup.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.followup.intake.IntakeConfig;
import no.followup.common.auth.LocalToken;
import no.followup.intake.event.EventJsonReader;
import no.followup.intake.event.EventSchema;
import no.followup.intake.event.ExampleEvents;
import no.followup.intake.publish.RecentEvents;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input against the real HTTP API, with a publisher that records what reaches it.
 * About 1,500 invalid requests, generated from a fixed seed, must each be answered 400 naming the
 * offending field (never 2xx, never 5xx), and no answer may repeat an identity number, an over-long
 * value or any non-ASCII or control-character text that was sent. Valid events of every type, also
 * at the limits and with the ids the pipeline's tools really use, must still be accepted: the test
 * fails both when the intake lets garbage through and when it refuses the legitimate.
 */
class IntakeFuzzTest {

  private static final long SEED = 20_251_201L;
  private static final int INVALID_CASES = 1_500;
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final long MAX_BODY = IntakeConfig.DEFAULT_MAX_BODY_BYTES;
  private static final int MAX_BATCH = 50;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Stands in for raw JSON text spliced into a serialised event (garbage a JSON writer would refuse to write). */
  private static final String RAW = "@@raw@@";
  private static final Pattern ELEVEN_DIGITS = Pattern.compile("\\d{11}");
  private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7e]*");
  private static final String IDENTITY_NUMBER = "01019012345";

  private final RecordingPublisher publisher = new RecordingPublisher();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** Signed in with the local token: the fuzzing is of what a signed-in caller sends. */
  private static final LocalToken TOKEN = LocalToken.generate();

  private final Random random = new Random(SEED);
  private Javalin server;
  private String base;

  @BeforeEach
  void start() {
    IntakeApi api = new IntakeApi(TOKEN, new EventJsonReader(), publisher, new RecentEvents(10_000), () -> true,
        Clock.fixed(NOW, ZoneOffset.UTC), MAX_BODY, MAX_BATCH, OpenApiDocument.generate(MAX_BODY, MAX_BATCH, NOW));
    server = api.create().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  // ---- the tests ---------------------------------------------------------------------------------------

  @Test
  void everyInvalidRequestIs400NamingItsFieldWithoutEchoingWhatWasSent() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < INVALID_CASES; i++) {
      cases.add(invalidCase(i));
    }

    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> byStatus = new LinkedHashMap<>();
    for (Case c : cases) {
      HttpResponse<String> response = send(c);
      byStatus.merge(response.statusCode(), 1, Integer::sum);
      String problem = problemWith(c, response);
      if (problem != null) {
        failures.add(c.description() + ": " + problem);
      }
    }

    assertThat(failures).as("of %d invalid requests (seed %d)", cases.size(), SEED).isEmpty();
    assertThat(byStatus).containsOnlyKeys(400);
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void validEventsOfEveryTypeAlsoAtTheLimitsAndWithRealIdsAreAccepted() throws Exception {
    List<ObjectNode> events = new ArrayList<>();
    for (String type : EventSchema.get().typeNames()) {
      events.add(example(type));
      events.add(atTheLimits(example(type)));
    }
    for (String id : List.of("p-7f3a9c", "s-7a1c30", "p-0a1b2c3d4e", "p-single-7", "local", "Z990123",
        "-Xq3_NfVl5Ff8GcmQGm4Kj3GSj1rZQtP8y3ZRFFYFzU", "0d7a3c1f-5e21-4c1a-9a57-0d7a3c1f5e21", "nav:p.2025_01")) {
      ObjectNode event = example("ParticipantEnrolled");
      event.put("participantId", id);
      ((ObjectNode) event.get("actor")).put("staffId", id);
      ((ObjectNode) event.get("payload")).put("coordinatorId", id).put("counsellorId", id);
      events.add(event);
    }
    for (String cohort : List.of("optimist", "gjovik-2025", "valdres-2025", "it-cohort", "bench")) {
      events.add((ObjectNode) example("MeetingAttended").put("cohortId", cohort));
    }
    for (String office : List.of("0403", "3421", "3407", "3451", "9999")) {
      events.add((ObjectNode) example("ContactMade").put("officeId", office));
    }

    for (ObjectNode event : events) {
      HttpResponse<String> response = post("/api/v1/events", event.toString().getBytes(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as("%s\n%s", event, response.body()).isEqualTo(202);
    }
    ObjectNode batch = JSON.createObjectNode();
    EventSchema.get().typeNames().forEach(type -> batch.withArray("events").add(example(type)));
    HttpResponse<String> batchResponse = post("/api/v1/events/batch", batch.toString().getBytes(StandardCharsets.UTF_8));

    assertThat(batchResponse.statusCode()).as(batchResponse.body()).isEqualTo(202);
    assertThat(publisher.published).hasSize(events.size() + EventSchema.get().typeNames().size());
  }

  // ---- what a case is and how its answer is judged ----------------------------------------------------

  /**
   * One request. {@code expected} tells whether a listed error (field path and message) points at what
   * was broken; {@code sent} are the strings put into the request, to make sure none comes back.
   */
  private record Case(String description, String endpoint, byte[] body, BiPredicate<String, String> expected,
      List<String> sent) {}

  private String problemWith(Case c, HttpResponse<String> response) throws Exception {
    if (response.statusCode() != 400) {
      return "answered " + response.statusCode() + " " + abbreviate(response.body());
    }
    JsonNode answer = JSON.readTree(response.body());
    List<String[]> errors = new ArrayList<>();
    answer.path("fields").forEach(f -> errors.add(new String[] {f.path("field").asText(), f.path("message").asText()}));
    if (errors.isEmpty() || errors.stream().anyMatch(e -> e[0].isBlank())) {
      return "a 400 naming no field: " + abbreviate(response.body());
    }
    if (errors.stream().noneMatch(e -> c.expected().test(e[0], e[1]))) {
      return "the 400 does not name the broken field: " + abbreviate(response.body());
    }
    for (String secret : secrets(c)) {
      for (String[] e : errors) {
        if (e[0].contains(secret) || e[1].contains(secret)) {
          return "the answer repeats sent text " + visible(secret) + ": " + abbreviate(response.body());
        }
      }
    }
    return null;
  }

  /**
   * What must never come back: every eleven-digit run of the request, the digits of every identity
   * number sent with separators, and every sent text that no message could contain by chance (over-long,
   * or with characters outside printable ASCII).
   */
  private static Set<String> secrets(Case c) {
    Set<String> secrets = new HashSet<>();
    Matcher digits = ELEVEN_DIGITS.matcher(new String(c.body(), StandardCharsets.UTF_8));
    while (digits.find()) {
      secrets.add(digits.group());
    }
    for (String sent : c.sent()) {
      String onlyDigits = sent.replaceAll("\\D", "");
      if (onlyDigits.length() == 11) {
        secrets.add(onlyDigits);
      }
      if (sent.length() > 64 || !PRINTABLE_ASCII.matcher(sent).matches()) {
        secrets.add(sent);
      }
    }
    return secrets;
  }

  /** An error at {@code path}, or inside it (a field of the record, an item of the array). */
  private static BiPredicate<String, String> at(String path) {
    return (field, message) -> field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[");
  }

  /** An unknown-field error inside the record at {@code prefix} ("" for the envelope). */
  private static BiPredicate<String, String> unknownFieldUnder(String prefix) {
    return (field, message) -> field.startsWith(prefix) && message.startsWith("unknown field");
  }

  // ---- the invalid cases ---------------------------------------------------------------------------------

  private enum Breakage {
    OVERLONG_TEXT, CONTROL_CHARACTER, UNACCEPTABLE_TEXT, FIELD_SPECIFIC_TEXT, WRONG_JSON_TYPE, IMPOSSIBLE_TIME,
    UNKNOWN_TYPE, NESTED_GARBAGE, BAD_NUMBER, MISSING_OR_NULL, EXTRA_FIELD, IDENTITY_NUMBER, IN_A_BATCH,
    BROKEN_BODY, BROKEN_BATCH
  }

  private Case invalidCase(int index) {
    Breakage breakage = Breakage.values()[index % Breakage.values().length];
    Case c = switch (breakage) {
      case IN_A_BATCH -> inABatch(eventCase(Breakage.values()[random.nextInt(Breakage.IN_A_BATCH.ordinal())]));
      case BROKEN_BODY -> brokenBody();
      case BROKEN_BATCH -> brokenBatch();
      default -> eventCase(breakage);
    };
    return new Case("case " + index + " (" + breakage + ") " + c.description(), c.endpoint(), c.body(), c.expected(), c.sent());
  }

  /** A valid example of a random type, broken in one way. */
  private Case eventCase(Breakage breakage) {
    String type = randomType();
    ObjectNode event = example(type);
    List<Spot> spots = spots(event);
    List<Spot> texts = spots.stream().filter(s -> s.value().isTextual()).toList();
    return switch (breakage) {
      case OVERLONG_TEXT -> {
        Spot spot = pick(texts);
        String text = pick(List.of("a", "7", "-", "é", "😀")).repeat(pick(List.of(65, 100, 257, 1_000, 4_097, 65_536, 100_000, 200_000)));
        yield replaced(event, spot, NODES.textNode(text), at(spot.path()), text, text.length() + " characters");
      }
      case CONTROL_CHARACTER -> {
        Spot spot = pick(texts);
        String original = spot.value().asText();
        int position = random.nextInt(original.length() + 1);
        String text = original.substring(0, position)
            + pick(List.of("\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u000b", "\u000c", "\u001b", "\u001f",
                "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff"))
            + original.substring(position);
        yield replaced(event, spot, NODES.textNode(text), at(spot.path()), text, visible(text));
      }
      case UNACCEPTABLE_TEXT -> {
        Spot spot = pick(texts);
        if (random.nextInt(10) == 0) {
          // a lone surrogate can only be sent escaped: as a Java string it would be encoded as '?'
          yield rawReplaced(event, spot, "\"p-\\ud800\"", at(spot.path()), "lone surrogate");
        }
        String text = pick(List.of("\u0000", "😀", "p-😀", "👩‍👩‍👧", "０４０３", "٠٤٠٣", "ｐ-7f3a9c", "p-7f3a9c ", " p-7f3a9c", ".",
            "..", ":x", "../etc/passwd", "p/7f3a9c", "p|7f3a9c", "a b", "<script>", "'; DROP TABLE x;--", "%00",
            "\\u0000", "p-7f3a9c\u0000", "Ω", "p\u0301"));
        yield replaced(event, spot, NODES.textNode(text), at(spot.path()), text, visible(text));
      }
      case FIELD_SPECIFIC_TEXT -> fieldSpecificText(event, type);
      case WRONG_JSON_TYPE -> {
        Spot spot = pick(spots);
        JsonNode value = otherJsonType(spot.value());
        yield replaced(event, spot, value, at(spot.path()), null, "JSON " + value.getNodeType());
      }
      case IMPOSSIBLE_TIME -> {
        List<Spot> times = texts.stream().filter(s -> isInstant(s.value().asText())).toList();
        Spot spot = pick(times);
        String text = pick(List.of("2025-13-45T99:99:99Z", "2025-02-30T10:00:00Z", "2025-02-29T10:00:00Z",
            "1999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "2030-01-01T00:00:00Z",
            "2026-11-23T10:00:00+25:00", "2026-11-23T10:00:00", "2026-11-23", "2026-11-23T24:00:01Z",
            "2026-11-23T10:00:60Z", "23.11.2026 10:00", "tomorrow", "1763888400000"));
        yield replaced(event, spot, NODES.textNode(text), at(spot.path()), text, "time " + text);
      }
      case UNKNOWN_TYPE -> {
        String text = pick(List.of("MeetingPlanned", "meetingScheduled", "MeetingScheduled ", "no.followup.events.Actor",
            "FollowUpEvent", "", IDENTITY_NUMBER, "😀", "x".repeat(10_000), "null", "Meeting\u0000Scheduled"));
        Spot spot = spots.stream().filter(s -> s.path().equals(EventSchema.TYPE_PROPERTY)).findFirst().orElseThrow();
        yield replaced(event, spot, NODES.textNode(text), at(EventSchema.TYPE_PROPERTY), text, visible(text));
      }
      case NESTED_GARBAGE -> {
        Spot spot = pick(spots);
        int depth = pick(List.of(2, 5, 50, 400, 5_000));
        boolean objects = random.nextBoolean();
        String garbage = (objects ? "{\"a\":" : "[").repeat(depth) + "1" + (objects ? "}" : "]").repeat(depth);
        // deeper than the parser allows: the body as a whole is refused
        BiPredicate<String, String> expected = depth > 1_000 ? at("$") : at(spot.path());
        yield rawReplaced(event, spot, garbage, expected, "nesting " + depth + (objects ? " objects" : " arrays"));
      }
      case BAD_NUMBER -> {
        List<Spot> numbers = spots.stream().filter(s -> s.value().isNumber()).toList();
        Spot spot = numbers.isEmpty() || random.nextInt(4) == 0 ? pick(spots) : pick(numbers);
        String number = pick(List.of("0", "-1", "101", "1.0", "3.5", "1e400", "-1e400", "2147483648", "-2147483649",
            "99999999999999999999999999999", "31129912345", "1" + "0".repeat(1_500), "NaN", "Infinity"));
        // numbers the parser itself refuses make the body malformed
        boolean malformed = number.length() > 1_000 || number.equals("NaN") || number.equals("Infinity");
        yield rawReplaced(event, spot, number, malformed ? at("$") : at(spot.path()), "number " + abbreviate(number));
      }
      case MISSING_OR_NULL -> {
        List<String> required = requiredPaths(type);
        String path = pick(required);
        Spot spot = spots.stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow();
        boolean remove = random.nextBoolean();
        if (remove) {
          spot.remove().run();
        } else {
          spot.replace().accept(NODES.nullNode());
        }
        yield eventBody(event, path, at(path), List.of(), remove ? "missing" : "null");
      }
      case EXTRA_FIELD -> {
        List<Spot> records = spots.stream().filter(s -> s.value().isObject()).toList();
        String name = pick(List.of("participantID", "colour", "x", IDENTITY_NUMBER, "", " ", "😀", "a.b", "payload.kind",
            "__proto__", "$ref", "n".repeat(1_000), "\u0000"));
        boolean inEnvelope = records.isEmpty() || random.nextBoolean();
        ObjectNode record = inEnvelope ? event : (ObjectNode) pick(records).value();
        String prefix = inEnvelope ? "" : spots.stream().filter(s -> s.value() == record).findFirst().orElseThrow().path() + ".";
        record.put(name, pick(List.of("p-1", "x")));
        yield eventBody(event, prefix + name, unknownFieldUnder(prefix), List.of(name), "extra field " + visible(name));
      }
      case IDENTITY_NUMBER -> {
        Spot spot = pick(texts);
        String text = pick(List.of(IDENTITY_NUMBER, "010190 12345", "010190-12345", "010190.12345", "p-01019012345",
            "31129912345x", "s-" + IDENTITY_NUMBER));
        yield replaced(event, spot, NODES.textNode(text), at(spot.path()), text, visible(text));
      }
      default -> throw new IllegalArgumentException("not an event breakage: " + breakage);
    };
  }

  /** Text that is a fine id elsewhere but not in this field (an office is a unit number, a cohort a slug). */
  private Case fieldSpecificText(ObjectNode event, String type) {
    Map<String, List<String>> byField = new LinkedHashMap<>();
    byField.put("officeId", List.of("403", "04030", "2025-13-45T99:99:99Z", "0403 ", "abcd", "0x1F", "-403", "4e03",
        "x".repeat(100_000), "NAV Trysil"));
    byField.put("cohortId", List.of("Optimist", "optimist|YOUTH_UNDER_30", "gjøvik-2025", "-optimist", "cohort:1",
        "c".repeat(41)));
    if (type.equals("ParticipantMoved")) {
      byField.put("payload.toMunicipality", List.of("301", "03011", "oslo", "0301 "));
    }
    String path = pick(List.copyOf(byField.keySet()));
    String text = pick(byField.get(path));
    Spot spot = spots(event).stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow();
    return replaced(event, spot, NODES.textNode(text), at(path), text, visible(text));
  }

  private Case inABatch(Case broken) {
    int size = 1 + random.nextInt(5);
    int index = random.nextInt(size);
    StringBuilder body = new StringBuilder("{\"events\": [");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ", ")
          .append(i == index ? new String(broken.body(), StandardCharsets.UTF_8) : example(randomType()).toString());
    }
    body.append("]}");
    String prefix = "events[" + index + "].";
    // what breaks the parser breaks the whole batch body; anything else is named under the event's index
    BiPredicate<String, String> expected = (field, message) -> (field.equals("$") && broken.expected().test(field, message))
        || (field.startsWith(prefix) && broken.expected().test(field.substring(prefix.length()), message));
    return new Case("event " + index + " of " + size + ": " + broken.description(), "/api/v1/events/batch",
        body.toString().getBytes(StandardCharsets.UTF_8), expected, broken.sent());
  }

  private Case brokenBody() {
    String valid = example(randomType()).toString();
    Map<String, BiPredicate<String, String>> bodies = new LinkedHashMap<>();
    for (String malformed : List.of("", "   ", "null", "[]", "[1, 2]", "\"x\"", "42", "true", "{", "{\"eventId\": }",
        "{'eventId': 'x'}", "{eventId: 1}", "{\"a\": 1, \"a\": 2}", valid + " x", valid + valid, "/* c */ " + valid,
        "[".repeat(5_000) + "]".repeat(5_000), "{\"x\": NaN}", "{\"x\": 1" + "0".repeat(1_500) + "}")) {
      bodies.put(malformed, at("$"));
    }
    bodies.put("{}", at("eventId"));
    bodies.put("{\"\\u0000\": \"\\u0000\"}", unknownFieldUnder(""));
    if (random.nextInt(8) == 0) {
      byte[] invalidUtf8 = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
      return new Case("invalid UTF-8", "/api/v1/events", invalidUtf8, at("$"), List.of());
    }
    String body = pick(List.copyOf(bodies.keySet()));
    return new Case("body " + visible(body), "/api/v1/events", body.getBytes(StandardCharsets.UTF_8), bodies.get(body),
        List.of(body));
  }

  private Case brokenBatch() {
    String valid = example(randomType()).toString();
    Map<String, BiPredicate<String, String>> bodies = new LinkedHashMap<>();
    bodies.put("{\"events\": \"x\"}", at("events"));
    bodies.put("{\"events\": {}}", at("events"));
    bodies.put("{\"events\": []}", at("events"));
    bodies.put("{\"events\": null}", at("events"));
    bodies.put("{\"events\": [1]}", at("events[0]"));
    bodies.put("{\"events\": [null, " + valid + "]}", at("events[0]"));
    bodies.put("{\"evnts\": [" + valid + "]}", at("evnts"));
    bodies.put("{\"events\": [" + valid + "], \"extra\": 1}", at("extra"));
    bodies.put("{\"events\": [" + String.join(", ", Collections.nCopies(MAX_BATCH + 1, valid)) + "]}", at("events"));
    bodies.put("[" + valid + "]", at("$"));
    bodies.put("{\"events\": [" + valid + "]", at("$"));
    String body = pick(List.copyOf(bodies.keySet()));
    return new Case("batch body " + visible(body), "/api/v1/events/batch", body.getBytes(StandardCharsets.UTF_8),
        bodies.get(body), List.of());
  }

  private Case replaced(ObjectNode event, Spot spot, JsonNode value, BiPredicate<String, String> expected, String sent,
      String what) {
    spot.replace().accept(value);
    return eventBody(event, spot.path(), expected, sent == null ? List.of() : List.of(sent), what);
  }

  private Case rawReplaced(ObjectNode event, Spot spot, String raw, BiPredicate<String, String> expected, String what) {
    spot.replace().accept(NODES.textNode(RAW));
    String body = event.toString().replace("\"" + RAW + "\"", raw);
    return new Case(what + " at " + spot.path(), "/api/v1/events", body.getBytes(StandardCharsets.UTF_8), expected,
        List.of(raw));
  }

  private static Case eventBody(ObjectNode event, String path, BiPredicate<String, String> expected, List<String> sent,
      String what) {
    return new Case(what + " at " + abbreviate(path), "/api/v1/events", event.toString().getBytes(StandardCharsets.UTF_8),
        expected, sent);
  }

  /** A value of another JSON type than {@code value} (never null: null is a fine value for optional fields). */
  private JsonNode otherJsonType(JsonNode value) {
    List<JsonNode> others = new ArrayList<>();
    if (!value.isTextual()) {
      others.add(NODES.textNode("3"));
    }
    if (!value.isNumber()) {
      others.add(NODES.numberNode(403));
      others.add(NODES.numberNode(3.5));
    }
    if (!value.isBoolean()) {
      others.add(NODES.booleanNode(true));
    }
    if (!value.isArray()) {
      others.add(NODES.arrayNode().add(1).add("a"));
      others.add(NODES.arrayNode());
    }
    if (!value.isObject()) {
      others.add(NODES.objectNode().set("x", NODES.arrayNode().add(1)));
    }
    return pick(others);
  }

  // ---- the valid events ------------------------------------------------------------------------------------

  private ObjectNode example(String type) {
    ObjectNode event = new ExampleEvents().example(type, NOW);
    event.put("eventId", new UUID(random.nextLong(), random.nextLong()).toString());
    return event;
  }

  /** Every text at its longest, the earliest time, all target groups: still valid. */
  private static ObjectNode atTheLimits(ObjectNode event) {
    String longestId = ("p-" + "0a_.:-Z".repeat(10)).substring(0, 64);
    for (Spot spot : spots(event)) {
      String name = spot.path().substring(spot.path().lastIndexOf('.') + 1);
      switch (name) {
        case "participantId", "staffId", "coordinatorId", "counsellorId", "specialistId", "meetingId" ->
            spot.replace().accept(NODES.textNode(longestId));
        case "officeId" -> spot.replace().accept(NODES.textNode("9999"));
        case "toMunicipality" -> spot.replace().accept(NODES.textNode("0301"));
        case "cohortId" -> spot.replace().accept(NODES.textNode(("c-" + "0a_9z".repeat(8)).substring(0, 40)));
        case "occurredAt" -> spot.replace().accept(NODES.textNode("2000-01-01T00:00:00Z"));
        case "startsAt" -> spot.replace().accept(NODES.textNode(NOW.atOffset(ZoneOffset.UTC).plusYears(2)
            .minusMinutes(1).toInstant().toString()));
        case "targetGroups" -> {
          ArrayNode all = NODES.arrayNode();
          EventSchema.get().payloadTypes().get("ParticipantEnrolled").getField("targetGroups").schema().getElementType()
              .getEnumSymbols().forEach(all::add);
          spot.replace().accept(all);
        }
        case "offices" -> spot.replace().accept(NODES.arrayNode().add("9999").add("0403"));
        case "name" -> spot.replace().accept(NODES.textNode("Å" + "ø, (x)'/-".repeat(9).substring(0, 79)));
        default -> { }
      }
    }
    if ("CohortDefined".equals(event.path("type").asText())) {
      // a cohort's definition stays keyed by its cohort
      event.put("participantId", "cohort:" + event.path("cohortId").asText());
    }
    if (event.path("payload").has("specialistId")) {
      // a specialist's capacity is keyed by 'specialist:' and the id, which must fit a participantId
      String specialistId = event.path("payload").path("specialistId").asText();
      ((ObjectNode) event.path("payload")).put("specialistId", specialistId.substring(0, Math.min(specialistId.length(), 53)));
    }
    if ("SpecialistCapacitySet".equals(event.path("type").asText())) {
      // a specialist's capacity stays keyed by its specialist
      event.put("participantId", "specialist:" + event.path("payload").path("specialistId").asText());
    }
    return event;
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  /** A place in an event: its path as the intake names it, what is there, and how to change or remove it. */
  private record Spot(String path, JsonNode value, Consumer<JsonNode> replace, Runnable remove) {}

  private static List<Spot> spots(ObjectNode event) {
    List<Spot> spots = new ArrayList<>();
    collect(event, "", spots);
    return spots;
  }

  private static void collect(JsonNode node, String path, List<Spot> spots) {
    if (node instanceof ObjectNode object) {
      for (String name : object.properties().stream().map(Map.Entry::getKey).toList()) {
        String child = path.isEmpty() ? name : path + "." + name;
        spots.add(new Spot(child, object.get(name), v -> object.set(name, v), () -> object.remove(name)));
        collect(object.get(name), child, spots);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        int index = i;
        String child = path + "[" + i + "]";
        spots.add(new Spot(child, array.get(i), v -> array.set(index, v), () -> array.remove(index)));
        collect(array.get(i), child, spots);
      }
    }
  }

  /** Paths the contract requires for {@code type}: fields with neither a default nor null allowed. */
  private static List<String> requiredPaths(String type) {
    List<String> paths = new ArrayList<>(List.of(EventSchema.TYPE_PROPERTY));
    Schema envelope = EventSchema.get().envelope();
    Schema payload = EventSchema.get().payloadTypes().get(type);
    for (Schema.Field f : envelope.getFields()) {
      // recordedAt has no Avro default, but the intake documents and supplies one
      if (f.name().equals(EventSchema.PAYLOAD_FIELD) || f.name().equals("recordedAt") || !required(f)) {
        continue;
      }
      paths.add(f.name());
      if (f.schema().getType() == Schema.Type.RECORD) {
        f.schema().getFields().stream().filter(IntakeFuzzTest::required).forEach(inner -> paths.add(f.name() + "." + inner.name()));
      }
    }
    List<Schema.Field> payloadFields = payload.getFields().stream().filter(IntakeFuzzTest::required).toList();
    if (!payloadFields.isEmpty()) {
      paths.add(EventSchema.PAYLOAD_FIELD);
      payloadFields.forEach(f -> paths.add(EventSchema.PAYLOAD_FIELD + "." + f.name()));
    }
    return paths;
  }

  private static boolean required(Schema.Field f) {
    boolean nullable = f.schema().getType() == Schema.Type.UNION
        && f.schema().getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    return !f.hasDefaultValue() && !nullable;
  }

  private static boolean isInstant(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private String randomType() {
    return pick(EventSchema.get().typeNames());
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private HttpResponse<String> send(Case c) throws Exception {
    return post(c.endpoint(), c.body());
  }

  private HttpResponse<String> post(String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TOKEN.value())
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code text} abbreviated and quoted, every character outside printable ASCII escaped: for case descriptions. */
  private static String visible(String text) {
    StringBuilder shown = new StringBuilder("'");
    abbreviate(text).chars().forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
        : String.format("\\u%04x", c)));
    return shown.append("'").toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " characters)";
  }
}
