package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoalShareTest {

  /**
   * Gjøvik, "Mål": «Dersom 60% av de som tas inn i prosjektet når målsettingen om ordinær jobb eller
   * utdanning, vil det ses på som et godt resultat». The base is everyone taken in.
   */
  @Test
  void theGoalShareIsOverThoseTakenInNotOverTheExits() {
    GoalShare demo = new GoalShare(4, 24, 6, 0.6);
    assertThat(demo.share()).isEqualTo(4 / 24.0);
    assertThat(demo.goalMet()).isFalse();
    assertThat(demo.shareOfExits()).as("secondary, over exits only").isEqualTo(4 / 6.0);
  }

  /** Gjøvik, "Tall (pr 31.12.21)": 30 participants, 16 "avsluttet til arbeid/utdanning". */
  @Test
  void gjoviksOwnFiguresGiveAShareOf16Of30() {
    GoalShare gjovik = new GoalShare(16, 30, 26, 0.6);
    assertThat(gjovik.share()).isEqualTo(16 / 30.0);
    assertThat(gjovik.goalMet()).as("16/30 = 53 % is under 60 %").isFalse();
    assertThat(new GoalShare(18, 30, 26, 0.6).goalMet()).isTrue();
  }

  @Test
  void aFirstExitIntoAJobIsOneOfThoseTakenInNotAHundredPercent() {
    GoalShare early = new GoalShare(1, 20, 1, 0.6);
    assertThat(early.share()).isEqualTo(0.05);
    assertThat(early.shareOfExits()).isEqualTo(1.0);
  }

  @Test
  void withNobodyTakenInOrNoGoalThereIsNoVerdict() {
    assertThat(new GoalShare(0, 0, 0, 0.6).share()).isNull();
    assertThat(new GoalShare(0, 0, 0, 0.6).goalMet()).isNull();
    assertThat(new GoalShare(2, 10, 3, null).goalMet()).isNull();
    assertThat(new GoalShare(0, 10, 0, 0.6).shareOfExits()).isNull();
  }
}
