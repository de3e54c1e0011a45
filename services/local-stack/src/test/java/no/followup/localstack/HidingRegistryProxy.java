package no.followup.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A schema registry in front of a real one that, while asked to, answers "schema not found" when a
 * schema id of one record type is looked up: what a reader meets when a producer's schema is missing from the registry it reads
 * (a registry restored from an old backup, a wrong registry URL), the kind of cause an operator
 * fixes and then re-drives.
 */
final class HidingRegistryProxy implements AutoCloseable {

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  /** The full name of the record type whose schemas are hidden, or null. */
  private volatile String hiddenType;

  HidingRegistryProxy(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void hide(String recordType) {
    hiddenType = recordType;
  }

  void showAll() {
    hiddenType = null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
          .timeout(Duration.ofSeconds(10))
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        forward.header("Content-Type", contentType);
      }
      HttpResponse<String> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofString());
      String hidden = hiddenType;
      String name = hidden == null ? null : hidden.substring(hidden.lastIndexOf('.') + 1);
      // the schema comes as JSON, or (GET /schemas/ids/{id}) as a JSON string inside JSON
      if (name != null && exchange.getRequestURI().getRawPath().startsWith("/schemas/ids/")
          && (answer.body().contains("\"name\":\"" + name + "\"")
              || answer.body().contains("\\\"name\\\":\\\"" + name + "\\\""))) {
        respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}", "application/json");
        return;
      }
      respond(exchange, answer.statusCode(), answer.body(), answer.headers().firstValue("Content-Type").orElse("application/json"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
