package no.followup.dashboard.participant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import no.followup.common.auth.AccessTokenSource;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.http.BoundedExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a participant's events from the status service's API ({@code GET
 * /api/v1/participants/{id}/events}), signed in with the dashboard's own token for it. The status
 * service keeps each participant's events one per row, so the dashboard never holds the events
 * topic: it asks for one participant's newest events when a page shows them.
 */
public class StatusClient {

  private static final Logger log = LoggerFactory.getLogger(StatusClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Largest answer read: 500 events of under a kilobyte each, with room to spare. */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private final String base;
  private final AccessTokenSource tokens;
  private final HttpClient http;
  private final Duration timeout;

  public StatusClient(String statusUrl, AccessTokenSource tokens, Duration timeout) {
    this.base = statusUrl.endsWith("/") ? statusUrl.substring(0, statusUrl.length() - 1) : statusUrl;
    this.tokens = tokens;
    this.timeout = timeout;
    // a redirect names the instance hosting the participant; it is followed with the same token
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** The participant's newest events (the status API's answer), or empty when it cannot be had now. */
  public Optional<JsonNode> events(String participantId, int limit) {
    try {
      URI uri = URI.create(base + "/api/v1/participants/" + URLEncoder.encode(participantId, StandardCharsets.UTF_8)
          .replace("+", "%20") + "/events?limit=" + limit);
      HttpRequest request = HttpRequest.newBuilder(uri)
          .header("Accept", "application/json")
          .header("Authorization", "Bearer " + tokens.accessToken())
          .GET().build();
      // the whole answer within the timeout and the bound: a faulty or hostile service that stalls
      // or sends without end holds neither a request thread nor the heap
      HttpResponse<String> response = BoundedExchange.send(http, request, timeout, MAX_BODY_BYTES);
      if (response.statusCode() != 200) {
        log.warn("Status service answered {} to a timeline request", response.statusCode());
        return Optional.empty();
      }
      return Optional.of(JSON.readTree(response.body()));
    } catch (BoundedExchange.IncompleteAnswer e) {
      log.warn("Status service answered a timeline request incompletely: {}", e.getMessage());
      return Optional.empty();
    } catch (BearerAuthenticator.AuthUnavailableException e) {
      log.warn("No token for the status service: {}", e.getMessage());
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      log.warn("Status service unreachable for a timeline request: {}", e.getClass().getSimpleName());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
