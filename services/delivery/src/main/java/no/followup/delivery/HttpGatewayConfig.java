package no.followup.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link HttpSmsGateway}.
 *
 * @param url endpoint that accepts {@code POST} of {@code {"to","text","reference"}} as JSON
 * @param auth NONE, BASIC (user + secret) or BEARER (secret is the token)
 * @param user user name for BASIC
 * @param secret password (BASIC) or token (BEARER); never logged
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of one request, response included
 * @param maxAttempts calls per message, the first included (retries on 5xx, 408, 429, timeouts, I/O errors)
 * @param initialBackoff wait before the first retry; doubles each retry
 * @param maxBackoff upper bound of the wait
 * @param honoursIdempotencyKey the provider delivers at most one message per {@code Idempotency-Key}
 *     (a reminder in doubt after an instance stopped is then asked for again; otherwise it is reported
 *     OUTCOME_UNKNOWN and not sent again). Default false: say true only when the provider's contract
 *     guarantees it
 */
public record HttpGatewayConfig(
    URI url,
    Auth auth,
    String user,
    String secret,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    boolean honoursIdempotencyKey) {

  public enum Auth { NONE, BASIC, BEARER }

  public HttpGatewayConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (auth == Auth.BASIC && (user == null || secret == null)) {
      throw new IllegalArgumentException("BASIC auth needs a user and a secret");
    }
    if (auth == Auth.BEARER && secret == null) {
      throw new IllegalArgumentException("BEARER auth needs a token (secret)");
    }
  }

  /** No auth, 2 s connect, 5 s request timeout, 4 attempts, backoff 200 ms doubling up to 5 s. */
  public static HttpGatewayConfig of(URI url) {
    return new HttpGatewayConfig(url, Auth.NONE, null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), 4,
        Duration.ofMillis(200), Duration.ofSeconds(5), false);
  }

  public HttpGatewayConfig withAuth(Auth value, String userName, String secretValue) {
    return new HttpGatewayConfig(url, value, userName, secretValue, connectTimeout, requestTimeout, maxAttempts,
        initialBackoff, maxBackoff, honoursIdempotencyKey);
  }

  public HttpGatewayConfig withRetries(int attempts, Duration initial, Duration max) {
    return new HttpGatewayConfig(url, auth, user, secret, connectTimeout, requestTimeout, attempts, initial, max,
        honoursIdempotencyKey);
  }

  public HttpGatewayConfig withTimeouts(Duration connect, Duration request) {
    return new HttpGatewayConfig(url, auth, user, secret, connect, request, maxAttempts, initialBackoff, maxBackoff,
        honoursIdempotencyKey);
  }

  public HttpGatewayConfig withHonouredIdempotencyKey(boolean value) {
    return new HttpGatewayConfig(url, auth, user, secret, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
        value);
  }

  @Override
  public String toString() {
    return "HttpGatewayConfig[url=" + url + ", auth=" + auth + ", user=" + user + ", secret=" + (secret == null ? null : "****")
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
        + ", honoursIdempotencyKey=" + honoursIdempotencyKey + "]";
  }
}
