package no.followup.intake.publish;

import java.util.Set;

/**
 * Events were refused because their participants were erased: nothing is recorded for an erased
 * participant again (only a repeated erasure is accepted). Nothing of the request was written.
 */
public final class ParticipantErasedException extends Exception {

  private final transient Set<String> participantIds;

  public ParticipantErasedException(Set<String> participantIds) {
    super(participantIds.size() + " erased participant(s)");
    this.participantIds = Set.copyOf(participantIds);
  }

  /** The erased participants the refused events were for (pseudonymous ids). */
  public Set<String> participantIds() {
    return participantIds;
  }
}
