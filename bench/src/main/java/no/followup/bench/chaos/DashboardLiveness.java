package no.followup.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import no.followup.common.auth.LocalToken;

/**
 * A dashboard page's live stream (server-sent events) of the probe office's overview, opened on one
 * dashboard instance: a participant enrolled there while the other instance is away must reach
 * the open stream (the overview's participant count goes up) within a bound.
 */
final class DashboardLiveness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final InputStream body;
  /** The overviews pushed so far, oldest first. */
  private final BlockingQueue<JsonNode> views = new LinkedBlockingQueue<>();

  private DashboardLiveness(InputStream body) {
    this.body = body;
    Thread reader = new Thread(this::read, "dashboard-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the overview stream of {@link ChaosLoad#PROBE_OFFICE} on the dashboard at {@code port}, as a signed-in page does. */
  static DashboardLiveness open(int port, LocalToken token) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream?view=overview&office="
            + ChaosLoad.PROBE_OFFICE))
        .header("Authorization", "Bearer " + token.value()).header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IllegalStateException("the dashboard at :" + port + " refused its live stream (" + response.statusCode() + ")");
      }
      return new DashboardLiveness(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("the dashboard at :" + port + " did not open its live stream", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Collects each {@code view} event's data; other events and the keep-alive comments are skipped. */
  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:") && "view".equals(event)) {
          views.add(JSON.readTree(line.substring("data:".length()).trim()).path("data"));
        } else if (line.isEmpty()) {
          event = null;
        }
      }
    } catch (IOException closed) {
      // the stream was closed: by close(), or the dashboard went away (which pushAfterEnrolment reports)
    }
  }

  /**
   * Enrols {@code participant} in the probe office and waits until the stream pushes an overview
   * of {@code participants} participants (every probe enrolled so far, this one included). Returns
   * the time from sending the enrolment to that push; null when it did not come within {@code limit}.
   */
  Duration pushAfterEnrolment(ChaosLoad load, String participant, long participants, Duration limit) {
    long start = System.nanoTime();
    load.enrolInProbeOffice(participant);
    long end = start + limit.toNanos();
    try {
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        JsonNode overview = views.poll(left, TimeUnit.NANOSECONDS);
        if (overview != null && overview.path("participants").asLong() >= participants) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException alreadyGone) {
      // nothing to release
    }
  }
}
