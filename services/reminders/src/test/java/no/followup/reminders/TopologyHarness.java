package no.followup.reminders;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import no.followup.common.Topics;
import no.followup.common.streams.StreamsDefaults;
import no.followup.events.Actor;
import no.followup.events.CancelledBy;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;
import no.followup.events.StaffRole;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.SpecificAvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A TopologyTestDriver around {@link RemindersTopology} with a controlled wall clock: {@link #advance}
 * moves the clock (and fires punctuations) in small steps, as a running application would;
 * {@link #jumpTo} moves it in one step, as an outage does.
 */
final class TopologyHarness implements AutoCloseable {

  static final String OFFICE = "0403";
  static final String COORDINATOR = "s-12";

  final TopologyTestDriver driver;
  final TestInputTopic<String, FollowUpEvent> events;
  final TestOutputTopic<String, Reminder> reminders;
  /** Pointers the dead-letter handlers write (StreamsDefaults installs them). */
  final TestOutputTopic<byte[], byte[]> deadLetters;
  final RemindersMetrics metrics = RemindersMetrics.inMemory();
  private Instant now;

  TopologyHarness(ReminderRules rules, Instant start, Path stateDir) {
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://reminders-test");
    Properties props = StreamsDefaults.builder("reminders-test", "unused:9092")
        .stateDir(stateDir)
        .schemaRegistryUrl("mock://reminders-test")
        .build();
    driver = new TopologyTestDriver(
        RemindersTopology.build(rules, new RemindersTopology.Options(Duration.ofMillis(250), Duration.ofDays(30)), serdeConfig, metrics),
        props, start);
    now = start;
    SpecificAvroSerde<FollowUpEvent> eventSerde = new SpecificAvroSerde<>(FollowUpEvent.class);
    eventSerde.configure(serdeConfig, false);
    SpecificAvroSerde<Reminder> reminderSerde = new SpecificAvroSerde<>(Reminder.class);
    reminderSerde.configure(serdeConfig, false);
    events = driver.createInputTopic(Topics.EVENTS.name(), Serdes.String().serializer(), eventSerde.serializer());
    reminders = driver.createOutputTopic(Topics.REMINDERS.name(), Serdes.String().deserializer(), reminderSerde.deserializer());
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }

  static Instant oslo(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(ReminderRules.OSLO).toInstant();
  }

  Instant now() {
    return now;
  }

  /** Moves the wall clock forward in steps of at most 10 minutes, firing punctuations on the way. */
  void advance(Duration by) {
    advanceTo(now.plus(by));
  }

  void advance(Duration by, Duration step) {
    advanceTo(now.plus(by), step);
  }

  void advanceTo(Instant target) {
    advanceTo(target, Duration.ofMinutes(10));
  }

  void advanceTo(Instant target, Duration step) {
    while (now.isBefore(target)) {
      Instant next = now.plus(step).isAfter(target) ? target : now.plus(step);
      driver.advanceWallClockTime(Duration.between(now, next));
      now = next;
    }
  }

  /**
   * Moves the wall clock to {@code target} in one step, with no punctuation on the way: the
   * application was down meanwhile and its first punctuation after the restart sees {@code target}.
   */
  void jumpTo(Instant target) {
    if (target.isBefore(now)) {
      throw new IllegalArgumentException("the wall clock does not go back: " + target + " is before " + now);
    }
    driver.advanceWallClockTime(Duration.between(now, target));
    now = target;
  }

  List<Reminder> drain() {
    return reminders.readValuesToList();
  }

  KeyValueStore<String, ReminderParticipantState> participantsStore() {
    return driver.getKeyValueStore(RemindersTopology.PARTICIPANTS_STORE);
  }

  KeyValueStore<String, String> dueStore() {
    return driver.getKeyValueStore(RemindersTopology.DUE_STORE);
  }

  List<String> dueKeys() {
    List<String> keys = new java.util.ArrayList<>();
    try (var it = dueStore().all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  long dueEntries() {
    long n = 0;
    try (var it = dueStore().all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  // ---- events ----------------------------------------------------------------------------------

  FollowUpEvent event(String participantId, Object payload) {
    return event(participantId, payload, now);
  }

  FollowUpEvent event(String participantId, Object payload, Instant occurredAt) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId(OFFICE)
        .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId(COORDINATOR).build())
        .setOccurredAt(occurredAt)
        .setRecordedAt(now)
        .setCohortId("optimist")
        .setPayload(payload)
        .build();
  }

  FollowUpEvent send(FollowUpEvent event) {
    events.pipeInput(event.getParticipantId(), event, now);
    return event;
  }

  FollowUpEvent send(String participantId, Object payload) {
    return send(event(participantId, payload));
  }

  FollowUpEvent send(String participantId, Object payload, Instant occurredAt) {
    return send(event(participantId, payload, occurredAt));
  }

  FollowUpEvent enrol(String participantId) {
    return send(participantId, ParticipantEnrolled.newBuilder()
        .setTargetGroups(List.of(TargetGroup.YOUTH_UNDER_30)).setCoordinatorId(COORDINATOR).setCounsellorId(null).build());
  }

  FollowUpEvent schedule(String participantId, String meetingId, Instant startsAt) {
    return send(participantId, MeetingScheduled.newBuilder().setMeetingId(meetingId).setStartsAt(startsAt)
        .setKind(MeetingKind.OFFICE).build());
  }

  FollowUpEvent reschedule(String participantId, String meetingId, Instant startsAt) {
    return send(participantId, MeetingRescheduled.newBuilder().setMeetingId(meetingId).setStartsAt(startsAt).setKind(null).build());
  }

  FollowUpEvent cancel(String participantId, String meetingId) {
    return send(participantId, MeetingCancelled.newBuilder().setMeetingId(meetingId).setCancelledBy(CancelledBy.PARTICIPANT).build());
  }

  FollowUpEvent attended(String participantId, String meetingId) {
    return send(participantId, MeetingAttended.newBuilder().setMeetingId(meetingId).build());
  }

  FollowUpEvent missed(String participantId, String meetingId) {
    return send(participantId, MeetingMissed.newBuilder().setMeetingId(meetingId).build());
  }

  FollowUpEvent contact(String participantId) {
    return send(participantId, ContactMade.newBuilder().setChannel(ContactChannel.PHONE).setReached(true).build());
  }

  FollowUpEvent homeVisit(String participantId) {
    return send(participantId, HomeVisitCompleted.newBuilder().setMeetingId(null).build());
  }

  FollowUpEvent exit(String participantId) {
    return send(participantId, ParticipantExited.newBuilder().setReason(ExitReason.ORDINARY_WORK).build());
  }

  FollowUpEvent erase(String participantId) {
    return send(participantId, ParticipantErased.newBuilder().build());
  }

  @Override
  public void close() {
    driver.close();
  }
}
