package no.followup.intake.deadletters;

import java.time.Instant;

/**
 * The mark a re-drive leaves on the dead-letter topic, in the same transaction as the copy it
 * wrote: the source record was copied to {@code copyPartition}/{@code copyOffset} of its topic.
 * A source record with a mark is never copied again.
 */
public record Redrive(SourceRecord source, int copyPartition, long copyOffset, Instant at) {}
