package no.followup.intake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import no.followup.common.cli.SignInOptions;
import no.followup.http.BoundedExchange;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code followup report}: a cohort's report as of a date, from the status service, as Markdown, CSV or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Print a cohort's report as of a date: per target group against the goal, exits, situations, phases,"
        + " time in project, COOP/WONCA before and after.")
final class ReportCommand implements Callable<Integer> {

  enum Format { md, csv, json }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A cohort's report is some kilobytes per target group. */
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  @Option(names = "--cohort", required = true, description = "The cohort's id, e.g. optimist")
  String cohort;

  @Option(names = "--as-of", description = "The reporting date (ISO-8601, e.g. 2021-12-31; default: today)")
  LocalDate asOf;

  @Option(names = "--from", description = "Start of a period ending at --as-of (ISO-8601): adds the period's figures"
      + " (in the project, taken in, exits by reason, active at the end, time in project)")
  LocalDate from;

  @Option(names = "--format", defaultValue = "md", description = "md, csv or json (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--status-url", defaultValue = "${env:FOLLOWUP_STATUS_URL:-http://127.0.0.1:8082}",
      description = "Base URL of the status service (default: ${DEFAULT-VALUE}, env FOLLOWUP_STATUS_URL)")
  String statusUrl;

  @Option(names = "--token", defaultValue = "${env:" + SignInOptions.TOKEN_VARIABLE + ":-}", showDefaultValue = Visibility.NEVER,
      description = "Access token for the status service: the local stack's token or a service's access token"
          + " (default: env " + SignInOptions.TOKEN_VARIABLE + ").")
  String token;

  @Option(names = "--timeout-seconds", defaultValue = "60", description = "Request timeout (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String path = "/api/v1/cohorts/" + URLEncoder.encode(cohort, StandardCharsets.UTF_8) + "/report"
        // without --as-of the status service takes its own today (Europe/Oslo), whatever this machine's zone
        + (from != null ? "?from=" + from + (asOf == null ? "" : "&to=" + asOf)
            : asOf == null ? "" : "?asOf=" + asOf);
    HttpResponse<String> response;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(statusUrl.replaceAll("/+$", "") + path)).GET();
      if (token != null && !token.isBlank()) {
        request.header("Authorization", "Bearer " + token.trim());
      }
      response = BoundedExchange.send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER).build(), request.build(), Duration.ofSeconds(timeoutSeconds),
          MAX_ANSWER_BYTES);
    } catch (IOException | IllegalArgumentException e) {
      err.println("Could not reach the status service at " + statusUrl + ": " + e.getClass().getSimpleName());
      return FollowupCli.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FollowupCli.FAILED;
    }
    if (response.statusCode() == 401) {
      err.println("HTTP 401: the status service wants a token; give --token or set " + SignInOptions.TOKEN_VARIABLE
          + " (the local stack prints its token)");
      return FollowupCli.FAILED;
    }
    if (response.statusCode() == 404) {
      err.println("No cohort " + cohort + " is defined (no CohortDefined event recorded for it).");
      return FollowupCli.REJECTED;
    }
    if (response.statusCode() != 200) {
      err.println("HTTP " + response.statusCode() + " from the status service: " + errorOf(response.body()));
      return FollowupCli.FAILED;
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      JsonNode report = body.path("report");
      switch (format) {
        case json -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        case csv -> out.print(ReportFormats.csv(report, body.path("period")));
        case md -> out.print(ReportFormats.markdown(report, body.path("period")));
      }
      if (body.path("recordedAfterTheDate").asLong() > 0) {
        err.println("Note: " + body.path("recordedAfterTheDate").asLong() + " events that occurred by the date were"
            + " recorded after it: these figures differ from what was known on the date.");
      }
      out.flush();
      return FollowupCli.OK;
    } catch (IOException e) {
      err.println("The status service's answer was not JSON.");
      return FollowupCli.FAILED;
    }
  }

  private static String errorOf(String body) {
    try {
      return JSON.readTree(body).path("error").asText("(no error message)");
    } catch (IOException e) {
      return "(no error message)";
    }
  }
}
