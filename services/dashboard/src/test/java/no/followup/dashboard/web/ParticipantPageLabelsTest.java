package no.followup.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.followup.events.StaffRole;
import no.followup.status.ScoreChange;
import org.junit.jupiter.api.Test;

/** The participant page asks only for labels both languages have. */
class ParticipantPageLabelsTest {

  private final Messages messages = new Messages();

  @Test
  void everyLabelTheParticipantPageAsksForExists() throws IOException {
    List<String> used = new ArrayList<>();
    for (String script : List.of("followup-kit.js", "participant.js", "participant-forms.js", "score-chart.js")) {
      Matcher calls = Pattern.compile("\\bt\\('([a-zA-Z]+\\.[a-zA-Z0-9]+)'\\)").matcher(resource("web/static/" + script));
      while (calls.find()) {
        used.add(calls.group(1));
      }
    }
    Matcher attributes = Pattern.compile("data-label=\"([a-zA-Z]+\\.[a-zA-Z0-9]+)\"").matcher(resource("web/participant.html"));
    while (attributes.find()) {
      used.add(attributes.group(1));
    }
    for (StaffRole role : StaffRole.values()) {
      used.add("enum.StaffRole." + role.name()); // who recorded each event of the timeline
    }
    for (ScoreChange change : ScoreChange.values()) {
      used.add("scoreChange." + change.name());
    }
    assertThat(used).hasSizeGreaterThan(60);
    for (String lang : Messages.LANGUAGES) {
      assertThat(messages.labels(lang)).as(lang).containsKeys(used.toArray(String[]::new));
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ParticipantPageLabelsTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
