package no.followup.status.topology;

import no.followup.status.ParticipantStatus;

/**
 * A participant's status before and after one event; either side null (first status / erasure).
 * Passed between processors of one sub-topology in memory only, never serialized.
 */
public record StatusChange(String participantId, ParticipantStatus previous, ParticipantStatus current) {}
