package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import no.followup.status.Situation;
import no.followup.status.SpecialistAssignment;
import org.junit.jupiter.api.Test;

/**
 * IPS is the job specialist's service. Survey 2022: "En jobbspesialist jobber etter supported employment
 * metodikk (SE) [...] Jobbspesialisten følger bruker i opptil 3 år, også når denne er i arbeid." OPTIMIST's
 * final report counts it as an activity: "fem er i tiltak/aktivitet (AFT, IPS, aktivitet på jobbsentralen)".
 */
class IpsTest {

  private static final Instant START = Instant.parse("2025-01-06T09:00:00Z");

  @Test
  void onlyAnOpenJobSupportAssignmentIsIps() {
    assertThat(Ips.isOpenIps(assignment("JOB_SUPPORT_IPS", null))).isTrue();
    assertThat(Ips.isOpenIps(assignment("JOB_SUPPORT_IPS", START.plusSeconds(86_400)))).as("ended").isFalse();
    assertThat(Ips.isOpenIps(assignment("HEALTH_SUPPORT", null))).isFalse();
  }

  @Test
  void whileOpenItIsAnActivityAndAJobStillComesFirst() {
    assertThat(SituationPrecedence.of(EnumSet.of(Ips.SITUATION_WHILE_OPEN))).isEqualTo(Situation.MEASURE_OR_ACTIVITY);
    assertThat(SituationPrecedence.of(EnumSet.of(Ips.SITUATION_WHILE_OPEN, Situation.JOB_OR_APPRENTICESHIP)))
        .as("followed up also in work, the participant is in work").isEqualTo(Situation.JOB_OR_APPRENTICESHIP);
  }

  private static SpecialistAssignment assignment(String service, Instant endedAt) {
    return SpecialistAssignment.newBuilder().setService(service).setSpecialistId("s-j1").setStartedAt(START)
        .setEndedAt(endedAt).build();
  }
}
