package no.followup.common.crypto;

import java.util.Set;
import no.followup.events.BenefitGranted;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantExited;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;

/**
 * The payload records that carry special-category (health) data, and so are sealed: the one list.
 * <ul>
 *   <li>{@code FunctionScoreRecorded}: the seven COOP/WONCA items;</li>
 *   <li>{@code BenefitGranted}: health benefit AAP, disability benefit;</li>
 *   <li>{@code ParticipantExited}: reasons AAP, disability benefit, treatment;</li>
 *   <li>{@code ServiceStarted}, {@code ServiceEnded}: health support;</li>
 *   <li>{@code ParticipantEnrolled}: the target group "diffuse health complaints".</li>
 * </ul>
 * A record is sealed whole: its other fields (a coordinator id, a specialist id) are no reason to
 * leave it readable, and a whole record decrypts back into the same class.
 */
public final class SensitivePayloads {

  static final Set<Class<?>> SEALED = Set.of(FunctionScoreRecorded.class, BenefitGranted.class, ParticipantExited.class,
      ServiceStarted.class, ServiceEnded.class, ParticipantEnrolled.class);

  private SensitivePayloads() {}

  public static boolean sensitive(Object payload) {
    return payload != null && SEALED.contains(payload.getClass());
  }
}
