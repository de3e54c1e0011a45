package no.followup.status.rules;

import no.followup.common.rules.IdShapes;
import no.followup.events.FollowUpEvent;
import no.followup.events.SpecialistCapacitySet;
import no.followup.figures.CaseloadRange;
import no.followup.status.KeptCapacity;

/**
 * A job specialist's capacity from their SpecialistCapacitySet events: the one that occurred last counts
 * (recordedAt, then the share breaking ties), so versions may arrive in any order and twice. It is kept
 * with the specialist's tally ({@code specialist:<id>}) and scales their caseload range
 * ({@link CaseloadRange#forCapacity}).
 */
public final class SpecialistCapacities {

  private SpecialistCapacities() {}

  /** The capacity the event sets; rejects one not keyed by its specialist or outside the bounds. */
  public static KeptCapacity of(FollowUpEvent event) {
    if (!(event.getPayload() instanceof SpecialistCapacitySet set)) {
      throw new IllegalArgumentException("not a SpecialistCapacitySet event");
    }
    if (event.getOccurredAt() == null || event.getRecordedAt() == null) {
      throw new InvalidEventException("SpecialistCapacitySet without occurredAt or recordedAt");
    }
    String specialistId = set.getSpecialistId();
    if (specialistId == null || specialistId.length() > IdShapes.MAX_ID_LENGTH
        || !event.getParticipantId().equals(TallyContributions.SPECIALIST + specialistId)) {
      throw new InvalidEventException("SpecialistCapacitySet not keyed 'specialist:' + specialistId");
    }
    double share = set.getFteShare();
    if (!(share >= CaseloadRange.MIN_FTE_SHARE && share <= CaseloadRange.MAX_FTE_SHARE)) {
      throw new InvalidEventException("SpecialistCapacitySet share outside its bounds");
    }
    return new KeptCapacity(share, event.getOccurredAt(), event.getRecordedAt());
  }

  /** The later of two (either may be null). */
  public static KeptCapacity latest(KeptCapacity a, KeptCapacity b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int byTime = a.getSetAt().compareTo(b.getSetAt());
    if (byTime == 0) {
      byTime = a.getRecordedAt().compareTo(b.getRecordedAt());
    }
    if (byTime == 0) {
      byTime = Double.compare(a.getFteShare(), b.getFteShare());
    }
    return byTime >= 0 ? a : b;
  }

  /** The share, or null without a recorded capacity. */
  public static Double share(KeptCapacity kept) {
    return kept == null ? null : kept.getFteShare();
  }
}
