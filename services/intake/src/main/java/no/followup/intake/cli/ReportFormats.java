package no.followup.intake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cohort report (the status API's {@code report} object) as Markdown tables or as CSV, one line per
 * figure ({@code table,row,column,value}). The tables are the projects' own: per target group against
 * the goal, exits by outcome group and by reason, situation of everyone taken in, phases, time in
 * project, COOP/WONCA before and after.
 */
final class ReportFormats {

  private ReportFormats() {}

  /** One table: a title, its column names (the first names the rows) and its rows. */
  private record Table(String id, String title, List<String> columns, List<List<String>> rows) {}

  static String markdown(JsonNode report, JsonNode period) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(text(report, "name")).append(" (").append(text(report, "cohortId")).append(")\n\n");
    md.append("Figures as of ").append(text(report, "asOf")).append(" (end of day). Period ")
        .append(text(report, "periodStart")).append(" – ").append(text(report, "periodEnd")).append(". Goal: ")
        .append(report.path("goal").isNumber() ? percent(report.path("goal")) + " of those taken in reach ordinary work or education"
            : "none set").append(".\n");
    md.append("Referred: ").append(number(report.path("referred"))).append(", of them not taken in: ")
        .append(number(report.path("referralsDeclined"))).append(".\n");
    for (Table table : tables(report, period)) {
      md.append("\n## ").append(table.title()).append("\n\n");
      md.append("| ").append(String.join(" | ", table.columns())).append(" |\n");
      md.append("|").append("---|".repeat(table.columns().size())).append("\n");
      for (List<String> row : table.rows()) {
        md.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
    }
    return md.toString();
  }

  static String csv(JsonNode report, JsonNode period) {
    StringBuilder csv = new StringBuilder("table,row,column,value\n");
    for (Table table : tables(report, period)) {
      for (List<String> row : table.rows()) {
        for (int c = 1; c < row.size(); c++) {
          csv.append(cell(table.id())).append(',').append(cell(row.get(0))).append(',')
              .append(cell(table.columns().get(c))).append(',').append(cell(row.get(c))).append('\n');
        }
      }
    }
    return csv.toString();
  }

  private static List<Table> tables(JsonNode report, JsonNode period) {
    List<Table> tables = new ArrayList<>();
    if (period != null && period.isObject()) {
      JsonNode d = period.path("daysInProject");
      tables.add(new Table("period", "The period " + text(period, "from") + " – " + text(period, "to"),
          List.of("figure", "value"), List.of(
              List.of("in the project", number(period.path("inProject"))),
              List.of("taken in", number(period.path("takenIn"))),
              List.of("exited", number(period.path("exited"))),
              List.of("active at the end", number(period.path("activeAtEnd"))),
              List.of("days in project, median", decimal(d.path("median"), 0)),
              List.of("days in project, quartiles", decimal(d.path("lowerQuartile"), 0) + " – "
                  + decimal(d.path("upperQuartile"), 0)))));
      tables.add(counts("periodExitsByReason", "Exits in the period by reason", "reason", period.path("exitsByReason")));
    }
    List<List<String>> groups = new ArrayList<>();
    List<JsonNode> groupNodes = new ArrayList<>();
    report.path("byTargetGroup").forEach(groupNodes::add);
    groupNodes.add(report.path("total"));
    for (JsonNode g : groupNodes) {
      groups.add(List.of(text(g, "targetGroup"), number(g.path("takenIn")), number(g.path("active")),
          number(g.path("exited")), number(g.path("reachedWorkOrEducation")), percent(g.path("goalShare")),
          g.path("goalMet").isBoolean() ? (g.path("goalMet").asBoolean() ? "yes" : "no") : "–",
          percent(g.path("shareOfExits"))));
    }
    tables.add(new Table("targetGroups", "Participants and outcome against the goal, per target group",
        List.of("target group", "taken in", "active", "exited", "work or education", "goal share (of taken in)",
            "goal met", "share of exits (secondary)"), groups));
    List<List<String>> outcomes = new ArrayList<>();
    report.path("total").path("exitsByOutcomeGroup").fields().forEachRemaining(e -> {
      List<String> row = new ArrayList<>(List.of(e.getKey()));
      for (JsonNode g : groupNodes) {
        row.add(number(g.path("exitsByOutcomeGroup").path(e.getKey())));
      }
      outcomes.add(row);
    });
    List<String> outcomeColumns = new ArrayList<>(List.of("outcome"));
    groupNodes.forEach(g -> outcomeColumns.add(text(g, "targetGroup")));
    tables.add(new Table("exitsByOutcome", "Exits by outcome", outcomeColumns, outcomes));
    tables.add(counts("exitsByReason", "Exits by reason", "reason", report.path("exitsByReason")));
    tables.add(counts("situation", "Situation of everyone taken in", "situation", report.path("situationOfEveryoneTakenIn")));
    tables.add(counts("phases", "Phase of those still in the project", "phase", report.path("phaseOfActive")));
    List<List<String>> days = new ArrayList<>();
    for (String[] part : new String[][] {{"all", "daysInProject"}, {"exited", "daysInProjectOfExited"},
        {"active", "daysInProjectOfActive"}}) {
      JsonNode d = report.path(part[1]);
      days.add(List.of(part[0], number(d.path("count")), decimal(d.path("lowerQuartile"), 0),
          decimal(d.path("median"), 0), decimal(d.path("upperQuartile"), 0)));
    }
    tables.add(new Table("daysInProject", "Time in project (days, enrolment to exit or to the date)",
        List.of("participants", "count", "lower quartile", "median", "upper quartile"), days));
    JsonNode coop = report.path("coopWonca");
    tables.add(new Table("coopWonca", "COOP/WONCA before and after (1 best, 5 worst)", List.of("figure", "value"), List.of(
        List.of("measured", number(coop.path("measured"))),
        List.of("pairs (before and after)", number(coop.path("pairs"))),
        List.of("mean before (pairs)", decimal(coop.path("meanFirst"), 1)),
        List.of("mean after (pairs)", decimal(coop.path("meanLatest"), 1)),
        List.of("mean first measurement (everyone measured)", decimal(coop.path("meanFirstAllMeasured"), 1)),
        List.of("best", decimal(coop.path("best"), 1)),
        List.of("worst", decimal(coop.path("worst"), 1)),
        List.of("improved", number(coop.path("improved"))),
        List.of("unchanged", number(coop.path("unchanged"))),
        List.of("worse", number(coop.path("worsened"))))));
    return tables;
  }

  private static Table counts(String id, String title, String column, JsonNode counts) {
    List<List<String>> rows = new ArrayList<>();
    counts.fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), number(e.getValue()))));
    return new Table(id, title, List.of(column, "count"), rows);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "–" : value.asText();
  }

  private static String number(JsonNode value) {
    return value.isNumber() ? String.valueOf(value.asLong()) : "–";
  }

  private static String decimal(JsonNode value, int decimals) {
    return value.isNumber() ? String.format(Locale.ROOT, "%." + decimals + "f", value.asDouble()) : "–";
  }

  private static String percent(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.0f %%", value.asDouble() * 100) : "–";
  }

  /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
  private static String cell(String value) {
    return value.matches("[^,\"\\r\\n]*") ? value : "\"" + value.replace("\"", "\"\"") + "\"";
  }
}
