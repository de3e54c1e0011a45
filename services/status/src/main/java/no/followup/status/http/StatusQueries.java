package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.events.FollowUpEvent;
import no.followup.figures.TimeInProject;
import no.followup.status.CohortDefinition;
import no.followup.status.MeetingState;
import no.followup.status.MeetingSummary;
import no.followup.status.ParticipantStatus;
import no.followup.status.Phase;
import no.followup.status.SpecialistAssignment;
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
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the status application's stores. Single-key lookups ask Streams which
 * instance hosts the key and report another host instead of answering from the wrong one; scans
 * (an office's participants, participants as of a date) read the stores of this instance, and the
 * HTTP layer gathers every instance's part ({@link FanOut}). While Streams is not RUNNING (starting,
 * rebalancing) every query throws {@link Unavailable}.
 */
public final class StatusQueries {

  /** The stores cannot be read right now (starting, rebalancing, shutting down). */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /** The key lives on another instance. */
  public static final class ElsewhereException extends RuntimeException {
    public final HostInfo host;

    public ElsewhereException(HostInfo host) {
      super("hosted by " + host.host() + ":" + host.port());
      this.host = host;
    }
  }

  private final KafkaStreams streams;
  /**
   * The review list's order: those needing attention first (most consecutive misses, then longest
   * without contact), then by id.
   */
  public static final Comparator<JsonNode> REVIEW_ORDER = Comparator
      .comparingInt((JsonNode row) -> -row.path("consecutiveMisses").asInt())
      .thenComparing(row -> row.path("lastContactAt").isTextual()
          ? Instant.parse(row.path("lastContactAt").asText()) : Instant.EPOCH)
      .thenComparing(row -> row.path("participantId").asText());
  /** The participant list's order: by participantId. */
  public static final Comparator<JsonNode> PARTICIPANT_ORDER = Comparator.comparing(row -> row.path("participantId").asText());

  private final HostInfo self;
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
    this.streams = streams;
    this.self = self;
    this.events = events;
    this.statuses = statuses;
    this.zone = zone;
    this.clock = clock;
  }

  public ZoneId zone() {
    return zone;
  }

  public boolean ready() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public Optional<ParticipantStatus> participant(String participantId) {
    checkHost(StatusTopology.FOLD_STORE, participantId);
    FoldHead head = this.<FoldHead, FoldHead>read(StatusTopology.FOLD_STORE, s -> s.get(participantId));
    return Optional.ofNullable(head == null ? null : decodeStatus(head.status()));
  }

  /** The tally of {@code key}, its 30-day figures computed for now. */
  public Optional<Tally> tally(String key) {
    checkHost(StatusTopology.TALLY_STORE, key);
    return this.<TallyCounters, Optional<Tally>>read(StatusTopology.TALLY_STORE, s -> {
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
    checkHost(StatusTopology.FOLD_STORE, participantId); // the rows live with the participant's status
    return this.<byte[], List<byte[]>>readRows(StatusTopology.EVENTS_STORE,
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
    this.<byte[], Void>readRows(StatusTopology.EVENTS_STORE, rows -> {
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
    checkHost(StatusTopology.TALLY_STORE, key);
    return Optional.ofNullable(this.<TallyCounters, TallyCounters>read(StatusTopology.TALLY_STORE, s -> s.get(key)));
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
    TallyCounters cohort = this.<TallyCounters, TallyCounters>read(StatusTopology.TALLY_STORE,
        s -> s.get(TallyContributions.COHORT + cohortId));
    return cohort == null ? null : CohortDefinitions.shown(cohort.getCohort());
  }

  /** Tally keys starting with {@code prefix} (empty: all). */
  public List<String> tallyKeys(String prefix) {
    return this.<TallyCounters, List<String>>read(StatusTopology.TALLY_STORE, s -> {
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
   * {@link #REVIEW_ORDER}.
   */
  public List<Map<String, Object>> reviewList(String officeId) {
    Instant now = clock.instant();
    List<ParticipantStatus> active = participantsOfOffice(officeId).stream()
        .filter(p -> p.getEnrolled() && p.getPhase() != Phase.EXITED)
        .toList();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ParticipantStatus p : active) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("participantId", p.getParticipantId());
      row.put("situation", p.getSituation().name());
      row.put("phase", p.getPhase().name());
      row.put("servicesReceived", p.getServicesReceived().name());
      row.put("coordinatorId", p.getCoordinatorId());
      row.put("openSpecialists", p.getSpecialists().stream().filter(a -> a.getEndedAt() == null)
          .map(a -> Map.of("service", a.getService(), "specialistId", a.getSpecialistId())).toList());
      row.put("enrolledAt", text(p.getEnrolledAt()));
      row.put("daysInProject", daysInProject(p, now));
      row.put("lastContactAt", text(p.getLastContactAt()));
      row.put("daysSinceLastContact", p.getLastContactAt() == null ? null
          : Duration.between(p.getLastContactAt(), now).toDays());
      row.put("meetingsAttended", p.getMeetingsAttended());
      row.put("meetingsMissed", p.getMeetingsMissed());
      row.put("consecutiveMisses", p.getConsecutiveMisses());
      row.put("attendanceRate", p.getAttendanceRate());
      row.put("homeVisits", p.getHomeVisits());
      row.put("nextMeetingAt", nextMeeting(p, now));
      rows.add(row);
    }
    return rows;
  }

  /** A participant as JSON-ready map, with time in project and days since contact as of now. */
  public Map<String, Object> participantView(ParticipantStatus p) {
    return participantView(p, clock.instant());
  }

  /** A participant as JSON-ready map, with time in project and days since contact as of {@code now}. */
  public Map<String, Object> participantView(ParticipantStatus p, Instant now) {
    Map<String, Object> view = AvroJson.toMap(p);
    view.put("daysInProject", daysInProject(p, now));
    view.put("daysSinceLastContact", p.getLastContactAt() == null ? null
        : Duration.between(p.getLastContactAt(), now).toDays());
    view.put("openSpecialists", p.getSpecialists().stream().filter(a -> a.getEndedAt() == null)
        .map(SpecialistAssignment::getSpecialistId).distinct().toList());
    return view;
  }

  /**
   * Where the active copies of {@code store} are: each instance and the partitions it serves.
   * Unavailable while Streams is not RUNNING here, or some partition has no active instance.
   */
  public Map<HostInfo, Set<Integer>> activeHostsOf(String store) {
    Map<HostInfo, Set<Integer>> hosts = new LinkedHashMap<>();
    for (StreamsMetadata instance : metadata(() -> streams.streamsMetadataForStore(store))) {
      Set<Integer> partitions = new TreeSet<>();
      // an instance's metadata lists the partitions of all its tasks: keep those of the store's own tasks
      instance.topicPartitions().stream().filter(partition -> feeds(store, partition.topic()))
          .forEach(partition -> partitions.add(partition.partition()));
      if (!partitions.isEmpty()) {
        hosts.put(instance.hostInfo(), partitions);
      }
    }
    if (hosts.isEmpty()) {
      throw new Unavailable("no instance serves " + store + " yet");
    }
    return hosts;
  }

  /** Whether {@code topic} is what the tasks holding {@code store} read: the tallies' repartition topic, else the events. */
  private static boolean feeds(String store, String topic) {
    return StatusTopology.TALLY_STORE.equals(store)
        ? topic.endsWith("-" + StatusTopology.DELTAS_REPARTITION + "-repartition")
        : topic.equals(Topics.EVENTS.name());
  }

  /** The partitions of {@code store} this instance serves (active), as {@link #activeHostsOf} reports them. */
  public Set<Integer> localPartitionsOf(String store) {
    return activeHostsOf(store).getOrDefault(self, Set.of());
  }

  /**
   * Unavailable unless every one of {@code partitions} of {@code store} can be read here now. A
   * partition this instance has just taken over (from a standby, or from nothing) is assigned,
   * and listed in the metadata, while its store is still being restored; the store of a scan
   * leaves such a partition out without a word, so a list read then would be partial.
   */
  public void requireReadable(String store, Set<Integer> partitions) {
    requireRunning();
    for (int partition : partitions) {
      try {
        streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())
            .withPartition(partition)).approximateNumEntries();
      } catch (InvalidStateStoreException e) {
        throw new Unavailable("partition " + partition + " of " + store + " is not readable yet (restoring); try again");
      }
    }
  }

  /** This instance's address, as the others know it ({@code application.server}). */
  public HostInfo self() {
    return self;
  }

  private Long daysInProject(ParticipantStatus p, Instant now) {
    return TimeInProject.days(p.getEnrolledAt(), p.getExitedAt(), now, zone);
  }

  private static String nextMeeting(ParticipantStatus p, Instant now) {
    return p.getMeetings().stream()
        .filter(m -> m.getState() == MeetingState.SCHEDULED && m.getStartsAt() != null && m.getStartsAt().isAfter(now))
        .map(MeetingSummary::getStartsAt)
        .min(Comparator.naturalOrder())
        .map(Instant::toString)
        .orElse(null);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** Every status this instance keeps, decoded. */
  private void forEachStatus(java.util.function.Consumer<ParticipantStatus> each) {
    this.<FoldHead, Void>read(StatusTopology.FOLD_STORE, s -> {
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

  private void requireRunning() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      throw new Unavailable("streams is " + state);
    }
  }

  /**
   * Asks Streams for metadata while RUNNING. Streams throws for metadata when it is not running
   * (yet, or any more, which can happen between the check and the call): that is "try again", not
   * a failure.
   */
  private <T> T metadata(java.util.function.Supplier<T> query) {
    requireRunning();
    try {
      return query.get();
    } catch (IllegalStateException | InvalidStateStoreException e) {
      throw new Unavailable("streams metadata not available: " + e.getClass().getSimpleName());
    }
  }

  private void checkHost(String store, String key) {
    KeyQueryMetadata metadata = metadata(() -> store.equals(StatusTopology.TALLY_STORE)
        ? streams.queryMetadataForKey(store, key, StatusTopology.TALLY_PARTITIONER)
        : streams.queryMetadataForKey(store, key, new StringSerializer()));
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      throw new Unavailable("no instance hosts " + store + " yet");
    }
    HostInfo active = metadata.activeHost();
    if (self != null && active != null && !HostInfo.unavailable().equals(active) && !active.equals(self)) {
      throw new ElsewhereException(active);
    }
  }

  private <V, R> R readRows(String storeName, java.util.function.Function<ReadOnlyKeyValueStore<Bytes, V>, R> query) {
    requireRunning();
    try {
      ReadOnlyKeyValueStore<Bytes, V> store = streams.store(
          StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<Bytes, V>keyValueStore()));
      return query.apply(store);
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("store " + storeName + " not queryable: " + e.getClass().getSimpleName());
    }
  }

  private <V, R> R read(String storeName, java.util.function.Function<ReadOnlyKeyValueStore<String, V>, R> query) {
    requireRunning();
    try {
      ReadOnlyKeyValueStore<String, V> store = streams.store(
          StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore()));
      return query.apply(store);
    } catch (InvalidStateStoreException e) {
      throw new Unavailable("store " + storeName + " not queryable: " + e.getClass().getSimpleName());
    }
  }
}
