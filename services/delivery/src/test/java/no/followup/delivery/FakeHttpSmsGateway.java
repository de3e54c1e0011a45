package no.followup.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake SMS provider on the JDK's HttpServer. It "delivers" a message by adding it to
 * {@link #delivered()}. When it honours the Idempotency-Key, a second request with a known key is
 * answered with the first message id and nothing is delivered again; when it does not, every
 * request delivers.
 */
final class FakeHttpSmsGateway implements AutoCloseable {

  record Request(String idempotencyKey, String authorization, String contentType, JsonNode body) {}

  record Delivered(String idempotencyKey, String to, String text, String messageId) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final boolean honoursIdempotencyKey;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
  private final Map<String, String> messageIds = new ConcurrentHashMap<>();
  private final Deque<Integer> scriptedStatuses = new ConcurrentLinkedDeque<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean stallAfterHeaders;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile String acceptedBody;

  FakeHttpSmsGateway(boolean honoursIdempotencyKey) throws IOException {
    this.honoursIdempotencyKey = honoursIdempotencyKey;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sms", this::handle);
    server.start();
  }

  boolean honoursIdempotencyKey() {
    return honoursIdempotencyKey;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sms");
  }

  /** The next requests are answered with these statuses (and deliver nothing) before normal service resumes. */
  void failNext(Integer... statuses) {
    scriptedStatuses.addAll(List.of(statuses));
  }

  /** Success is answered with this body instead of {@code {"messageId":"msg-N"}} (null: the usual one). */
  void answerAcceptedWith(String body) {
    this.acceptedBody = body;
  }

  void delayResponses(long millis) {
    this.delayMillis = millis;
  }

  /** Accepted messages are answered with their headers and part of the body, and then nothing until close. */
  void stallAfterAcceptedHeaders() {
    this.stallAfterHeaders = true;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  List<Delivered> delivered() {
    return new ArrayList<>(delivered);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      requests.add(new Request(key, exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Integer scripted = scriptedStatuses.poll();
      if (scripted != null) {
        respond(exchange, scripted, "{\"error\":\"scripted\"}");
        return;
      }
      String messageId;
      if (honoursIdempotencyKey && key != null && messageIds.containsKey(key)) {
        messageId = messageIds.get(key);
      } else {
        messageId = "msg-" + sequence.incrementAndGet();
        if (key != null) {
          messageIds.putIfAbsent(key, messageId);
        }
        delivered.add(new Delivered(key, body.path("to").asText(), body.path("text").asText(), messageId));
      }
      String answer = acceptedBody != null ? acceptedBody : "{\"messageId\":\"" + messageId + "\"}";
      if (stallAfterHeaders) {
        exchange.sendResponseHeaders(202, answer.length());
        exchange.getResponseBody().write(answer.substring(0, 5).getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        try {
          closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      respond(exchange, 202, answer);
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
