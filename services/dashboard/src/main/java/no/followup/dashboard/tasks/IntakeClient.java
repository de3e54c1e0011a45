package no.followup.dashboard.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import no.followup.common.auth.AccessTokenSource;
import no.followup.common.auth.BearerAuthenticator;
import no.followup.http.BoundedExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts events to the intake's HTTP API ({@code POST /api/v1/events}), signed in with the dashboard's
 * token for the intake: the local token, or in OIDC mode its own client credentials token.
 */
public class IntakeClient {

  /** The intake's answer: its status code and JSON body (null when it sent none or was unreachable). */
  public record Answer(int status, JsonNode body) {
    public boolean accepted() {
      return status == 202;
    }
  }

  /** Status used when the intake could not be reached at all, or no token for it could be had. */
  public static final int UNREACHABLE = 0;

  private static final Logger log = LoggerFactory.getLogger(IntakeClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The intake answers with a short JSON object (an id, or the fields at fault). */
  static final int MAX_ANSWER_BYTES = 256 * 1024;

  private final URI eventsUri;
  private final AccessTokenSource tokens;
  private final HttpClient http;
  private final Duration timeout;

  public IntakeClient(String intakeUrl, AccessTokenSource tokens, Duration timeout) {
    this.tokens = tokens;
    String base = intakeUrl.endsWith("/") ? intakeUrl.substring(0, intakeUrl.length() - 1) : intakeUrl;
    this.eventsUri = URI.create(base + "/api/v1/events");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public Answer publish(JsonNode event) {
    String token;
    try {
      token = tokens.accessToken();
    } catch (BearerAuthenticator.AuthUnavailableException e) {
      log.warn("No token for the intake: {}", e.getMessage());
      return new Answer(UNREACHABLE, null);
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(eventsUri)
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event)))
          .build();
      HttpResponse<String> response = BoundedExchange.send(http, request, timeout, MAX_ANSWER_BYTES);
      JsonNode body = null;
      if (response.body() != null && !response.body().isBlank()) {
        try {
          body = JSON.readTree(response.body());
        } catch (IOException e) {
          body = null; // not JSON; the status code says enough
        }
      }
      return new Answer(response.statusCode(), body);
    } catch (BoundedExchange.IncompleteAnswer e) {
      // what the status says the intake did, it did: an accepted event is accepted, body or not
      return new Answer(e.status(), null);
    } catch (IOException e) {
      return new Answer(UNREACHABLE, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(UNREACHABLE, null);
    }
  }
}
