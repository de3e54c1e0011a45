package no.followup.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.followup.dashboard.tasks.TaskOutcome;
import no.followup.events.TargetGroup;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.MeetingPlaceKind;
import no.followup.reminders.TaskAssignee;
import no.followup.reminders.TaskKind;
import no.followup.status.CaseloadFlag;
import no.followup.status.MeetingState;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import no.followup.status.StatusExitReason;
import org.junit.jupiter.api.Test;

class MessagesTest {

  private final Messages messages = new Messages();

  @Test
  void bothLanguagesHaveTheSameKeysAndNoBlankLabel() {
    Map<String, String> nb = messages.labels("nb");
    Map<String, String> en = messages.labels("en");
    assertThat(nb.keySet()).isEqualTo(en.keySet());
    assertThat(nb).allSatisfy((k, v) -> assertThat(v).as(k).isNotBlank());
    assertThat(en).allSatisfy((k, v) -> assertThat(v).as(k).isNotBlank());
    assertThat(nb.get("nav.overview")).isEqualTo("Oversikt");
    assertThat(en.get("nav.overview")).isEqualTo("Overview");
  }

  @Test
  void everySymbolTheViewsShowHasALabel() {
    List<String> keys = new ArrayList<>();
    add(keys, "situation", Situation.values());
    add(keys, "phase", Phase.values());
    add(keys, "exitReason", StatusExitReason.values());
    add(keys, "services", ServicesReceived.values());
    add(keys, "targetGroup", TargetGroup.values());
    add(keys, "taskKind", TaskKind.values());
    add(keys, "assignee", TaskAssignee.values());
    add(keys, "meetingState", MeetingState.values());
    add(keys, "meetingKind", MeetingPlaceKind.values());
    add(keys, "delivery", DeliveryStatus.values());
    add(keys, "caseloadFlag", CaseloadFlag.values());
    add(keys, "outcome", TaskOutcome.values());
    add(keys, "outcomeGroup", no.followup.figures.OutcomeGroup.values());
    for (String lang : Messages.LANGUAGES) {
      assertThat(messages.labels(lang)).as(lang).containsKeys(keys.toArray(String[]::new));
    }
  }

  @Test
  void everyLabelThePageAsksForExists() throws IOException {
    StringBuilder script = new StringBuilder();
    for (String name : List.of("web/static/app.js", "web/static/followup-kit.js")) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
        script.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    String page;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("web/index.html")) {
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> used = new ArrayList<>();
    Matcher calls = Pattern.compile("\\bt\\('([a-zA-Z]+\\.[a-zA-Z0-9]+)'\\)").matcher(script);
    while (calls.find()) {
      used.add(calls.group(1));
    }
    Matcher attributes = Pattern.compile("data-label=\"([a-zA-Z]+\\.[a-zA-Z0-9]+)\"").matcher(page);
    while (attributes.find()) {
      used.add(attributes.group(1));
    }
    assertThat(used).hasSizeGreaterThan(50);
    for (String lang : Messages.LANGUAGES) {
      assertThat(messages.labels(lang)).as(lang).containsKeys(used.toArray(String[]::new));
    }
  }

  @Test
  void unknownLanguagesFallBackToBokmaal() {
    assertThat(Messages.language("en")).isEqualTo("en");
    assertThat(Messages.language("EN")).isEqualTo("en");
    assertThat(Messages.language("sv")).isEqualTo("nb");
    assertThat(Messages.language(null)).isEqualTo("nb");
    assertThat(Messages.language("no")).isEqualTo("nb");
  }

  private static void add(List<String> keys, String prefix, Enum<?>[] symbols) {
    for (Enum<?> s : symbols) {
      keys.add(prefix + "." + s.name());
    }
  }
}
