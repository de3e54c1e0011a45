package no.followup.intake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import no.followup.common.cli.SignInOptions;
import no.followup.http.BoundedExchange;

/**
 * The CLI's side of the intake API: POSTs JSON with the caller's token, and waits and retries while
 * the intake answers 503 (its {@code Retry-After}, at most {@value #MAX_RETRY_WAIT_SECONDS} s) or
 * cannot be reached. Retry notes go to standard error.
 */
final class IntakeHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_RETRY_WAIT_SECONDS = 10;
  private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(MAX_RETRY_WAIT_SECONDS);

  /** What the intake answered; status 0 when it could not be reached. */
  record Answer(int status, JsonNode body, String problem) {}

  /** The intake answers with a JSON object: the ids accepted, or the fields at fault in a batch. */
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String token;
  private final Duration timeout;
  private final int retries;
  private final PrintWriter err;

  IntakeHttp(String intakeUrl, String token, Duration timeout, int retries, PrintWriter err) {
    this.baseUrl = intakeUrl.endsWith("/") ? intakeUrl.substring(0, intakeUrl.length() - 1) : intakeUrl;
    this.token = token;
    this.timeout = timeout;
    this.retries = retries;
    this.err = err;
  }

  /** POSTs JSON, retrying while the intake is unavailable. */
  Answer post(String path, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token.trim());
    }
    HttpRequest request = builder.build();
    Answer answer = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        Duration wait = retryWait(answer, attempt);
        err.println("intake unavailable (" + answer.problem() + "); retrying in " + wait.toSeconds() + " s");
        err.flush();
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return answer;
        }
      }
      answer = send(request);
      if (answer.status() != 0 && answer.status() != 503) {
        return answer;
      }
    }
    return answer;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = BoundedExchange.send(http, request, timeout, MAX_ANSWER_BYTES);
      ObjectNode json = JSON.createObjectNode();
      try {
        JsonNode parsed = response.body().isEmpty() ? null : JSON.readTree(response.body());
        if (parsed instanceof ObjectNode object) {
          json = object;
        }
      } catch (JsonProcessingException e) {
        // not JSON (a proxy's error page): the status says enough
      }
      String problem = response.statusCode() == 401
          ? "HTTP 401: the intake wants a token; give --token or set " + SignInOptions.TOKEN_VARIABLE
              + " (the local stack prints its token)"
          : "HTTP " + response.statusCode() + (json.has("error") ? ": " + json.path("error").asText() : "");
      if (response.statusCode() == 503) {
        ObjectNode target = json;
        response.headers().firstValue("Retry-After").ifPresent(seconds -> target.put("retryAfter", seconds));
      }
      return new Answer(response.statusCode(), json, problem);
    } catch (BoundedExchange.IncompleteAnswer e) {
      // what the status says the intake did, it did: accepted events are accepted, body or not
      return new Answer(e.status(), JSON.createObjectNode(), "HTTP " + e.status() + " (" + e.getMessage() + ")");
    } catch (IOException e) {
      return new Answer(0, JSON.createObjectNode(), "cannot reach " + baseUrl + " (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, JSON.createObjectNode(), "interrupted");
    }
  }

  private static Duration retryWait(Answer previous, int attempt) {
    Duration wait = Duration.ofSeconds(attempt);
    String retryAfter = previous.body().path("retryAfter").asText("");
    if (!retryAfter.isEmpty()) {
      try {
        wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
      } catch (NumberFormatException ignored) {
        // an HTTP date: fall back to our own backoff
      }
    }
    return wait.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait;
  }
}
