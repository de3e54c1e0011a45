package no.followup.dashboard.model;

import static no.followup.dashboard.model.StoreKeys.Index.OPEN_TASK;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_COHORT;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_COORDINATOR;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_OFFICE;
import static no.followup.dashboard.model.StoreKeys.Index.STATUS_BY_SPECIALIST;
import static no.followup.dashboard.model.StoreKeys.Index.TASK_BY_PARTICIPANT;

import java.util.ArrayList;
import java.util.List;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.TaskState;
import no.followup.status.ParticipantStatus;

/**
 * The index keys of a row: what the views look rows up by. Written with the row and deleted with the
 * version they were made from, so an index key never outlives what it points at.
 */
final class RowIndex {

  private RowIndex() {}

  /** By office, coordinator, cohort and every open specialist assignment (the access rules' ways in). */
  static List<byte[]> ofStatus(String participantId, ParticipantStatus s) {
    List<byte[]> keys = new ArrayList<>();
    if (s.getOfficeId() != null) {
      keys.add(StoreKeys.index(STATUS_BY_OFFICE, s.getOfficeId(), participantId));
    }
    if (s.getCoordinatorId() != null) {
      keys.add(StoreKeys.index(STATUS_BY_COORDINATOR, s.getCoordinatorId(), participantId));
    }
    if (s.getCohortId() != null) {
      keys.add(StoreKeys.index(STATUS_BY_COHORT, s.getCohortId(), participantId));
    }
    s.getSpecialists().stream().filter(a -> a.getEndedAt() == null)
        .forEach(a -> keys.add(StoreKeys.index(STATUS_BY_SPECIALIST, a.getSpecialistId(), participantId)));
    return keys;
  }

  /** By participant (the participant page, erasure), and among the open ones when it is open. */
  static List<byte[]> ofTask(String taskId, CoordinatorTask task) {
    List<byte[]> keys = new ArrayList<>();
    keys.add(StoreKeys.index(TASK_BY_PARTICIPANT, task.getParticipantId(), taskId));
    if (task.getState() == TaskState.OPEN) {
      keys.add(StoreKeys.index(OPEN_TASK, taskId));
    }
    return keys;
  }
}
