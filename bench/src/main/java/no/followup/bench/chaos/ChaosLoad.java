package no.followup.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.common.auth.LocalToken;

/**
 * A coordinators' tool under bad conditions: it records each participant's path through the intake
 * and resends an event (same eventId) until the intake acknowledges it with 202, as a client must
 * when a request fails or times out; some events it sends twice on purpose. What was acknowledged is
 * what the verifier expects the pipeline to count, once.
 */
final class ChaosLoad {

  /** The situations a participant of the load ends in, by index. */
  enum Outcome { JOB, MEASURE, MOVED }

  static final String OFFICE = "0301";
  /** The probe's office: kept apart so that the probe never counts in the load's figures. */
  static final String PROBE_OFFICE = "0302";
  static final String COORDINATOR = "s-chaos";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String intakeUrl;
  private final LocalToken token;
  private final String runId;
  private final Clock clock;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong resends = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicInteger participantsDone = new AtomicInteger();

  ChaosLoad(String intakeUrl, LocalToken token, String runId, Clock clock) {
    this.intakeUrl = intakeUrl;
    this.token = token;
    this.runId = runId;
    this.clock = clock;
  }

  static Outcome outcomeOf(int index) {
    return Outcome.values()[index % Outcome.values().length];
  }

  String participantId(int index) {
    return participantPrefix() + index;
  }

  /** What every participant id of the load starts with (and no other id). */
  String participantPrefix() {
    return "c-" + runId + "-";
  }

  List<String> participantIds(int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(participantId(i));
    }
    return ids;
  }

  /**
   * Records participants {@code from} (inclusive) to {@code to} (exclusive): enrolment, a meeting in
   * two hours, an outcome; {@code pace} apart, so that the load runs while services are killed.
   */
  void run(int from, int to, Duration pace, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    for (int index = from; index < to; index++) {
      String participant = participantId(index);
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      ObjectNode enrolment = event(participant, now.minus(Duration.ofDays(1)), "ParticipantEnrolled");
      enrolment.putObject("payload").put("coordinatorId", COORDINATOR).putArray("targetGroups").add("YOUTH_UNDER_30");
      ObjectNode meeting = event(participant, now.minus(Duration.ofHours(1)), "MeetingScheduled");
      meeting.putObject("payload").put("meetingId", "m-" + index).put("startsAt", now.plus(Duration.ofHours(2)).toString())
          .put("kind", "OFFICE");
      ObjectNode outcome = event(participant, now.minus(Duration.ofMinutes(30)), switch (outcomeOf(index)) {
        case JOB -> "JobStarted";
        case MEASURE -> "MeasureStarted";
        case MOVED -> "ParticipantMoved";
      });
      ObjectNode payload = outcome.putObject("payload");
      switch (outcomeOf(index)) {
        case JOB -> payload.put("kind", "ORDINARY");
        case MEASURE -> payload.put("measure", "AFT");
        case MOVED -> { }
      }
      for (ObjectNode event : List.of(enrolment, meeting, outcome)) {
        sendUntilAcknowledged(event, end);
      }
      if (index % 10 == 0) {
        // a client that did not see the answer sends again: the pipeline must count it once
        sendUntilAcknowledged(meeting, end);
        resends.incrementAndGet();
      }
      participantsDone.incrementAndGet();
      if (!pace.isZero()) {
        ServiceProcess.pause(pace);
      }
    }
  }

  /**
   * One ordinary participant outside the load ({@code probe-<run>}, office {@link #PROBE_OFFICE}):
   * enrolment and a meeting in two hours, which must give a status and a reminder.
   */
  String sendProbe() {
    String participant = "probe-" + runId;
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ObjectNode enrolment = event(participant, PROBE_OFFICE, now.minus(Duration.ofMinutes(5)), "ParticipantEnrolled");
    enrolment.putObject("payload").put("coordinatorId", COORDINATOR).putArray("targetGroups").add("YOUTH_UNDER_30");
    ObjectNode meeting = event(participant, PROBE_OFFICE, now.minus(Duration.ofMinutes(1)), "MeetingScheduled");
    meeting.putObject("payload").put("meetingId", "m-probe").put("startsAt", now.plus(Duration.ofHours(2)).toString())
        .put("kind", "OFFICE");
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    sendUntilAcknowledged(enrolment, end);
    sendUntilAcknowledged(meeting, end);
    return participant;
  }

  /** Enrols {@code participant} in {@link #PROBE_OFFICE}, nothing more: one participant more in that office's figures. */
  void enrolInProbeOffice(String participant) {
    ObjectNode enrolment = event(participant, PROBE_OFFICE, clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1)),
        "ParticipantEnrolled");
    enrolment.putObject("payload").put("coordinatorId", COORDINATOR).putArray("targetGroups").add("YOUTH_UNDER_30");
    sendUntilAcknowledged(enrolment, System.nanoTime() + Duration.ofMinutes(1).toNanos());
  }

  private ObjectNode event(String participant, Instant occurredAt, String type) {
    return event(participant, OFFICE, occurredAt, type);
  }

  private ObjectNode event(String participant, String office, Instant occurredAt, String type) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventId", UUID.randomUUID().toString());
    event.put("participantId", participant);
    event.put("officeId", office);
    event.putObject("actor").put("role", "ACTIVITY_COORDINATOR").put("staffId", COORDINATOR);
    event.put("occurredAt", occurredAt.toString());
    event.put("cohortId", "chaos-" + runId);
    event.put("type", type);
    return event;
  }

  private void sendUntilAcknowledged(ObjectNode event, long endNanos) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(intakeUrl + "/api/v1/events"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token.value())
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(event.toString()))
        .build();
    while (System.nanoTime() < endNanos) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          acknowledged.incrementAndGet();
          return;
        }
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
          refused.incrementAndGet();
          throw new IllegalStateException("the intake refused a valid event (" + response.statusCode() + "): " + response.body());
        }
      } catch (IOException unreachable) {
        // the intake's broker (or the intake) is away: the client tries again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      ServiceProcess.pause(Duration.ofMillis(250));
    }
    throw new IllegalStateException("an event was not acknowledged before the load's deadline");
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long resends() {
    return resends.get();
  }

  int participantsDone() {
    return participantsDone.get();
  }
}
