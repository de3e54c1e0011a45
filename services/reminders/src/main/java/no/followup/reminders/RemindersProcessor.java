package no.followup.reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import no.followup.events.FollowUpEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies events to per-participant state and fires timers from the due index on wall-clock
 * punctuation. Timers are rows in a state store (with a changelog), not scheduled tasks in memory,
 * so they survive restarts and move with their partition on a rebalance. Under exactly-once, the
 * emission of a due reminder and the deletion of its index row commit together: a crash in between
 * rolls both back, and the reminder is emitted once.
 */
final class RemindersProcessor implements Processor<String, FollowUpEvent, String, Reminder> {

  private static final Logger log = LoggerFactory.getLogger(RemindersProcessor.class);

  /** Bounds one punctuation (and so one transaction); the rest fires on the next tick. */
  static final int MAX_FIRED_PER_PUNCTUATION = 5_000;

  private final ReminderEngine engine;
  private final RemindersMetrics metrics;
  private final Duration punctuationInterval;
  private final Duration dedupRetention;

  private ProcessorContext<String, Reminder> context;
  private KeyValueStore<String, ReminderParticipantState> participants;
  private KeyValueStore<String, String> due;
  private WindowStore<String, Long> seenEvents;
  private KeyValueStore<String, Long> erased;
  private Cancellable punctuation;

  RemindersProcessor(ReminderRules rules, RemindersMetrics metrics, Duration punctuationInterval, Duration dedupRetention) {
    this.engine = new ReminderEngine(rules);
    this.metrics = metrics;
    this.punctuationInterval = punctuationInterval;
    this.dedupRetention = dedupRetention;
  }

  @Override
  public void init(ProcessorContext<String, Reminder> context) {
    this.context = context;
    this.participants = context.getStateStore(RemindersTopology.PARTICIPANTS_STORE);
    this.due = context.getStateStore(RemindersTopology.DUE_STORE);
    this.seenEvents = context.getStateStore(RemindersTopology.SEEN_EVENTS_STORE);
    this.erased = context.getStateStore(RemindersTopology.ERASED_STORE);
    this.punctuation = context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
  }

  @Override
  public void process(Record<String, FollowUpEvent> record) {
    FollowUpEvent event = record.value();
    if (event == null) {
      return;
    }
    String participantId = record.key() != null ? record.key() : event.getParticipantId();
    // first: an invalid event throws before any store is read or written, and the processing
    // handler skips it with a dead-letter pointer (see ReminderEventChecks.validate for why)
    ReminderEventChecks.validate(participantId, event);
    long now = context.currentSystemTimeMs();
    String eventId = event.getEventId().toString();
    try (WindowStoreIterator<Long> seen = seenEvents.fetch(eventId,
        Instant.ofEpochMilli(now - dedupRetention.toMillis()), Instant.ofEpochMilli(now))) {
      if (seen.hasNext()) {
        metrics.duplicateEvent();
        return;
      }
    }
    if (erased.get(participantId) != null) {
      // erased: whatever arrives later (late, replayed or new) derives nothing; only a new
      // pseudonymous id starts over
      metrics.eventForErasedParticipant();
      seenEvents.put(eventId, now, now);
      return;
    }
    ReminderParticipantState state = participants.get(participantId);
    if (state == null) {
      state = ReminderEngine.newState(participantId, event.getOfficeId());
    }
    boolean keep = engine.onEvent(state, event, Instant.ofEpochMilli(now), new StoreEffects(now, false));
    if (keep) {
      participants.put(participantId, state);
    } else {
      participants.delete(participantId);
      erased.put(participantId, now);
      log.info("Participant {} erased from reminder state", participantId);
    }
    // marked seen only once handled: an event that failed (and went to the dead-letter topic) is
    // not mistaken for a duplicate when it is sent again
    seenEvents.put(eventId, now, now);
  }

  /** Emits everything due at or before {@code now}, then removes it from the index. */
  private void fireDue(long now) {
    List<KeyValue<String, String>> dueNow = new ArrayList<>();
    try (KeyValueIterator<String, String> it = due.range(null, ReminderIds.dueKeyUpperBound(now))) {
      while (it.hasNext() && dueNow.size() < MAX_FIRED_PER_PUNCTUATION) {
        dueNow.add(it.next());
      }
    }
    for (KeyValue<String, String> entry : dueNow) {
      due.delete(entry.key);
      String participantId = entry.value;
      ReminderParticipantState state = participants.get(participantId);
      if (state == null) {
        continue; // erased meanwhile
      }
      engine.onDue(state, ReminderIds.reminderIdOf(entry.key), Instant.ofEpochMilli(now), new StoreEffects(now, true));
      participants.put(participantId, state);
    }
  }

  @Override
  public void close() {
    if (punctuation != null) {
      punctuation.cancel();
    }
  }

  /** The engine's effects on this task's stores and output. */
  private final class StoreEffects implements ReminderEngine.Effects {
    private final long now;
    private final boolean firedByTimer;

    StoreEffects(long now, boolean firedByTimer) {
      this.now = now;
      this.firedByTimer = firedByTimer;
    }

    @Override
    public void schedule(String participantId, TrackedReminder reminder) {
      due.put(ReminderIds.dueKey(reminder.getDueAt().toEpochMilli(), reminder.getReminderId()), participantId);
    }

    @Override
    public void unschedule(TrackedReminder reminder) {
      due.delete(ReminderIds.dueKey(reminder.getDueAt().toEpochMilli(), reminder.getReminderId()));
    }

    @Override
    public void emit(Reminder reminder) {
      if (firedByTimer && reminder.getStatus() == ReminderStatus.DUE) {
        metrics.timerFired(now - reminder.getDueAt().toEpochMilli());
      }
      metrics.emitted(reminder);
      context.forward(new Record<>(reminder.getParticipantId(), reminder, now));
    }

    @Override
    public void droppedStale(TrackedReminder reminder) {
      metrics.staleTimerDropped(ReminderKind.valueOf(reminder.getKind()));
    }
  }
}
