package no.followup.dashboard.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters come from query parameters: only ids of the data's shapes (IdShapes) pass, and a refusal never repeats the value. */
class FiltersTest {

  private static final String IDENTITY_NUMBER = "01019912345";

  @Test
  void wellFormedFiltersPassAndBlankOnesMatchEverything() {
    Filters f = Filters.from(Map.of("office", " 0403 ", "coordinator", "s-12", "cohort", "gjovik-2025")::get);
    assertThat(f).isEqualTo(new Filters("0403", "s-12", "gjovik-2025"));
    assertThat(Filters.from(Map.of("office", "  ")::get)).isEqualTo(Filters.NONE);
  }

  @Test
  void eachFilterOfTheWrongShapeIsRefusedNamingTheParameterNeverItsValue() {
    Map<String, List<String>> bad = Map.of(
        "office", List.of(IDENTITY_NUMBER, "040", "04031", "Kari Nordmann", "٠٤٠٣", "0".repeat(100_000)),
        "coordinator", List.of(IDENTITY_NUMBER, "s-" + IDENTITY_NUMBER, "Kari Nordmann", "+47 912 34 567", ".hidden",
            "x".repeat(65), "kari@example.no"),
        "cohort", List.of(IDENTITY_NUMBER, "Kari Nordmann", "Optimist", "a|b", "x".repeat(41)));
    bad.forEach((parameter, values) -> {
      for (String value : values) {
        assertThatThrownBy(() -> Filters.from(Map.of(parameter, value)::get)).as(parameter + "=" + value)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(parameter + " must be ")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
      }
    });
  }
}
