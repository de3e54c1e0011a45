package no.followup.intake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import no.followup.common.cli.SignInOptions;
import no.followup.common.io.BoundedText;
import no.followup.intake.IntakeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Publishes one event, or a JSON-lines file of events, through the intake HTTP API. A file is sent
 * in batches; when a batch is rejected, the lines at fault are reported and the others are sent
 * again without them (a batch is all-or-nothing), so every line ends up accepted or rejected.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish one event (a JSON file, '-' for standard input, or the JSON itself) or a JSON-lines file"
        + " (--file) through the intake.",
        "Exit code 0: all accepted; 1: some rejected (invalid, or not allowed for your sign-in); 2: could not reach the"
            + " intake, not signed in, or other failure."})
final class PublishCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Pattern BATCH_FIELD = Pattern.compile("^events\\[(\\d+)]\\.(.*)$");
  /** Stay well below the intake's default 1 MiB body limit. */
  private static final int MAX_CHUNK_BYTES = 512 * 1024;

  @Parameters(arity = "0..1", paramLabel = "EVENT",
      description = "The event: a JSON file, '-' for standard input, or inline JSON starting with '{'")
  String event;

  /** Largest single event read from a file or standard input: what the intake accepts by default. */
  static final int MAX_EVENT_BYTES = (int) IntakeConfig.DEFAULT_MAX_BODY_BYTES;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A JSON-lines file: one event per line")
  Path file;

  @Option(names = "--intake-url", defaultValue = "${env:FOLLOWUP_INTAKE_URL:-http://127.0.0.1:8080}",
      description = "Base url of the intake (default: ${DEFAULT-VALUE})")
  String intakeUrl;

  // The default is not shown in --help, and the environment is the better place: a command line is
  // visible to every user of the machine.
  @Option(names = "--token", defaultValue = "${env:" + SignInOptions.TOKEN_VARIABLE + ":-}", showDefaultValue = Visibility.NEVER,
      description = "Access token for the intake: the local token the local stack prints, or an OIDC access token"
          + " (default: env " + SignInOptions.TOKEN_VARIABLE + ").")
  String token;

  @Option(names = "--no-progress", description = "No progress bar for a large --file (it goes to standard error)")
  boolean noProgress;

  @Option(names = "--batch-size", defaultValue = "100", description = "Events per request for --file (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--retries", defaultValue = "3",
      description = "Retries when the intake is unavailable (503 or unreachable) (default: ${DEFAULT-VALUE})")
  int retries;

  @Option(names = "--timeout-seconds", defaultValue = "30", description = "Per-request timeout (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private IntakeHttp http;
  /** Per-line outcomes not printed yet: printed in line order once their batch is answered. */
  private final TreeMap<Integer, String> outcomes = new TreeMap<>();
  private PrintWriter out;
  private PrintWriter err;

  /** One line of the input file. */
  private record Line(int number, String text, JsonNode json) {}


  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    if ((event == null) == (file == null)) {
      err.println("Give either one EVENT or --file FILE.");
      return FollowupCli.FAILED;
    }
    if (batchSize < 1) {
      err.println("--batch-size must be at least 1");
      return FollowupCli.FAILED;
    }
    http = new IntakeHttp(intakeUrl, token, Duration.ofSeconds(timeoutSeconds), retries, err);
    try {
      return file != null ? publishLines() : publishOne();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int publishOne() {
    String text;
    try {
      text = readEvent();
    } catch (IOException | IllegalArgumentException e) {
      err.println("Could not read " + event + ": " + e.getMessage());
      return FollowupCli.FAILED;
    }
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      out.println("rejected: $: not valid JSON" + location(e));
      return FollowupCli.REJECTED;
    }
    IntakeHttp.Answer answer = http.post("/api/v1/events", json.toString());
    if (answer.status() == 202) {
      out.println("accepted " + answer.body().path("eventId").asText());
      return FollowupCli.OK;
    }
    if (answer.status() == 400 || answer.status() == 403 || answer.status() == 409) {
      out.println("rejected: " + answer.body().path("error").asText());
      for (JsonNode field : answer.body().path("fields")) {
        out.println("  " + field.path("field").asText() + ": " + field.path("message").asText());
      }
      return FollowupCli.REJECTED;
    }
    out.println("failed: " + answer.problem());
    return FollowupCli.FAILED;
  }

  private String readEvent() throws IOException {
    String trimmed = event.trim();
    if (trimmed.startsWith("{")) {
      return trimmed;
    }
    if (trimmed.equals("-")) {
      return BoundedText.read(System.in, MAX_EVENT_BYTES, "the event on standard input");
    }
    return BoundedText.read(Path.of(event), MAX_EVENT_BYTES, "the event file " + event);
  }

  private int publishLines() {
    int accepted = 0;
    int rejected = 0;
    int failed = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(input(), StandardCharsets.UTF_8))) {
      List<Line> chunk = new ArrayList<>();
      int chunkBytes = 0;
      int number = 0;
      String text;
      while ((text = reader.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode json;
        try {
          json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          outcomes.put(number, "rejected: $: not valid JSON" + location(e));
          rejected++;
          continue;
        }
        if (!chunk.isEmpty() && (chunk.size() >= batchSize || chunkBytes + text.length() > MAX_CHUNK_BYTES)) {
          int[] counts = sendChunk(chunk);
          accepted += counts[0];
          rejected += counts[1];
          failed += counts[2];
          printOutcomes();
          chunk = new ArrayList<>();
          chunkBytes = 0;
        }
        chunk.add(new Line(number, text, json));
        chunkBytes += text.length();
      }
      if (!chunk.isEmpty()) {
        int[] counts = sendChunk(chunk);
        accepted += counts[0];
        rejected += counts[1];
        failed += counts[2];
      }
      printOutcomes();
    } catch (IOException e) {
      err.println("Could not read " + file + ": " + e.getMessage());
      return FollowupCli.FAILED;
    }
    out.println(accepted + " accepted, " + rejected + " rejected" + (failed > 0 ? ", " + failed + " not sent" : ""));
    return failed > 0 ? FollowupCli.FAILED : rejected > 0 ? FollowupCli.REJECTED : FollowupCli.OK;
  }

  /** The file (standard input for '-'), counted by a progress bar when it is large enough to take a while. */
  private InputStream input() throws IOException {
    if (file.toString().equals("-")) {
      return System.in;
    }
    long size = Files.size(file);
    InputStream in = Files.newInputStream(file);
    if (noProgress || size < Progress.FILE_BYTES_WORTH_A_BAR) {
      return in;
    }
    return ProgressBar.wrap(in, Progress.bytes("publish " + file.getFileName(), size, System.err));
  }

  /** Sends lines as batches until each is accepted, rejected or given up on; returns {accepted, rejected, failed}. */
  private int[] sendChunk(List<Line> lines) {
    int[] counts = new int[3];
    List<Line> pending = lines;
    while (!pending.isEmpty()) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode events = body.putArray("events");
      pending.forEach(line -> events.add(line.json()));
      IntakeHttp.Answer answer = http.post("/api/v1/events/batch", body.toString());

      if (answer.status() == 202) {
        JsonNode ids = answer.body().path("accepted");
        for (int i = 0; i < pending.size(); i++) {
          outcomes.put(pending.get(i).number(), "accepted " + ids.path(i).asText());
        }
        counts[0] += pending.size();
        return counts;
      }
      if (answer.status() == 413 && pending.size() > 1) {
        int half = pending.size() / 2;
        add(counts, sendChunk(pending.subList(0, half)));
        add(counts, sendChunk(pending.subList(half, pending.size())));
        return counts;
      }
      if (answer.status() == 400 || answer.status() == 403 || answer.status() == 409) {
        Map<Integer, List<String>> problems = problemsByIndex(answer.body());
        if (problems.isEmpty()) {
          // nothing points at a line: the batch as a whole was refused
          String reason = answer.body().path("error").asText("rejected");
          for (Line line : pending) {
            outcomes.put(line.number(), "rejected: " + reason);
          }
          counts[1] += pending.size();
          return counts;
        }
        List<Line> rest = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
          List<String> lineProblems = problems.get(i);
          if (lineProblems == null) {
            rest.add(pending.get(i));
          } else {
            outcomes.put(pending.get(i).number(), "rejected: " + String.join("; ", lineProblems));
            counts[1]++;
          }
        }
        pending = rest; // the batch was all-or-nothing: send the valid lines again
        continue;
      }
      for (Line line : pending) {
        outcomes.put(line.number(), "not sent: " + answer.problem());
      }
      counts[2] += pending.size();
      return counts;
    }
    return counts;
  }

  private void printOutcomes() {
    outcomes.forEach((line, outcome) -> out.println("line " + line + ": " + outcome));
    outcomes.clear();
    out.flush();
  }

  private static Map<Integer, List<String>> problemsByIndex(JsonNode body) {
    Map<Integer, List<String>> problems = new LinkedHashMap<>();
    for (JsonNode field : body.path("fields")) {
      Matcher m = BATCH_FIELD.matcher(field.path("field").asText());
      if (m.matches()) {
        problems.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new ArrayList<>())
            .add(m.group(2) + ": " + field.path("message").asText());
      }
    }
    return problems;
  }

  private static void add(int[] into, int[] counts) {
    for (int i = 0; i < into.length; i++) {
      into[i] += counts[i];
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
  }
}
