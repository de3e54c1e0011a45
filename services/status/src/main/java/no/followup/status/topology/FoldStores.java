package no.followup.status.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import no.followup.common.streams.FoldHead;
import no.followup.events.FollowUpEvent;
import no.followup.status.ParticipantFold;
import no.followup.status.StatusFold;
import no.followup.status.rules.StatusRules;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The fold's stores, each value bounded whatever a participant's history:
 * <ul>
 *   <li>{@value StatusTopology#FOLD_STORE}: participantId → {@link FoldHead}: the {@link ParticipantFold}
 *       after the participant's latest event (or an erasure marker) and the status it gives, which
 *       queries read;</li>
 *   <li>{@value StatusTopology#EVENTS_STORE}: one row per distinct event, keyed by participant and
 *       fold position ({@link FoldKeys}), the record as it came as the value (registry wire
 *       format, sealed payloads still sealed, see {@link ReceivedEvent});</li>
 *   <li>{@value StatusTopology#EVENT_IDS_STORE}: participant + eventId → empty; the row exists once
 *       the event is kept, which is all a duplicate check needs;</li>
 *   <li>{@value StatusTopology#SNAPSHOTS_STORE}: participant + fold position → the fold after the
 *       event at that position, one every {@link #SNAPSHOT_EVERY} events.</li>
 * </ul>
 * Rows are kept until the participant is erased: a late event is folded again from the snapshot
 * before it through every row after that, so any row may be needed again.
 */
final class FoldStores {

  /**
   * Events between snapshots: a late event re-reads at most this many rows before its place (and
   * every row after it, which depend on it). A snapshot is at most a few kilobytes, so this keeps
   * them a small share of what the rows take.
   */
  static final int SNAPSHOT_EVERY = 64;

  private static final byte[] PRESENT = new byte[0];

  private final KeyValueStore<String, FoldHead> heads;
  private final KeyValueStore<Bytes, byte[]> events;
  private final KeyValueStore<Bytes, byte[]> eventIds;
  private final KeyValueStore<Bytes, StatusFold> snapshots;
  private final Serde<ParticipantFold> foldSerde;
  /** The "topic" the folds are encoded for: the store's changelog, as Streams' own store serdes do. */
  private final String foldTopic;

  /** A participant's kept fold (or erasure marker) and current status (the status topic's encoding; null: none). */
  record Head(ParticipantFold fold, byte[] status) {}

  FoldStores(ProcessorContext<?, ?> context, Serde<ParticipantFold> foldSerde) {
    this.heads = context.getStateStore(StatusTopology.FOLD_STORE);
    this.events = context.getStateStore(StatusTopology.EVENTS_STORE);
    this.eventIds = context.getStateStore(StatusTopology.EVENT_IDS_STORE);
    this.snapshots = context.getStateStore(StatusTopology.SNAPSHOTS_STORE);
    this.foldSerde = foldSerde;
    this.foldTopic = context.applicationId() + "-" + StatusTopology.FOLD_STORE + "-changelog";
  }

  /** The participant's head; null when nothing was ever folded for them. */
  Head head(String participantId) {
    FoldHead kept = heads.get(participantId);
    return kept == null ? null : new Head(foldSerde.deserializer().deserialize(foldTopic, kept.fold()), kept.status());
  }

  /** The participant's current status (the status topic's encoding), without decoding the fold; null: none. */
  byte[] currentStatus(String participantId) {
    FoldHead kept = heads.get(participantId);
    return kept == null ? null : kept.status();
  }

  void putHead(String participantId, byte[] latestPosition, StatusFold fold, byte[] status) {
    put(participantId, new ParticipantFold(null, ByteBuffer.wrap(latestPosition), fold), status);
  }

  private void put(String participantId, ParticipantFold fold, byte[] status) {
    heads.put(participantId, new FoldHead(status, foldSerde.serializer().serialize(foldTopic, fold)));
  }

  boolean isKept(String participantId, UUID eventId) {
    return eventIds.get(FoldKeys.key(participantId, FoldKeys.eventId(eventId))) != null;
  }

  /** Keeps an event as the row at its position. */
  void keep(String participantId, UUID eventId, byte[] position, byte[] encodedEvent) {
    events.put(FoldKeys.key(participantId, position), encodedEvent);
    eventIds.put(FoldKeys.key(participantId, FoldKeys.eventId(eventId)), PRESENT);
  }

  /** Saves the fold after the event at {@code position} when that event's index is due for one. */
  void snapshotIfDue(String participantId, byte[] position, StatusFold fold) {
    snapshotIfDue(FoldKeys.key(participantId, position), fold);
  }

  private void snapshotIfDue(Bytes rowKey, StatusFold fold) {
    if (fold.getIndex() % SNAPSHOT_EVERY == 0) {
      snapshots.put(rowKey, fold);
    }
  }

  /**
   * The fold with every kept event of the participant, folded again from the latest snapshot
   * before {@code position} (the place of an event just kept out of order). Snapshots after that
   * place no longer hold and are replaced on the way.
   */
  StatusFold refoldFrom(String participantId, byte[] position, EventDecoder decoder) {
    Bytes changedAt = FoldKeys.key(participantId, position);
    KeyValue<Bytes, StatusFold> start;
    try (KeyValueIterator<Bytes, StatusFold> before =
             snapshots.reverseRange(FoldKeys.first(participantId, FoldKeys.POSITION_BYTES), changedAt)) {
      start = before.hasNext() ? before.next() : null;
    }
    deleteRange(snapshots, changedAt, FoldKeys.last(participantId, FoldKeys.POSITION_BYTES));

    StatusFold fold = start == null ? StatusRules.newFold() : start.value;
    Bytes from = start == null ? FoldKeys.first(participantId, FoldKeys.POSITION_BYTES) : FoldKeys.after(start.key);
    try (KeyValueIterator<Bytes, byte[]> rows = events.range(from, FoldKeys.last(participantId, FoldKeys.POSITION_BYTES))) {
      while (rows.hasNext()) {
        KeyValue<Bytes, byte[]> row = rows.next();
        StatusRules.apply(fold, decoder.decode(row.value));
        snapshotIfDue(row.key, fold);
      }
    }
    return fold;
  }

  /** Deletes every row and the status of the participant and leaves only the erasure marker. */
  void erase(String participantId, Instant erasedAt) {
    deleteRange(events, FoldKeys.first(participantId, FoldKeys.POSITION_BYTES),
        FoldKeys.last(participantId, FoldKeys.POSITION_BYTES));
    deleteRange(snapshots, FoldKeys.first(participantId, FoldKeys.POSITION_BYTES),
        FoldKeys.last(participantId, FoldKeys.POSITION_BYTES));
    deleteRange(eventIds, FoldKeys.first(participantId, FoldKeys.EVENT_ID_BYTES),
        FoldKeys.last(participantId, FoldKeys.EVENT_ID_BYTES));
    put(participantId, new ParticipantFold(erasedAt, null, null), null);
  }

  /** Deletes the rows from {@code from} to {@code to} (inclusive), collected first: no writes under an open iterator. */
  private static <V> void deleteRange(KeyValueStore<Bytes, V> store, Bytes from, Bytes to) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, V> rows = store.range(from, to)) {
      rows.forEachRemaining(row -> keys.add(row.key));
    }
    keys.forEach(store::delete);
  }

  /** Reads a kept event back. */
  @FunctionalInterface
  interface EventDecoder {
    FollowUpEvent decode(byte[] encodedEvent);
  }
}
