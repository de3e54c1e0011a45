package no.followup.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedExchangeTest {

  private final CountDownLatch released = new CountDownLatch(1);
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/whole", exchange -> {
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/stalls", exchange -> {
      exchange.sendResponseHeaders(200, 1000);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"ok\":".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        released.await(30, TimeUnit.SECONDS); // headers and a part sent, then nothing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.createContext("/endless", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 1024; i++) {
          out.write(chunk);
        }
      } catch (java.io.IOException closedByTheClient) {
        // the client stopped reading at its bound
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    released.countDown();
    server.stop(0);
  }

  @Test
  void aWholeAnswerIsReadAsText() throws Exception {
    HttpResponse<String> answer = BoundedExchange.send(http, get("/whole"), Duration.ofSeconds(5), 1024);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  @Timeout(20)
  void anAnswerThatStallsInItsBodyTimesOutAtTheDeadline() throws Exception {
    // a first exchange readies the client (a cold one can take longer than a short deadline to connect),
    // and the deadline leaves the headers ample time: what is tested is the body that never ends
    BoundedExchange.send(http, get("/whole"), Duration.ofSeconds(10), 1024);
    long start = System.nanoTime();
    assertThatThrownBy(() -> BoundedExchange.send(http, get("/stalls"), Duration.ofSeconds(2), 1024))
        .isInstanceOfSatisfying(BoundedExchange.IncompleteAnswer.class, incomplete -> assertThat(incomplete.status()).isEqualTo(200))
        .hasMessageContaining("did not arrive whole within 2000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @Timeout(20)
  void noAnswerAtAllTimesOutAtTheDeadline() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) { // accepts the connection, never answers
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/")).GET().build();
      assertThatThrownBy(() -> BoundedExchange.send(http, request, Duration.ofMillis(300), 1024))
          .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no answer within 300 ms");
    }
  }

  @Test
  @Timeout(20)
  void anAnswerOverTheBoundIsNotReadOn() {
    assertThatThrownBy(() -> BoundedExchange.send(http, get("/endless"), Duration.ofSeconds(10), 100_000))
        .isInstanceOfSatisfying(BoundedExchange.IncompleteAnswer.class, incomplete -> assertThat(incomplete.status()).isEqualTo(200))
        .hasMessageContaining("larger than 100000 bytes");
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).GET().build();
  }
}
