package no.followup.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A scripted HTTP server that records every request, to test the REST client's retries, errors and caches. */
final class FakeRegistryServer implements AutoCloseable {

  record Request(String method, String pathAndQuery, String contentType, String authorization, String body) {}

  record Response(int status, String body, boolean stallsInBody) {
    static Response json(int status, String body) {
      return new Response(status, body, false);
    }

    /** Headers announcing more than {@code partialBody}, then {@code partialBody}, then nothing until the server closes. */
    static Response stallingAfter(int status, String partialBody) {
      return new Response(status, partialBody, true);
    }
  }

  static {
    // Without TCP_NODELAY each answer (headers, then body) waits out the client's delayed ack: 40 ms
    // a request, which tests making hundreds of requests feel. Read once, when the JDK's server
    // first starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> handler = request -> Response.json(500, "{}");
  private final CountDownLatch closing = new CountDownLatch(1);

  FakeRegistryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void answer(Function<Request, Response> handler) {
    this.handler = handler;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  long count(String method, String pathPrefix) {
    return requests.stream().filter(r -> r.method().equals(method) && r.pathAndQuery().startsWith(pathPrefix)).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"), body);
      requests.add(request);
      Response response = handler.apply(request);
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
      if (response.stallsInBody()) {
        exchange.sendResponseHeaders(response.status(), bytes.length + 1024);
        exchange.getResponseBody().write(bytes);
        exchange.getResponseBody().flush();
        awaitClosing();
        return;
      }
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private void awaitClosing() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
