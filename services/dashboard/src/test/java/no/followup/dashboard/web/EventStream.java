package no.followup.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open server-sent event stream, read with a deadline on every wait. A blocking read of the
 * response body has no timeout of its own (the request timeout of the HTTP client covers only the
 * response headers), so the lines are read on a separate thread and the test waits for them with
 * a bound: a missing event fails the test instead of hanging it.
 */
final class EventStream implements AutoCloseable {

  private final InputStream body;
  /** Lines as they arrive; an empty Optional marks the end of the stream. */
  private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

  EventStream(InputStream body) {
    this.body = body;
    Thread reader = new Thread(this::readUntilEnd, "event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void readUntilEnd() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(Optional.of(line));
      }
    } catch (IOException closedOrBroken) {
      // closed by the test or by the server: either way nothing more will arrive
    }
    lines.add(Optional.empty());
  }

  /** The data of the next event of {@code type}; fails when none arrives within {@code timeout}. */
  JsonNode nextEvent(String type, Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean ofType = false;
    while (true) {
      String line = nextLine(deadline, "a \"" + type + "\" event within " + timeout)
          .orElseThrow(() -> new AssertionError("the stream ended before a \"" + type + "\" event"));
      if (line.startsWith("event: ")) {
        ofType = line.equals("event: " + type);
      } else if (ofType && line.startsWith("data: ")) {
        return Json.MAPPER.readTree(line.substring("data: ".length()));
      }
    }
  }

  /** Every line until the server ends the stream; fails when it is still open after {@code timeout}. */
  List<String> linesUntilEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> rest = new ArrayList<>();
    Optional<String> line;
    while ((line = nextLine(deadline, "the end of the stream within " + timeout)).isPresent()) {
      rest.add(line.get());
    }
    return rest;
  }

  private Optional<String> nextLine(long deadlineNanos, String expectation) throws InterruptedException {
    Optional<String> line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError("expected " + expectation + ", but the stream stayed silent");
    }
    return line;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
