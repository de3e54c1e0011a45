package no.followup.dashboard.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status service's answer is read only up to its limit, whatever the service sends. */
class StatusClientTest {

  private HttpServer server;
  private ExecutorService threads;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<byte[]> answer = new AtomicReference<>();
  private volatile boolean stallAfterAnswer;

  @BeforeEach
  void up() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.createContext("/api/v1/participants/", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked: the client cannot know the length in advance
      OutputStream out = exchange.getResponseBody();
      out.write(answer.get());
      out.flush();
      if (stallAfterAnswer) {
        try {
          release.await(30, TimeUnit.SECONDS); // the rest of an endless answer never comes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void down() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private StatusClient client() {
    // a long timeout: what is tested is that the client stops at the limit, not that a timer ends the wait
    return new StatusClient("http://127.0.0.1:" + server.getAddress().getPort(), () -> "token", Duration.ofSeconds(30));
  }

  @Test
  void anAnswerWithinTheLimitIsRead() {
    answer.set("{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(client().events("p-1", 10)).hasValueSatisfying(json -> assertThat(json.has("events")).isTrue());
  }

  @Test
  void anAnswerOverTheLimitIsRefusedAfterTheLimitWithoutWaitingForItsEnd() {
    byte[] tooMuch = new byte[StatusClient.MAX_BODY_BYTES + 64 * 1024];
    Arrays.fill(tooMuch, (byte) ' ');
    answer.set(tooMuch);
    stallAfterAnswer = true;
    // reading the whole answer first would wait for an end that never comes
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client().events("p-1", 10))).isEmpty();
  }

  @Test
  void anAnswerThatStallsWithinTheLimitIsGivenUpAtTheTimeout() {
    answer.set("{\"events\":[".getBytes(StandardCharsets.UTF_8));
    stallAfterAnswer = true;
    StatusClient impatient = new StatusClient("http://127.0.0.1:" + server.getAddress().getPort(), () -> "token",
        Duration.ofMillis(300));
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> impatient.events("p-1", 10))).isEmpty();
  }
}
