package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import no.followup.http.BoundedExchange;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Requests from one status instance to another, with the caller's own sign-in (every instance
 * checks it the same way): a key lookup passed on to the instance that holds the key, and the local
 * part of a list. A request that was passed on once is marked, and is never passed on again: if the
 * key moved meanwhile, the answer is 503 (try again), not a loop.
 */
final class PeerRequests {

  /** Marks a request one instance sent another. */
  static final String FORWARDED_HEADER = "X-Followup-Status-Forwarded";
  /** {@code scope=local}: answer from this instance's partitions only, and name them. */
  static final String SCOPE = "scope";
  static final String LOCAL = "local";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /**
   * Largest answer read from another instance: the local part of a list (a cohort's statuses for a
   * report) is the largest, some kilobytes per participant.
   */
  private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** An answer from another instance: its status and JSON body. */
  record Answer(int status, String body) {}

  static boolean wasForwarded(Context ctx) {
    return ctx.header(FORWARDED_HEADER) != null;
  }

  static boolean localScope(Context ctx) {
    return LOCAL.equals(ctx.queryParam(SCOPE));
  }

  /** The same request (path and query) at {@code host}; unavailable when it cannot be reached in time. */
  Answer forward(HostInfo host, Context ctx) {
    return get(host, ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), ctx.header("Authorization"));
  }

  /** The local part of this list request at {@code host}. */
  JsonNode localPart(HostInfo host, Context ctx) {
    String query = (ctx.queryString() == null ? "" : ctx.queryString() + "&") + SCOPE + "=" + LOCAL;
    Answer answer = get(host, ctx.path() + "?" + query, ctx.header("Authorization"));
    if (answer.status() != 200) {
      throw new StoreAccess.Unavailable("instance " + host.host() + ":" + host.port() + " answered " + answer.status());
    }
    try {
      return StatusHttp.objectMapper().readTree(answer.body());
    } catch (IOException e) {
      throw new StoreAccess.Unavailable("instance " + host.host() + ":" + host.port() + " answered something other than JSON");
    }
  }

  private Answer get(HostInfo host, String pathAndQuery, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
        .header(FORWARDED_HEADER, "1").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = BoundedExchange.send(http, request.build(), TIMEOUT, MAX_ANSWER_BYTES);
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new StoreAccess.Unavailable("instance " + host.host() + ":" + host.port() + " not reachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreAccess.Unavailable("interrupted");
    }
  }
}
