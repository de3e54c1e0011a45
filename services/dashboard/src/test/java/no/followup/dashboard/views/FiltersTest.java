package no.followup.dashboard.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import no.followup.intake.event.BusinessRules;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Filters come from query parameters: only ids of the intake's shapes pass, and a refusal never repeats the value. */
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

  /** The dashboard cannot use the intake's table at run time; this keeps the two from drifting apart. */
  @Test
  void theShapesAreTheIntakesShapes() {
    BusinessRules rules = new BusinessRules();
    Schema string = Schema.create(Schema.Type.STRING);
    check(rules.textShape("officeId", string), IdShapes::isNavUnitNumber, IdShapes.NAV_UNIT_NUMBER_DESCRIPTION);
    check(rules.textShape("coordinatorId", string), IdShapes::isPseudonymousId, IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
    check(rules.textShape("cohortId", string), IdShapes::isCohortSlug, IdShapes.COHORT_SLUG_DESCRIPTION);
  }

  private static void check(BusinessRules.TextShape intake, Predicate<String> dashboard, String description) {
    assertThat(description).isEqualTo(intake.description());
    List<String> samples = List.of(intake.example(), "0403", "s-12", "gjovik-2025", "-x", "_x", ".x", ":x", "a.b:c", "A", "a",
        "a|b", "a b", "ø", "x".repeat(40), "x".repeat(41), "x".repeat(64), "x".repeat(65), "1234567890", IDENTITY_NUMBER);
    for (String sample : samples) {
      boolean intakeAccepts = sample.length() <= intake.maxLength() && intake.pattern().matcher(sample).matches()
          && !sample.matches(".*[0-9]{11}.*");
      assertThat(dashboard.test(sample)).as(sample).isEqualTo(intakeAccepts);
    }
  }
}
