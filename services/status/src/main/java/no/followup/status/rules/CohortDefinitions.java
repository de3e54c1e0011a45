package no.followup.status.rules;

import java.util.ArrayList;
import no.followup.common.rules.IdShapes;
import no.followup.events.CohortDefined;
import no.followup.events.FollowUpEvent;
import no.followup.events.TargetGroup;
import no.followup.status.CohortDefinition;
import no.followup.status.KeptCohortDefinition;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A cohort's definition from its CohortDefined events: the version that occurred last counts
 * (recordedAt, then the version's content breaking ties), so versions may arrive in any order and
 * twice.
 */
public final class CohortDefinitions {

  /** Bounds as the intake's: a record from before it enforced them must not grow the state. */
  static final int MAX_NAME_LENGTH = 80;
  static final int MAX_ITEMS = 20;

  private CohortDefinitions() {}

  /** The definition a CohortDefined event gives; rejects one that is not keyed by its cohort. */
  public static CohortDefinition of(FollowUpEvent event) {
    if (!(event.getPayload() instanceof CohortDefined defined)) {
      throw new IllegalArgumentException("not a CohortDefined event");
    }
    String cohortId = event.getCohortId();
    if (event.getOccurredAt() == null || event.getRecordedAt() == null) {
      throw new InvalidEventException("CohortDefined without occurredAt or recordedAt");
    }
    if (cohortId == null || !event.getParticipantId().equals(TallyContributions.COHORT + cohortId)) {
      throw new InvalidEventException("CohortDefined without a cohortId, or not keyed 'cohort:' + cohortId");
    }
    if (cohortId.length() > IdShapes.MAX_ID_LENGTH || defined.getName().length() > MAX_NAME_LENGTH
        || defined.getOffices().size() > MAX_ITEMS || defined.getReportingDates().size() > MAX_ITEMS
        || defined.getOffices().stream().anyMatch(office -> office.length() > IdShapes.MAX_ID_LENGTH)) {
      throw new InvalidEventException("CohortDefined beyond its bounds (id, name, offices or reporting dates)");
    }
    if (defined.getPeriodEnd().isBefore(defined.getPeriodStart())) {
      throw new InvalidEventException("CohortDefined period ends before it starts");
    }
    Double goal = defined.getWorkOrEducationGoal();
    if (goal != null && !(goal >= 0 && goal <= 1)) {
      throw new InvalidEventException("CohortDefined goal outside 0-1");
    }
    return CohortDefinition.newBuilder()
        .setCohortId(cohortId)
        .setName(defined.getName())
        .setOffices(new ArrayList<>(defined.getOffices()))
        .setTargetGroups(new ArrayList<>(defined.getTargetGroups().stream().map(TargetGroup::name).distinct().toList()))
        .setPeriodStart(defined.getPeriodStart())
        .setPeriodEnd(defined.getPeriodEnd())
        .setWorkOrEducationGoal(goal)
        .setReportingDates(new ArrayList<>(defined.getReportingDates().stream().distinct().sorted().toList()))
        .setDefinedAt(event.getOccurredAt())
        .setRecordedAt(event.getRecordedAt())
        .build();
  }

  /** The definition as kept in the tally store (the same fields under an internal record name). */
  public static KeptCohortDefinition kept(CohortDefinition definition) {
    return definition == null ? null : copy(definition, new KeptCohortDefinition());
  }

  /** The definition kept in the tally store, as tallies show it. */
  public static CohortDefinition shown(KeptCohortDefinition kept) {
    return kept == null ? null : copy(kept, new CohortDefinition());
  }

  private static <T extends IndexedRecord> T copy(IndexedRecord from, T to) {
    for (Schema.Field field : from.getSchema().getFields()) {
      to.put(to.getSchema().getField(field.name()).pos(), from.get(field.pos()));
    }
    return to;
  }

  /** The later of two versions (either may be null). */
  public static CohortDefinition latest(CohortDefinition a, CohortDefinition b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int byTime = a.getDefinedAt().compareTo(b.getDefinedAt());
    if (byTime == 0) {
      byTime = a.getRecordedAt().compareTo(b.getRecordedAt());
    }
    if (byTime == 0) {
      byTime = a.toString().compareTo(b.toString());
    }
    return byTime >= 0 ? a : b;
  }
}
