package no.followup.intake.privacy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import no.followup.http.BoundedExchange;

/** Asks the dashboard's participant-level views (as a signed-in user who sees every row) whether they show the participant. */
final class DashboardScan {

  /** A dashboard view lists an office's participants or tasks: megabytes at most. */
  private static final int MAX_VIEW_BYTES = 64 * 1024 * 1024;
  private static final List<String> VIEWS = List.of("/api/v1/worklist", "/api/v1/review", "/api/v1/tasks?state=all");

  private final URI dashboard;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DashboardScan(URI dashboard, String token) {
    this.dashboard = dashboard;
    this.token = token;
  }

  void scan(String participantId, Findings out) {
    for (String view : VIEWS) {
      URI uri = dashboard.resolve(view);
      try {
        HttpResponse<String> response = BoundedExchange.send(http, HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token).GET().build(), Duration.ofSeconds(15), MAX_VIEW_BYTES);
        if (response.statusCode() != 200) {
          out.note(uri.toString(), "answered " + response.statusCode() + ": not scanned");
        } else if (response.body().contains(participantId)) {
          out.found(uri.toString(), "shows the participant");
        }
      } catch (IOException e) {
        out.note(uri.toString(), "unreachable: not scanned");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
