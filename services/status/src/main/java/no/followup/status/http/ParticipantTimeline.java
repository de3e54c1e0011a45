package no.followup.status.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.figures.CoopWonca;
import no.followup.status.rules.StatusRules;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One participant's events as the dashboard's participant page shows them: newest first, read from
 * the rows the status fold keeps (one per distinct event, so duplicates are gone and late events are
 * in their place), in the intake's JSON shape ({@code type} and {@code payload}). A COOP/WONCA
 * measurement carries its 7-item average as the status rules define it. Bounded: at most {@link
 * #MAX_LIMIT} events per answer.
 */
public final class ParticipantTimeline {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;

  private final StatusQueries queries;
  private final Deserializer<FollowUpEvent> events;

  public ParticipantTimeline(StatusQueries queries, Deserializer<FollowUpEvent> events) {
    this.queries = queries;
    this.events = events;
  }

  /** The answer of {@code GET /api/v1/participants/{id}/events?limit=n}. */
  public Map<String, Object> read(String participantId, int limit) {
    int bounded = Math.max(1, Math.min(MAX_LIMIT, limit));
    // one more than asked, to say whether there are more
    List<byte[]> rows = queries.eventRows(participantId, bounded + 1);
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < Math.min(bounded, rows.size()); i++) {
      list.add(json(events.deserialize(Topics.EVENTS.name(), rows.get(i))));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("participantId", participantId);
    body.put("events", list);
    body.put("more", rows.size() > bounded);
    return body;
  }

  /** One event as the timeline lists it. */
  public static Map<String, Object> json(FollowUpEvent event) {
    Map<String, Object> out = AvroJson.toMap(event);
    out.remove("payload");
    Object payload = event.getPayload();
    out.put("type", ((SpecificRecord) payload).getSchema().getName());
    Map<String, Object> fields = AvroJson.toMap((SpecificRecord) payload);
    if (payload instanceof FunctionScoreRecorded score) {
      fields.put("average", CoopWonca.average(StatusRules.itemSum(score)));
    }
    out.put("payload", fields);
    return out;
  }
}
