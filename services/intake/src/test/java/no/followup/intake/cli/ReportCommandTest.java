package no.followup.intake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code followup report} against a stand-in status service answering as the real one does. */
class ReportCommandTest {

  /** A Gjøvik-like answer of {@code GET /api/v1/cohorts/gjovik/report?asOf=2021-12-31}. */
  private static final String ANSWER = """
      {"complete": true, "report": {
        "cohortId": "gjovik", "name": "Gjøvik, unge og flyktningkvinner", "asOf": "2021-12-31",
        "periodStart": "2019-01-01", "periodEnd": "2021-12-31", "goal": 0.6, "referred": 31, "referralsDeclined": 1,
        "byTargetGroup": [
          {"targetGroup": "YOUTH_UNDER_30", "takenIn": 15, "active": 2, "exited": 13, "reachedWorkOrEducation": 8,
           "goalShare": 0.5333, "shareOfExits": 0.615, "goalMet": false,
           "exitsByOutcomeGroup": {"WORK_OR_EDUCATION": 8, "FURTHER_FOLLOW_UP_IN_NAV": 5}},
          {"targetGroup": "REFUGEE_WOMEN", "takenIn": 15, "active": 2, "exited": 13, "reachedWorkOrEducation": 8,
           "goalShare": 0.5333, "shareOfExits": 0.615, "goalMet": false,
           "exitsByOutcomeGroup": {"WORK_OR_EDUCATION": 8, "FURTHER_FOLLOW_UP_IN_NAV": 5}}],
        "total": {"targetGroup": "ALL", "takenIn": 30, "active": 4, "exited": 26, "reachedWorkOrEducation": 16,
          "goalShare": 0.5333, "shareOfExits": 0.615, "goalMet": false,
          "exitsByOutcomeGroup": {"WORK_OR_EDUCATION": 16, "FURTHER_FOLLOW_UP_IN_NAV": 10}},
        "exitsByReason": {"ORDINARY_WORK": 11, "EDUCATION": 5, "KVP": 3},
        "situationOfEveryoneTakenIn": {"JOB_OR_APPRENTICESHIP": 11},
        "phaseOfActive": {"ENROLLED": 4},
        "daysInProject": {"count": 30, "lowerQuartile": 300.0, "median": 420.5, "upperQuartile": 700.0},
        "daysInProjectOfExited": {"count": 26, "lowerQuartile": 250.0, "median": 400.0, "upperQuartile": 600.0},
        "daysInProjectOfActive": {"count": 4, "lowerQuartile": null, "median": 1000.0, "upperQuartile": null},
        "coopWonca": {"measured": 12, "pairs": 9, "meanFirst": 2.76, "meanLatest": 2.59, "meanFirstAllMeasured": 2.8,
          "best": 1.57, "worst": 3.71, "improved": 6, "unchanged": 2, "worsened": 1}}}""";

  private Javalin status;
  private final AtomicReference<String> lastQuery = new AtomicReference<>();
  private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

  @BeforeEach
  void start() {
    status = Javalin.create(cfg -> cfg.showJavalinBanner = false);
    status.get("/api/v1/cohorts/{id}/report", ctx -> {
      lastQuery.set(ctx.queryString());
      lastAuthorization.set(ctx.header("Authorization"));
      if (ctx.header("Authorization") == null) {
        ctx.status(401).result("{\"error\":\"authentication required\"}");
      } else if (!ctx.pathParam("id").equals("gjovik")) {
        ctx.status(404).result("{\"error\":\"no cohort defined with this id\"}");
      } else if (ctx.queryParam("from") != null) {
        ctx.contentType("application/json").result(ANSWER.replaceFirst("\\{\"complete\": true,", """
            {"complete": true, "recordedAfterTheDate": 1, "period": {"from": "2022-01-01", "to": "2022-12-31",
              "inProject": 25, "takenIn": 15, "exited": 7, "activeAtEnd": 18,
              "exitsByReason": {"ORDINARY_WORK": 3, "MOVED": 2, "NON_ATTENDANCE": 1, "ANOTHER_MEASURE": 1},
              "daysInProject": {"count": 25, "lowerQuartile": 120.0, "median": 300.0, "upperQuartile": 500.0}},"""));
      } else {
        ctx.contentType("application/json").result(ANSWER);
      }
    });
    status.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    status.stop();
  }

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FollowupCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    all[0] = "report";
    all[1] = "--status-url=http://127.0.0.1:" + status.port();
    System.arraycopy(args, 0, all, 2, args.length);
    return new Run(cli.execute(all), out.toString(), err.toString());
  }

  @Test
  void markdownHoldsTheSlidesFiguresAgainstTheGoal() {
    Run run = run("--cohort", "gjovik", "--as-of", "2021-12-31", "--token", "t-123");
    assertThat(run.exitCode()).isZero();
    assertThat(lastQuery.get()).isEqualTo("asOf=2021-12-31");
    assertThat(lastAuthorization.get()).isEqualTo("Bearer t-123");
    assertThat(run.out()).contains("# Gjøvik, unge og flyktningkvinner (gjovik)", "Figures as of 2021-12-31",
        "Goal: 60 % of those taken in", "| ALL | 30 | 4 | 26 | 16 | 53 % | no | 62 % |",
        "| WORK_OR_EDUCATION | 8 | 8 | 16 |", "| FURTHER_FOLLOW_UP_IN_NAV | 5 | 5 | 10 |",
        "| mean before (pairs) | 2.8 |", "| mean after (pairs) | 2.6 |", "| improved | 6 |",
        "| active | 4 | – | 1000 | – |");
  }

  @Test
  void csvHasOneLinePerFigure() {
    Run run = run("--cohort", "gjovik", "--format", "csv", "--token", "t");
    assertThat(run.exitCode()).isZero();
    assertThat(lastQuery.get()).as("no date: the service's today").isNull();
    assertThat(run.out()).startsWith("table,row,column,value\n")
        .contains("targetGroups,ALL,taken in,30\n", "exitsByOutcome,FURTHER_FOLLOW_UP_IN_NAV,ALL,10\n",
            "exitsByReason,KVP,count,3\n", "coopWonca,worse,value,1\n", "targetGroups,ALL,goal share (of taken in),53 %\n");
  }

  @Test
  void aPeriodWithoutAnEndEndsOnTheServicesToday() {
    Run run = run("--cohort", "gjovik", "--from", "2022-01-01", "--token", "t");
    assertThat(run.exitCode()).isZero();
    assertThat(lastQuery.get()).as("no 'to': the service's today, not this machine's").isEqualTo("from=2022-01-01");
  }

  @Test
  void aPeriodAddsItsFiguresAndABackDatedAnswerIsSaid() {
    Run run = run("--cohort", "gjovik", "--from", "2022-01-01", "--as-of", "2022-12-31", "--token", "t");
    assertThat(run.exitCode()).isZero();
    assertThat(lastQuery.get()).isEqualTo("from=2022-01-01&to=2022-12-31");
    assertThat(run.out()).contains("## The period 2022-01-01 – 2022-12-31", "| in the project | 25 |", "| exited | 7 |",
        "| MOVED | 2 |");
    assertThat(run.err()).contains("Note: 1 events that occurred by the date were recorded after it");
  }

  @Test
  void jsonIsTheServicesAnswer() throws Exception {
    Run run = run("--cohort", "gjovik", "--format", "json", "--token", "t");
    assertThat(run.exitCode()).isZero();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).path("report").path("total")
        .path("reachedWorkOrEducation").asLong()).isEqualTo(16);
  }

  @Test
  void anUnknownCohortNoTokenAndNoServiceAreTold() {
    Run unknown = run("--cohort", "nowhere", "--token", "t");
    assertThat(unknown.exitCode()).isEqualTo(FollowupCli.REJECTED);
    assertThat(unknown.err()).contains("No cohort nowhere is defined");
    Run noToken = run("--cohort", "gjovik", "--token", "");
    assertThat(noToken.exitCode()).isEqualTo(FollowupCli.FAILED);
    assertThat(noToken.err()).contains("HTTP 401", "--token");
    Run badDate = run("--cohort", "gjovik", "--as-of", "31.12.2021");
    assertThat(badDate.exitCode()).isEqualTo(2);
    status.stop();
    Run unreachable = run("--cohort", "gjovik", "--token", "t");
    assertThat(unreachable.exitCode()).isEqualTo(FollowupCli.FAILED);
    assertThat(unreachable.err()).contains("Could not reach the status service");
  }
}
