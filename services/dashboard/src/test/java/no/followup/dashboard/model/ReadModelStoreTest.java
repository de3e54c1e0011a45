package no.followup.dashboard.model;

import static no.followup.dashboard.Fixtures.ips;
import static no.followup.dashboard.Fixtures.receipt;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;
import no.followup.status.SpecialistAssignment;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read model's store: what survives a restart, the index keys, erasure, and the bounds on receipts. */
class ReadModelStoreTest {

  static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
  static final TopicPartition STATUS_0 = new TopicPartition("participant-status", 0);
  static final TopicPartition TASKS_1 = new TopicPartition("tasks", 1);

  @TempDir Path dir;

  static CoordinatorTask newTask(String participantId, TaskState state) {
    return task(UUID.randomUUID(), TaskKind.REACH_OUT_AFTER_MISS, participantId, "0403", "s-12", "m-1", NOW, NOW, state);
  }

  @Test
  void aRestartFindsTheRowsAndReadsOnAfterTheLastStoredOffset() {
    CoordinatorTask open = newTask("p-1", TaskState.OPEN);
    try (ReadModel model = ReadModel.open(dir)) {
      model.putStatus("p-1", status("p-1", "0403", "s-12", NOW).build(), new ReadModel.Position(STATUS_0, 41));
      model.putTask(open.getTaskId().toString(), open, new ReadModel.Position(TASKS_1, 7));
      model.passOver(new ReadModel.Position(STATUS_0, 42)); // an undecodable record is passed over, not read again
    }
    try (ReadModel model = ReadModel.open(dir)) {
      assertThat(model.positions(List.of(STATUS_0, TASKS_1, new TopicPartition("tallies", 0))))
          .isEqualTo(Map.of(STATUS_0, 43L, TASKS_1, 8L));
      assertThat(model.status("p-1").getOfficeId()).isEqualTo("0403");
      assertThat(model.openTasks()).containsExactly(open);
      assertThat(model.openTaskCount()).isEqualTo(1);
    }
  }

  @Test
  void theIndexKeysFollowTheRowWhenItMovesAndGoWithIt() {
    try (ReadModel model = ReadModel.open(dir)) {
      model.putStatus("p-1", status("p-1", "0403", "s-12", NOW).setCohortId("c-1")
          .setSpecialists(List.of(ips("js-1", NOW))).build());
      model.putStatus("p-2", status("p-2", "0403", "s-13", NOW).build());
      assertThat(ids(model.statusesOfOffice("0403"))).containsExactlyInAnyOrder("p-1", "p-2");
      assertThat(ids(model.statusesOfCoordinator("s-12"))).containsExactly("p-1");
      assertThat(ids(model.statusesOfSpecialist("js-1"))).containsExactly("p-1");
      assertThat(ids(model.statusesOfCohort("c-1"))).containsExactly("p-1");

      // moved to another office and coordinator, the IPS assignment ended
      model.putStatus("p-1", status("p-1", "0301", "s-40", NOW)
          .setSpecialists(List.of(SpecialistAssignment.newBuilder(ips("js-1", NOW)).setEndedAt(NOW).build())).build());
      assertThat(ids(model.statusesOfOffice("0403"))).containsExactly("p-2");
      assertThat(ids(model.statusesOfOffice("0301"))).containsExactly("p-1");
      assertThat(model.statusesOfCoordinator("s-12")).isEmpty();
      assertThat(model.statusesOfSpecialist("js-1")).isEmpty();
      assertThat(model.statusesOfCohort("c-1")).isEmpty();
      // an office id that is the start of another is not mixed up with it
      assertThat(model.statusesOfOffice("040")).isEmpty();
    }
  }

  @Test
  void aTaskLeavesTheOpenIndexWhenDoneAndTheParticipantIndexWhenTombstoned() {
    try (ReadModel model = new ReadModel()) {
      CoordinatorTask first = newTask("p-1", TaskState.OPEN);
      CoordinatorTask second = newTask("p-1", TaskState.OPEN);
      model.putTask(first.getTaskId().toString(), first);
      model.putTask(second.getTaskId().toString(), second);
      model.putTask(first.getTaskId().toString(), CoordinatorTask.newBuilder(first).setState(TaskState.DONE).build());
      assertThat(model.openTasks()).containsExactly(second);
      assertThat(model.openTaskCount()).isEqualTo(1);
      assertThat(model.tasksOf("p-1")).hasSize(2);

      model.putTask(second.getTaskId().toString(), null);
      assertThat(model.tasksOf("p-1")).extracting(CoordinatorTask::getTaskId).containsExactly(first.getTaskId());
      assertThat(model.openTasks()).isEmpty();
    }
  }

  @Test
  void anErasureRemovesEveryRowAndIndexKeyAndItsMarkerSurvivesARestart() {
    try (ReadModel model = ReadModel.open(dir)) {
      model.putStatus("p-gone", status("p-gone", "0403", "s-12", NOW).build());
      CoordinatorTask task = newTask("p-gone", TaskState.OPEN);
      model.putTask(task.getTaskId().toString(), task);
      DeliveryReceipt sent = receipt("p-gone", "0403", DeliveryStatus.SENT, NOW);
      model.putReceipt(sent.getReminderId().toString(), sent, NOW);

      model.putStatus("p-gone", null);

      assertThat(model.statusesOfOffice("0403")).isEmpty();
      assertThat(model.tasksOf("p-gone")).isEmpty();
      assertThat(model.openTaskCount()).isZero();
      assertThat(model.receipts()).isEmpty();
      assertThat(model.receiptCount()).isZero();
    }
    try (ReadModel model = ReadModel.open(dir)) {
      assertThat(model.erased("p-gone")).isTrue();
      CoordinatorTask late = newTask("p-gone", TaskState.OPEN);
      model.putTask(late.getTaskId().toString(), late); // a topic read further behind, after the restart
      model.putStatus("p-gone", status("p-gone", "0403", "s-12", NOW).build());
      assertThat(model.tasks()).isEmpty();
      assertThat(model.status("p-gone")).isNull();
    }
  }

  @Test
  void receiptsExpireByTimeAndTheOldestGoBeyondTheMaximum() {
    try (StateStore store = StateStore.inMemory()) {
      Receipts receipts = new Receipts(store, id -> false, Duration.ofDays(30), 3);
      DeliveryReceipt old = receipt("p-1", "0403", DeliveryStatus.SENT, NOW.minus(Duration.ofDays(29).plusHours(1)));
      put(store, receipts, old, NOW);
      // a day later the first is past 30 days; a later one of the same reminder replaces it, and is counted once
      DeliveryReceipt recent = receipt("p-2", "0403", DeliveryStatus.SENT, NOW);
      put(store, receipts, recent, NOW);
      put(store, receipts, DeliveryReceipt.newBuilder(recent).setStatus(DeliveryStatus.FAILED).setAt(NOW.plusSeconds(1)).build(), NOW);
      assertThat(receipts.count()).isEqualTo(2);
      receipts.expire(NOW.plus(Duration.ofDays(1)));
      assertThat(receipts.all()).extracting(DeliveryReceipt::getReminderId).containsExactly(recent.getReminderId());
      assertThat(receipts.all()).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.FAILED);

      // an older receipt of a kept reminder does not replace the newer one
      put(store, receipts, recent, NOW);
      assertThat(receipts.all()).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.FAILED);

      for (int minute = 1; minute <= 4; minute++) {
        put(store, receipts, receipt("p-3", "0403", DeliveryStatus.SENT, NOW.plus(Duration.ofMinutes(minute))), NOW);
      }
      receipts.expire(NOW);
      assertThat(receipts.count()).isEqualTo(3);
      assertThat(receipts.all()).extracting(DeliveryReceipt::getAt).containsExactlyInAnyOrder(
          NOW.plus(Duration.ofMinutes(2)), NOW.plus(Duration.ofMinutes(3)), NOW.plus(Duration.ofMinutes(4)));
      assertThat(receipts.since(NOW.plus(Duration.ofMinutes(3)))).extracting(DeliveryReceipt::getAt)
          .containsExactly(NOW.plus(Duration.ofMinutes(3)), NOW.plus(Duration.ofMinutes(4)));
    }
  }

  @Test
  void aReceiptAlreadyPastTheRetentionIsNotStored() {
    try (ReadModel model = new ReadModel()) {
      DeliveryReceipt stale = receipt("p-1", "0403", DeliveryStatus.SENT, NOW.minus(Duration.ofDays(31)));
      model.putReceipt(stale.getReminderId().toString(), stale, NOW);
      assertThat(model.receipts()).isEmpty();
      assertThat(model.receiptCount()).isZero();
    }
  }

  @Test
  void forgettingRecreatedTopicsDropsRowsAndOffsetsButKeepsErasureMarkers() {
    try (ReadModel model = ReadModel.open(dir)) {
      model.putStatus("p-1", status("p-1", "0403", "s-12", NOW).build(), new ReadModel.Position(STATUS_0, 3));
      model.putStatus("p-gone", null, new ReadModel.Position(STATUS_0, 4));
      DeliveryReceipt sent = receipt("p-1", "0403", DeliveryStatus.SENT, NOW);
      model.putReceipt(sent.getReminderId().toString(), sent, NOW);

      model.forgetTopics();

      assertThat(model.statuses()).isEmpty();
      assertThat(model.statusesOfOffice("0403")).isEmpty();
      assertThat(model.receipts()).isEmpty();
      assertThat(model.receiptCount()).isZero();
      assertThat(model.positions(List.of(STATUS_0))).isEmpty();
      assertThat(model.erased("p-gone")).isTrue();
    }
  }

  @Test
  void aSecondInstanceCannotOpenTheSameDirectory() {
    try (ReadModel model = ReadModel.open(dir)) {
      assertThatThrownBy(() -> ReadModel.open(dir)).hasMessageContaining("every instance needs its own state directory");
    }
  }

  @Test
  void manyRowsAreReadPageByPage() {
    try (ReadModel model = new ReadModel()) {
      int count = Paged.PAGE * 2 + 7;
      for (int i = 0; i < count; i++) {
        String id = "p-" + i;
        model.putStatus(id, status(id, "0403", "s-12", NOW).build());
      }
      assertThat(ids(model.statuses())).hasSize(count).doesNotHaveDuplicates();
      assertThat(model.statusesOfOffice("0403")).hasSize(count);
    }
  }

  private static void put(StateStore store, Receipts receipts, DeliveryReceipt receipt, Instant now) {
    try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
      receipts.put(batch, receipt.getReminderId().toString(), receipt, now);
      store.write(batch);
    }
  }

  private static List<String> ids(Iterable<ParticipantStatus> statuses) {
    List<String> ids = new java.util.ArrayList<>();
    statuses.forEach(s -> ids.add(s.getParticipantId()));
    return ids;
  }
}
