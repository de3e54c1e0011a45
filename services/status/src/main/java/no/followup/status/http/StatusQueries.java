package no.followup.status.http;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.events.FollowUpEvent;
import no.followup.status.CohortDefinition;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.AsOf;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.SpecialistCapacities;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;
import no.followup.status.topology.EventRows;
import no.followup.status.topology.StatusTopology;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Interactive queries over the status application's stores. Single-key lookups ask Streams which
 * instance hosts the key and report another host instead of answering from the wrong one; scans
 * (an office's participants, participants as of a date) read the stores of this instance, and the
 * HTTP layer gathers every instance's part ({@link FanOut}). While Streams is not RUNNING (starting,
 * rebalancing) every query throws {@link StoreAccess.Unavailable}.
 */
public final class StatusQueries {

  private final StoreAccess stores;
  private final ParticipantJson json;
  private final ZoneId zone;
  private final Deserializer<FollowUpEvent> events;
  private final Deserializer<ParticipantStatus> statuses;
  private final Clock clock;

  /**
   * @param events reads the kept event rows (the events topic's deserializer, unsealing when it can)
   * @param statuses reads the kept statuses (the status topic's deserializer: they are kept in its encoding)
   */
  public StatusQueries(KafkaStreams streams, HostInfo self, ZoneId zone, Clock clock, Deserializer<FollowUpEvent> events,
      Deserializer<ParticipantStatus> statuses) {
    this.stores = new StoreAccess(streams, self);
    this.json = new ParticipantJson(zone);
    this.events = events;
    this.statuses = statuses;
    this.zone = zone;
    this.clock = clock;
  }

  public ZoneId zone() {
    return zone;
  }

  /** Where the stores are, and whether they can be read now. */
  StoreAccess stores() {
    return stores;
  }

  public Optional<ParticipantStatus> participant(String participantId) {
    stores.checkHost(StatusTopology.FOLD_STORE, participantId);
    FoldHead head = stores.<FoldHead, FoldHead>read(StatusTopology.FOLD_STORE, s -> s.get(participantId));
    return Optional.ofNullable(head == null ? null : decodeStatus(head.status()));
  }

  /** The tally of {@code key}, its 30-day figures computed for now. */
  public Optional<Tally> tally(String key) {
    stores.checkHost(StatusTopology.TALLY_STORE, key);
    return stores.<TallyCounters, Optional<Tally>>read(StatusTopology.TALLY_STORE, s -> {
      TallyCounters counters = s.get(key);
      if (counters == null) {
        return Optional.empty();
      }
      return Optional.of(TallyViews.build(key, counters.getCounters(), cohortOf(key, counters),
          SpecialistCapacities.share(counters.getCapacity()), clock.instant(), zone));
    });
  }

  /**
   * The participant's kept events in registry wire format, newest first in fold order (occurredAt,
   * then recordedAt, then eventId), at most {@code limit}.
   */
  public List<byte[]> eventRows(String participantId, int limit) {
    stores.checkHost(StatusTopology.FOLD_STORE, participantId); // the rows live with the participant's status
    return stores.<byte[], List<byte[]>>readRows(StatusTopology.EVENTS_STORE,
        rows -> EventRows.newestFirst(rows, participantId, limit));
  }

  /**
   * This instance's participants as of the end of {@code asOf} ({@link AsOf}): each folded again from their
   * kept events that occurred by then (left out when none did), with how many of those were recorded after
   * it. {@code candidate} picks by the current status (null: every participant of this instance). The work
   * is every candidate's kept events, bounded by the date's range ({@link AsOf#checked}) and the rows kept
   * per participant.
   */
  public List<AsOf.Folded> foldedAsOf(LocalDate asOf, Predicate<ParticipantStatus> candidate) {
    Instant end = AsOf.endOf(asOf, zone);
    List<String> ids = new ArrayList<>();
    forEachStatus(status -> {
      if (candidate == null || candidate.test(status)) {
        ids.add(status.getParticipantId());
      }
    });
    List<AsOf.Folded> out = new ArrayList<>();
    stores.<byte[], Void>readRows(StatusTopology.EVENTS_STORE, rows -> {
      for (String id : ids) {
        AsOf.Folded folded = AsOf.fold(id, EventRows.of(rows, id, events), end);
        if (folded != null) {
          out.add(folded);
        }
      }
      return null;
    });
    return out;
  }

  /** The kept state of tally {@code key} (counters, a cohort's definition, a specialist's capacity), read where it lives. */
  public Optional<TallyCounters> tallyState(String key) {
    stores.checkHost(StatusTopology.TALLY_STORE, key);
    return Optional.ofNullable(stores.<TallyCounters, TallyCounters>read(StatusTopology.TALLY_STORE, s -> s.get(key)));
  }

  /**
   * The cohort definition the tally of {@code key} shows: its own, or its cohort's (a cohort's keys share its
   * partition, CohortPartitioner, so the definition is in this store).
   */
  public CohortDefinition cohortOf(String key, TallyCounters state) {
    if (state.getCohort() != null) {
      return CohortDefinitions.shown(state.getCohort());
    }
    String cohortId = TallyContributions.cohortOf(key);
    if (cohortId == null) {
      return null;
    }
    TallyCounters cohort = stores.<TallyCounters, TallyCounters>read(StatusTopology.TALLY_STORE,
        s -> s.get(TallyContributions.COHORT + cohortId));
    return cohort == null ? null : CohortDefinitions.shown(cohort.getCohort());
  }

  /** Tally keys starting with {@code prefix} (empty: all). */
  public List<String> tallyKeys(String prefix) {
    return stores.<TallyCounters, List<String>>read(StatusTopology.TALLY_STORE, s -> {
      List<String> keys = new ArrayList<>();
      try (KeyValueIterator<String, TallyCounters> it = s.prefixScan(prefix, new StringSerializer())) {
        it.forEachRemaining(kv -> keys.add(kv.key));
      }
      return keys;
    });
  }

  /** Statuses of an office's participants (all phases), by participantId. */
  public List<ParticipantStatus> participantsOfOffice(String officeId) {
    List<ParticipantStatus> out = new ArrayList<>();
    forEachStatus(status -> {
      if (officeId.equals(status.getOfficeId())) {
        out.add(status);
      }
    });
    out.sort(Comparator.comparing(ParticipantStatus::getParticipantId));
    return out;
  }

  /**
   * The team lead's monthly review rows of this instance's part of the office: every active
   * participant (enrolled, not exited). The whole list, from every instance, is sorted by
   * {@link ParticipantJson#REVIEW_ORDER}.
   */
  public List<Map<String, Object>> reviewList(String officeId) {
    Instant now = clock.instant();
    return participantsOfOffice(officeId).stream()
        .filter(p -> p.getEnrolled() && p.getPhase() != Phase.EXITED)
        .map(p -> json.reviewRow(p, now))
        .toList();
  }

  /** A participant as JSON-ready map, with time in project and days since contact as of now. */
  public Map<String, Object> participantView(ParticipantStatus p) {
    return json.participant(p, clock.instant());
  }

  /** A participant as JSON-ready map, with time in project and days since contact as of {@code now}. */
  public Map<String, Object> participantView(ParticipantStatus p, Instant now) {
    return json.participant(p, now);
  }
  /** Every status this instance keeps, decoded. */
  private void forEachStatus(Consumer<ParticipantStatus> each) {
    stores.<FoldHead, Void>read(StatusTopology.FOLD_STORE, s -> {
      try (KeyValueIterator<String, FoldHead> it = s.all()) {
        it.forEachRemaining(kv -> {
          if (kv.value != null && kv.value.status() != null) {
            each.accept(decodeStatus(kv.value.status()));
          }
        });
      }
      return null;
    });
  }

  /** A kept status: in the status topic's encoding, next to the participant's fold ({@link FoldHead}). */
  private ParticipantStatus decodeStatus(byte[] encoded) {
    return encoded == null ? null : statuses.deserialize(Topics.PARTICIPANT_STATUS.name(), encoded);
  }
}
