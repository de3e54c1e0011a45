package no.followup.dashboard.model;

import static no.followup.dashboard.Fixtures.receipt;
import static no.followup.dashboard.Fixtures.status;
import static no.followup.dashboard.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.reminders.DeliveryStatus;
import no.followup.reminders.TaskKind;
import no.followup.reminders.TaskState;
import org.junit.jupiter.api.Test;

class ReadModelErasureTest {

  static final Instant NOW = Instant.parse("2025-03-11T09:00:00Z");
  static final String ERASED = "p-erased";
  static final String KEPT = "p-kept";

  final ReadModel model = new ReadModel();

  static CoordinatorTask openTask(String participantId) {
    return task(UUID.randomUUID(), TaskKind.REACH_OUT_AFTER_MISS, participantId, "0403", "s-12", "m-1", NOW, NOW, TaskState.OPEN);
  }

  void putTask(CoordinatorTask t) {
    model.putTask(t.getTaskId().toString(), t);
  }

  void putReceipt(DeliveryReceipt r) {
    model.putReceipt(r.getReminderId().toString(), r, NOW);
  }

  @Test
  void aStatusTombstoneRemovesEveryRowOfTheParticipantTasksIncluded() {
    for (String participant : new String[] {ERASED, KEPT}) {
      model.putStatus(participant, status(participant, "0403", "s-12", NOW).build());
      putTask(openTask(participant));
      putReceipt(receipt(participant, "0403", DeliveryStatus.SENT, NOW));
    }

    model.putStatus(ERASED, null);

    assertThat(model.status(ERASED)).isNull();
    assertThat(model.tasks()).extracting(CoordinatorTask::getParticipantId).containsExactly(KEPT);
    assertThat(model.receipts()).extracting(DeliveryReceipt::getParticipantId).containsExactly(KEPT);
    assertThat(model.status(KEPT)).isNotNull();
    assertThat(model.erased(ERASED)).isTrue();
  }

  @Test
  void tasksReceiptsAndStatusesArrivingAfterTheErasureAreNotShown() {
    model.putStatus(ERASED, null);

    putTask(openTask(ERASED)); // the tasks topic read further behind than the status topic
    putReceipt(receipt(ERASED, "0403", DeliveryStatus.SENT, NOW));
    model.putStatus(ERASED, status(ERASED, "0403", "s-12", NOW).build());

    assertThat(model.tasks()).isEmpty();
    assertThat(model.receipts()).isEmpty();
    assertThat(model.status(ERASED)).isNull();

    // a new pseudonymous id starts over
    model.putStatus("p-new", status("p-new", "0403", "s-12", NOW).build());
    putTask(openTask("p-new"));
    assertThat(model.tasks()).hasSize(1);
  }
}
