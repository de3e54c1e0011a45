package no.followup.status.topology;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import no.followup.common.Topics;
import no.followup.common.streams.PromptCommits;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantErased;
import no.followup.status.ParticipantFold;
import no.followup.status.ParticipantStatus;
import no.followup.status.StatusFold;
import no.followup.status.rules.InvalidEventException;
import no.followup.status.rules.StatusRules;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each participant's events into their status incrementally ({@link StatusRules}), keeping
 * the events as rows ({@link FoldStores}):
 * <ul>
 *   <li>an event in order (after the participant's latest in fold order) is applied to the stored
 *       fold: its cost does not depend on the participant's history;</li>
 *   <li>a late event is kept at its place and the participant is folded again from the latest
 *       snapshot before it, so the result is the same as if it had arrived in order;</li>
 *   <li>a duplicate (eventId already kept) changes nothing and emits nothing;</li>
 *   <li>events for a participant not (yet) enrolled are kept; the status says AWAITING_ENROLMENT
 *       until the enrolment arrives, then they count as usual;</li>
 *   <li>ParticipantErased deletes the rows, the snapshots and the status (a tombstone downstream)
 *       and leaves only an erasure marker, so a late event cannot bring the participant back;</li>
 *   <li>an invalid event is rejected before it is kept (the processing handler sends a pointer to
 *       the dead-letter topic).</li>
 * </ul>
 * Sends the participant's new status on at once for every event it keeps, and every
 * {@link #COUNT_INTERVAL} the summed tally changes of the participants changed since
 * ({@link UncountedChanges}). While events are live it asks for a commit soon after each
 * ({@link PromptCommits}), so a status is readable within tens of milliseconds rather than at
 * the end of the commit interval.
 */
final class StatusFoldProcessor implements Processor<String, ReceivedEvent, String, FoldOutput> {

  private static final Logger log = LoggerFactory.getLogger(StatusFoldProcessor.class);

  /**
   * Largest event kept as a row, encoded. The intake's events are under 1 KiB; this leaves room
   * for any valid event while keeping every row far below the broker's record limit, which a
   * changelog write must respect or the task fails on the same record forever.
   */
  static final int MAX_KEPT_EVENT_BYTES = 64 * 1024;

  /**
   * How often the changed participants are counted into the tallies: below the default commit
   * interval, so the tallies trail the statuses by about one commit.
   */
  static final Duration COUNT_INTERVAL = Duration.ofMillis(100);

  private final Deserializer<FollowUpEvent> events;
  private final Serde<ParticipantStatus> statusSerde;
  private final Serde<ParticipantFold> foldSerde;
  private final ZoneId zone;
  private final PromptCommits promptCommits;
  private ProcessorContext<String, FoldOutput> context;
  private FoldStores stores;
  private UncountedChanges uncounted;
  private PromptCommits.OfTask commits;

  /**
   * @param events reads a kept row back (the events topic's deserializer, unsealing when it can)
   * @param statusSerde the status topic's serde: a status is encoded once, for the topic and the stores
   * @param foldSerde encodes the folds kept in {@value StatusTopology#FOLD_STORE}
   * @param promptCommits the application instance's early commits, shared by its tasks
   */
  StatusFoldProcessor(Deserializer<FollowUpEvent> events, Serde<ParticipantStatus> statusSerde,
      Serde<ParticipantFold> foldSerde, ZoneId zone, PromptCommits promptCommits) {
    this.events = events;
    this.statusSerde = statusSerde;
    this.foldSerde = foldSerde;
    this.zone = zone;
    this.promptCommits = promptCommits;
  }

  @Override
  public void init(ProcessorContext<String, FoldOutput> context) {
    this.context = context;
    this.stores = new FoldStores(context, foldSerde);
    this.uncounted = new UncountedChanges(context, stores, statusSerde.deserializer(), zone);
    this.commits = promptCommits.forTask(context);
    context.schedule(COUNT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> uncounted.count()
        .forEach((key, counters) -> context.forward(new Record<>(key, new FoldOutput.TallyDelta(counters), now))));
  }

  @Override
  public void process(Record<String, ReceivedEvent> record) {
    if (record.value() == null) {
      return; // a tombstone on the event log carries nothing to apply
    }
    FollowUpEvent event = record.value().event();
    StatusRules.validate(event);
    String participantId = event.getParticipantId();
    if (!Objects.equals(record.key(), participantId)) {
      // the events topic must be keyed by participantId, or one participant's events would be split
      throw new InvalidEventException("record key does not match the event's participantId");
    }

    FoldStores.Head kept = stores.head(participantId);
    ParticipantFold head = kept == null ? null : kept.fold();
    byte[] statusBefore = kept == null ? null : kept.status();
    if (head != null && head.getErasedAt() != null) {
      log.debug("Ignored an event for erased participant {}", participantId);
      return;
    }
    if (event.getPayload() instanceof ParticipantErased) {
      erase(record, participantId, event, statusBefore);
      return;
    }
    if (stores.isKept(participantId, event.getEventId())) {
      return; // duplicate: already applied
    }
    byte[] row = record.value().encoded();
    if (row.length > MAX_KEPT_EVENT_BYTES) {
      throw new InvalidEventException("event larger than " + MAX_KEPT_EVENT_BYTES + " bytes");
    }
    byte[] position = FoldKeys.position(event);
    stores.keep(participantId, event.getEventId(), position, row);

    byte[] latest = head == null ? null : bytes(head.getLatestPosition());
    StatusFold fold;
    if (latest == null || FoldKeys.compare(position, latest) > 0) {
      fold = head == null ? StatusRules.newFold() : head.getFold();
      StatusRules.apply(fold, event);
      stores.snapshotIfDue(participantId, position, fold);
      latest = position;
    } else {
      fold = stores.refoldFrom(participantId, position, this::decode);
    }
    // every kept event changes the status (eventCount at least), so it is always published
    ParticipantStatus status = StatusRules.status(participantId, fold);
    byte[] encoded = statusSerde.serializer().serialize(Topics.PARTICIPANT_STATUS.name(), status);
    stores.putHead(participantId, latest, fold, encoded);
    uncounted.changed(participantId, statusBefore, status);
    context.forward(record.withValue(new FoldOutput.Status(encoded)));
    commits.processed(record.timestamp());
  }

  private void erase(Record<String, ReceivedEvent> record, String participantId, FollowUpEvent event,
      byte[] statusBefore) {
    stores.erase(participantId, event.getOccurredAt());
    uncounted.changed(participantId, statusBefore, null);
    log.info("Erased participant {}", participantId);
    if (statusBefore != null) {
      context.forward(record.withValue(new FoldOutput.Status(null)));
    }
    commits.processed(record.timestamp());
  }

  private FollowUpEvent decode(byte[] encodedEvent) {
    return events.deserialize(Topics.EVENTS.name(), encodedEvent);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
