package no.followup.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import no.followup.http.BoundedExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMS gateway over HTTP (JDK HttpClient): {@code POST <url>} with
 * <pre>
 *   Content-Type: application/json
 *   Idempotency-Key: &lt;reminderId&gt;
 *   Authorization: Basic ... | Bearer ...      (if configured)
 *   {"to": "+4791234567", "text": "...", "reference": "&lt;reminderId&gt;"}
 * </pre>
 * A 2xx answer is success; its JSON body may carry {@code messageId} (or {@code id}), kept only when
 * it is a short printable ASCII string (see {@link #messageId}). 5xx, 408, 429,
 * timeouts and I/O errors are retried with exponential backoff up to {@code maxAttempts}; other 4xx
 * are final (sending the same request again would fail the same way). Every retry carries the same
 * Idempotency-Key, so a retry after a lost response does not send a second SMS at a gateway that
 * honours the key.
 */
public final class HttpSmsGateway implements SmsGateway {

  private static final Logger log = LoggerFactory.getLogger(HttpSmsGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The most of an answer's body read. A provider's answer is a small JSON object ({@code messageId},
   * a status); anything larger is not such an answer, and reading it whole would let the gateway fill
   * the heap.
   */
  static final int MAX_BODY_BYTES = 16 * 1024;

  /** The longest messageId kept: provider ids are UUID-sized; this one goes into the ledger and receipts. */
  static final int MAX_MESSAGE_ID_LENGTH = 128;
  private static final Pattern MESSAGE_ID = Pattern.compile("[\\x20-\\x7E]{1," + MAX_MESSAGE_ID_LENGTH + "}");

  private final HttpGatewayConfig config;
  private final HttpClient client;
  private final Sleeper sleeper;

  /** Waits between retries; replaceable so tests need not wait. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  @Override
  public boolean honoursIdempotencyKey() {
    return config.honoursIdempotencyKey();
  }

  public HttpSmsGateway(HttpGatewayConfig config) {
    this(config, d -> Thread.sleep(d.toMillis()));
  }

  HttpSmsGateway(HttpGatewayConfig config, Sleeper sleeper) {
    this.config = config;
    this.sleeper = sleeper;
    this.client = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
  }

  @Override
  public Accepted send(SmsMessage message) throws SmsGatewayException {
    HttpRequest request = request(message);
    String lastError = null;
    Exception lastCause = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      try {
        int status;
        byte[] body;
        try {
          // one deadline over the whole answer: a gateway that sends its headers and then stalls in the
          // body would otherwise hold the delivery loop, and every reminder behind this one, for good
          HttpResponse<String> response = BoundedExchange.send(client, request, config.requestTimeout(), MAX_BODY_BYTES);
          status = response.statusCode();
          body = response.body().getBytes(StandardCharsets.UTF_8);
        } catch (BoundedExchange.IncompleteAnswer incomplete) {
          status = incomplete.status();
          body = null;
        }
        if (status >= 200 && status < 300) {
          // the gateway has accepted the message whatever its body says: an oversized, stalled or
          // unreadable body only means no messageId, never a retry, which would send a second SMS at a
          // gateway that ignores the Idempotency-Key
          return new Accepted(body == null ? null : messageId(body), attempt);
        }
        lastError = "HTTP_" + status;
        lastCause = null;
        if (!retryable(status)) {
          throw new SmsGatewayException(lastError, attempt, "gateway refused the message with HTTP " + status, null);
        }
      } catch (IOException e) {
        lastError = e.getClass().getName();
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SmsGatewayException("Interrupted", attempt, "interrupted while sending", e);
      }
      if (attempt < config.maxAttempts()) {
        Duration wait = backoff(attempt);
        log.info("SMS gateway call for {} failed ({}), attempt {} of {}; retrying in {} ms", message.idempotencyKey(),
            lastError, attempt, config.maxAttempts(), wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SmsGatewayException("Interrupted", attempt, "interrupted while waiting to retry", e);
        }
      }
    }
    throw new SmsGatewayException(lastError, config.maxAttempts(), "gateway unavailable after " + config.maxAttempts() + " attempts",
        lastCause);
  }

  /** initialBackoff * 2^(attempt-1), capped at maxBackoff. */
  Duration backoff(int attempt) {
    long millis = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
  }

  static boolean retryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private HttpRequest request(SmsMessage message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("to", message.phoneNumber());
    body.put("text", message.text());
    body.put("reference", message.idempotencyKey());
    HttpRequest.Builder builder = HttpRequest.newBuilder(config.url())
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", message.idempotencyKey());
    switch (config.auth()) {
      case BASIC -> builder.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((config.user() + ":" + config.secret()).getBytes(StandardCharsets.UTF_8)));
      case BEARER -> builder.header("Authorization", "Bearer " + config.secret());
      case NONE -> { }
    }
    try {
      return builder.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
    } catch (IOException e) {
      throw new IllegalStateException("could not encode the request", e);
    }
  }

  /**
   * The provider's id for the message, or null. It is stored in the ledger and sent on in receipts,
   * so only an id that looks like one is kept: at most {@link #MAX_MESSAGE_ID_LENGTH} printable ASCII
   * characters. Anything else (a long text, control characters, a participant's data echoed back)
   * is dropped rather than carried into Kafka and logs.
   */
  static String messageId(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null || !json.isObject()) {
        return null;
      }
      JsonNode id = json.hasNonNull("messageId") ? json.get("messageId") : json.get("id");
      if (id == null || !id.isValueNode() || id.isNull()) {
        return null;
      }
      String text = id.asText();
      return MESSAGE_ID.matcher(text).matches() ? text : null;
    } catch (IOException notJson) {
      return null; // the gateway accepted the message; its body is informational
    }
  }
}
