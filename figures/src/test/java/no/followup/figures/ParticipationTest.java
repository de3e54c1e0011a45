package no.followup.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.ServicesReceived;
import no.followup.status.Situation;
import org.junit.jupiter.api.Test;

class ParticipationTest {

  private static final Instant AT = Instant.parse("2021-03-01T09:00:00Z");

  private static ParticipantStatus.Builder notEnrolled() {
    return ParticipantStatus.newBuilder().setParticipantId("p-1").setOfficeId("0403").setEnrolled(false)
        .setSituation(Situation.UNKNOWN).setPhase(Phase.AWAITING_ENROLMENT).setServicesReceived(ServicesReceived.NONE)
        .setTargetGroups(java.util.List.of()).setLastEventAt(AT);
  }

  /**
   * KlarA: «31 henvisninger [...] 13 kvinner er ikke tatt inn i prosjektet». A declined referral is
   * counted as such, neither taken in nor waiting to be; a referral still open waits.
   */
  @Test
  void aDeclinedReferralNeitherIsTakenInNorAwaitsEnrolment() {
    ParticipantStatus declined = notEnrolled().setReferredAt(AT).setReferralDeclinedAt(AT).build();
    assertThat(Participation.referralDeclined(declined)).isTrue();
    assertThat(Participation.awaitingEnrolment(declined)).isFalse();
    assertThat(Participation.takenIn(declined)).isFalse();
    assertThat(Participation.active(declined)).isFalse();

    ParticipantStatus referred = notEnrolled().setReferredAt(AT).build();
    assertThat(Participation.awaitingEnrolment(referred)).isTrue();
    assertThat(Participation.active(referred)).isFalse();
  }

  /**
   * KlarA: «Per 23.01.2023 har vi hatt totalt 31 henvisninger til prosjekt KlarA. 13 kvinner er ikke
   * tatt inn i prosjektet»: the 31 count those taken in too. Someone enrolled, or turned away, without
   * a referral on record was still referred; someone with only a meeting on record was not.
   */
  @Test
  void theReferralsCountEveryoneTakenInOrTurnedAwayWithOrWithoutAReferralOnRecord() {
    assertThat(Participation.referred(notEnrolled().setReferredAt(AT).build())).isTrue();
    assertThat(Participation.referred(notEnrolled().setEnrolled(true).setEnrolledAt(AT).setPhase(Phase.ENROLLED).build()))
        .as("enrolled without a referral event").isTrue();
    assertThat(Participation.referred(notEnrolled().setReferralDeclinedAt(AT).build()))
        .as("declined without a referral event").isTrue();
    assertThat(Participation.referred(notEnrolled().build())).as("only other events on record").isFalse();
  }
}
