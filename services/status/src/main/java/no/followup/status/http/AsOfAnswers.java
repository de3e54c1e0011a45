package no.followup.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import no.followup.status.CohortDefinition;
import no.followup.status.ParticipantStatus;
import no.followup.status.Tally;
import no.followup.status.TallyCounters;
import no.followup.status.rules.AsOf;
import no.followup.status.rules.CohortDefinitions;
import no.followup.status.rules.CohortReports;
import no.followup.status.rules.SpecialistCapacities;
import no.followup.status.rules.TallyContributions;
import no.followup.status.rules.TallyViews;
import no.followup.status.topology.StatusTopology;

/**
 * Answers as of a reporting date ({@code ?asOf=}): an office's participants, a tally, and a cohort's
 * report, each from the participants folded again as of the date ({@link AsOf}). Participants are spread
 * over every instance by participantId, so each instance folds its own partitions' participants
 * ({@code scope=local}) and the one asked gathers the parts ({@link FanOut}): the answer is 200 only when
 * every partition was read once, else 503 with Retry-After. A tally's or report's definition (cohort goal,
 * specialist capacity) is read where its key lives, so such a request is first passed on there.
 */
final class AsOfAnswers {

  static final String RECORDED_AFTER = "recordedAfterTheDate";
  static final String NOTE = "events that occurred by the date were recorded after it: these figures differ from what"
      + " was known on the date";
  private static final String PARTS = "parts";

  private final FanOut fanOut;

  AsOfAnswers(FanOut fanOut) {
    this.fanOut = fanOut;
  }

  /** The office's participants as they stood at the end of {@code asOf}, each with its late-recorded events. */
  void participants(Context ctx, StatusQueries q, String office, LocalDate asOf) {
    Instant at = AsOf.lastInstantOf(asOf, q.zone());
    Supplier<List<?>> scan = () -> q.foldedAsOf(asOf, null).stream()
        .filter(folded -> office.equals(folded.status().getOfficeId()))
        .map(folded -> {
          Map<String, Object> view = q.participantView(folded.status(), at);
          view.put(RECORDED_AFTER, folded.recordedAfterTheDate());
          return view;
        }).toList();
    if (PeerRequests.localScope(ctx)) {
      ctx.json(fanOut.localPart(q.stores(), StatusTopology.FOLD_STORE, "participants", scan));
      return;
    }
    List<JsonNode> rows = fanOut.gather(ctx, q.stores(), StatusTopology.FOLD_STORE, "participants", scan);
    rows.sort(ParticipantJson.PARTICIPANT_ORDER);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("officeId", office);
    body.put("asOf", asOf.toString());
    body.put("complete", true);
    noted(body, rows.stream().mapToLong(row -> row.path(RECORDED_AFTER).asLong()).sum());
    body.put("participants", rows);
    ctx.json(body);
  }

  /** The tally of {@code key} as of the end of {@code asOf}; 404 when the key has no tally now. */
  void tally(Context ctx, StatusQueries q, String key, LocalDate asOf) {
    Supplier<List<?>> scan = () -> {
      List<AsOf.Folded> counted = q.foldedAsOf(asOf, null).stream()
          .filter(folded -> AsOf.countsIn(key, folded.status(), q.zone())).toList();
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("counters", AsOf.counters(key, counted.stream().map(AsOf.Folded::status).toList(), asOf, q.zone()));
      part.put(RECORDED_AFTER, counted.stream().mapToLong(AsOf.Folded::recordedAfterTheDate).sum());
      return List.of(part);
    };
    if (PeerRequests.localScope(ctx)) {
      ctx.json(fanOut.localPart(q.stores(), StatusTopology.FOLD_STORE, PARTS, scan));
      return;
    }
    Optional<TallyCounters> state = q.tallyState(key);
    if (state.isEmpty()) {
      ctx.status(404).json(Map.of("error", "no tally with this key"));
      return;
    }
    Map<String, Long> counters = new TreeMap<>();
    long late = 0;
    for (JsonNode part : fanOut.gather(ctx, q.stores(), StatusTopology.FOLD_STORE, PARTS, scan)) {
      part.path("counters").fields().forEachRemaining(c -> counters.merge(c.getKey(), c.getValue().asLong(), Long::sum));
      late += part.path(RECORDED_AFTER).asLong();
    }
    counters.values().removeIf(value -> value == 0);
    Tally tally = TallyViews.build(key, counters, q.cohortOf(key, state.get()),
        SpecialistCapacities.share(state.get().getCapacity()), AsOf.lastInstantOf(asOf, q.zone()), q.zone());
    Map<String, Object> body = new LinkedHashMap<>(AvroJson.toMap(tally));
    body.put("complete", true);
    noted(body, late);
    ctx.json(body);
  }

  /** The cohort's report as of the end of {@code asOf}, with the period's figures from {@code from} when given. */
  void cohortReport(Context ctx, StatusQueries q, String cohortId, LocalDate from, LocalDate asOf) {
    Supplier<List<?>> scan = () -> q.foldedAsOf(asOf, status -> cohortId.equals(status.getCohortId())).stream()
        .map(folded -> Map.of("status", encode(folded.status()), RECORDED_AFTER, folded.recordedAfterTheDate()))
        .toList();
    if (PeerRequests.localScope(ctx)) {
      ctx.json(fanOut.localPart(q.stores(), StatusTopology.FOLD_STORE, "participants", scan));
      return;
    }
    Optional<TallyCounters> state = q.tallyState(TallyContributions.COHORT + cohortId);
    CohortDefinition cohort = state.map(s -> CohortDefinitions.shown(s.getCohort())).orElse(null);
    if (cohort == null) {
      ctx.status(404).json(Map.of("error", "no cohort defined with this id"));
      return;
    }
    List<AsOf.Folded> folded = new ArrayList<>();
    for (JsonNode row : fanOut.gather(ctx, q.stores(), StatusTopology.FOLD_STORE, "participants", scan)) {
      folded.add(new AsOf.Folded(decode(row.path("status").asText()), row.path(RECORDED_AFTER).asLong()));
    }
    CohortReports.Answer answer = CohortReports.answer(cohort, folded, from, asOf, q.zone());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("complete", true);
    noted(body, answer.recordedAfterTheDate());
    body.put("report", answer.report());
    if (answer.period() != null) {
      body.put("period", answer.period());
    }
    ctx.json(body);
  }

  private static void noted(Map<String, Object> body, long recordedAfter) {
    body.put(RECORDED_AFTER, recordedAfter);
    if (recordedAfter > 0) {
      body.put("note", NOTE);
    }
  }

  /** A status between instances: its Avro binary (single-object encoding), in base64. */
  private static String encode(ParticipantStatus status) {
    try {
      ByteBuffer bytes = status.toByteBuffer();
      byte[] array = new byte[bytes.remaining()];
      bytes.get(array);
      return Base64.getEncoder().encodeToString(array);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a status that does not encode", e);
    }
  }

  private static ParticipantStatus decode(String base64) {
    try {
      return ParticipantStatus.fromByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)));
    } catch (java.io.IOException | RuntimeException e) {
      throw new StoreAccess.Unavailable("another instance sent a status this one cannot read (a version between two): "
          + e.getClass().getSimpleName());
    }
  }
}
