package no.followup.reminders;

import static no.followup.reminders.TopologyHarness.oslo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import no.followup.common.Topics;
import no.followup.common.rules.IdShapes;
import no.followup.common.streams.DeadLetters;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.registry.serde.AvroLimits;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events topic may be written by anything with access: an event whose kept ids are out of
 * bounds, or that would grow a participant's state past its caps, is dead-lettered before it
 * changes anything, and the partition goes on for everyone else.
 */
class RemindersBoundsTest {

  static final Instant T0 = oslo("2025-03-03T10:00");
  /** As long as the events' deserializer lets a string be (AvroLimits): it reaches the processor. */
  static final String HOSTILE = "m-" + "x".repeat(AvroLimits.MAX_STRING_BYTES - 2);

  @TempDir Path stateDir;
  TopologyHarness h;

  @BeforeEach
  void start() {
    h = new TopologyHarness(ReminderRules.defaults(), T0, stateDir);
  }

  @AfterEach
  void close() {
    h.close();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void assertOneDeadLetter(long offset, String field) {
    List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
    assertThat(dead).hasSize(1);
    TestRecord<byte[], byte[]> pointer = dead.get(0);
    assertThat(header(pointer, DeadLetters.HEADER_ERROR_CLASS)).isEqualTo(InvalidEventException.class.getName());
    assertThat(header(pointer, DeadLetters.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.EVENTS.name());
    assertThat(header(pointer, DeadLetters.HEADER_SOURCE_OFFSET)).isEqualTo(String.valueOf(offset));
    assertThat(header(pointer, DeadLetters.HEADER_ERROR_MESSAGE)).contains(field).doesNotContain("xxxx");
    assertThat(new String(pointer.value(), StandardCharsets.UTF_8)).doesNotContain("xxxx");
  }

  @Test
  void anOversizedMeetingIdIsDeadLetteredAndTheNextParticipantStillGetsItsReminder() {
    h.enrol("p-001");
    h.schedule("p-001", HOSTILE, oslo("2025-03-06T10:00"));
    h.enrol("p-002");
    Instant meeting = oslo("2025-03-06T12:00");
    h.schedule("p-002", "m1", meeting);

    assertOneDeadLetter(1, "payload.meetingId");
    ReminderParticipantState kept = h.participantsStore().get("p-001");
    assertThat(kept.getMeetings()).as("nothing of the rejected event is kept").isEmpty();

    h.advanceTo(meeting.minus(Duration.ofHours(23)));
    List<Reminder> out = RemindersTopologyTest.of(h.drain(), ReminderKind.MEETING_REMINDER, ReminderStatus.DUE);
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.getParticipantId()).isEqualTo("p-002");
      assertThat(r.getMeetingId()).isEqualTo("m1");
    });
  }

  @Test
  void idsOfTheWrongShapeAreDeadLetteredNamingTheField() {
    h.enrol("p-001");
    // a line break in a kept id would forge lines wherever it is logged
    h.send("p-001", CoordinatorAssigned.newBuilder().setCoordinatorId("s-1\nINFO forged").build());
    h.events.pipeInput("p-002\u0000", h.event("p-002", MeetingScheduled.newBuilder().setMeetingId("m1")
        .setStartsAt(oslo("2025-03-06T10:00")).setKind(MeetingKind.OFFICE).build()));
    h.send(h.event("p-003", MeetingScheduled.newBuilder().setMeetingId("m".repeat(IdShapes.MAX_ID_LENGTH + 1))
        .setStartsAt(oslo("2025-03-06T10:00")).setKind(MeetingKind.OFFICE).build()));
    // exactly at the bound is fine
    h.schedule("p-004", "m".repeat(IdShapes.MAX_ID_LENGTH), oslo("2025-03-06T10:00"));

    List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
    assertThat(dead).extracting(r -> header(r, DeadLetters.HEADER_SOURCE_OFFSET)).containsExactly("1", "2", "3");
    assertThat(dead).extracting(r -> header(r, DeadLetters.HEADER_ERROR_MESSAGE))
        .satisfiesExactly(
            m -> assertThat(m).startsWith("payload.coordinatorId ").doesNotContain("forged"),
            m -> assertThat(m).startsWith("key "),
            m -> assertThat(m).startsWith("payload.meetingId "));
    assertThat(h.participantsStore().get("p-001").getCoordinatorId()).isEqualTo(TopologyHarness.COORDINATOR);
    assertThat(h.participantsStore().get("p-002\u0000")).isNull();
    assertThat(h.participantsStore().get("p-003")).isNull();
    assertThat(h.participantsStore().get("p-004").getMeetings()).hasSize(1);
  }

  @Test
  void aRecordKeyedByAnotherParticipantIsDeadLettered() {
    h.enrol("p-001");
    h.enrol("p-002");
    // p-002's meeting written under p-001's key: it must not land in p-001's state
    h.events.pipeInput("p-001", h.event("p-002", MeetingScheduled.newBuilder().setMeetingId("m1")
        .setStartsAt(oslo("2025-03-06T10:00")).setKind(MeetingKind.OFFICE).build()));

    assertThat(h.deadLetters.readRecordsToList()).singleElement()
        .satisfies(r -> assertThat(header(r, DeadLetters.HEADER_ERROR_MESSAGE)).startsWith("record key does not match"));
    assertThat(h.participantsStore().get("p-001").getMeetings()).isEmpty();
    assertThat(h.participantsStore().get("p-002").getMeetings()).isEmpty();
  }

  @Test
  void futureMeetingsAreCappedAndTheCapRefusesOnlyNewOnes() {
    h.enrol("p-001");
    Instant first = oslo("2025-06-02T10:00");
    for (int i = 0; i < ParticipantLifecycle.MAX_TRACKED_MEETINGS; i++) {
      h.schedule("p-001", "m" + i, first.plus(Duration.ofHours(i)));
    }
    assertThat(h.deadLetters.readRecordsToList()).isEmpty();

    h.schedule("p-001", "one-too-many", first.minus(Duration.ofDays(1)));
    assertOneDeadLetter(ParticipantLifecycle.MAX_TRACKED_MEETINGS + 1, "meetings");
    // a meeting already tracked still moves
    h.reschedule("p-001", "m0", first.minus(Duration.ofDays(2)));
    assertThat(h.deadLetters.readRecordsToList()).isEmpty();

    ReminderParticipantState state = h.participantsStore().get("p-001");
    assertThat(state.getMeetings()).hasSize(ParticipantLifecycle.MAX_TRACKED_MEETINGS)
        .noneMatch(m -> m.getMeetingId().equals("one-too-many"));
    assertThat(state.getMeetings().stream().filter(m -> m.getMeetingId().equals("m0")).findFirst().orElseThrow().getStartsAt())
        .isEqualTo(first.minus(Duration.ofDays(2)));
  }

  @Test
  void aFullListOfForgottenTasksRefusesEverythingButErasureWhichStillErasesThem() {
    h.enrol("p-001");
    ReminderParticipantState state = h.participantsStore().get("p-001");
    List<String> forgotten = new ArrayList<>();
    for (int i = 0; i < ParticipantLifecycle.MAX_PRUNED_TASK_IDS; i++) {
      forgotten.add(UUID.nameUUIDFromBytes(("task-" + i).getBytes(StandardCharsets.UTF_8)).toString());
    }
    state.setPrunedTaskIds(forgotten);
    h.participantsStore().put("p-001", state);
    h.drain();

    h.contact("p-001");
    assertOneDeadLetter(1, "forgotten task ids");

    h.erase("p-001");
    assertThat(h.deadLetters.readRecordsToList()).isEmpty();
    assertThat(h.drain()).filteredOn(r -> r.getStatus() == ReminderStatus.ERASED)
        .extracting(r -> r.getReminderId().toString()).containsAll(forgotten);
    assertThat(h.participantsStore().get("p-001")).isNull();
  }
}
