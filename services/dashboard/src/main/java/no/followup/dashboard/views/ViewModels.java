package no.followup.dashboard.views;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.followup.figures.CohortReport;

/** The data of each view, as the JSON API returns it and the page renders it. */
public final class ViewModels {

  private ViewModels() {}

  /** A view that shows participant rows: every read of it is audited. */
  public interface ParticipantLevel {
    /** The participants whose rows the view holds. */
    @JsonIgnore
    Set<String> participantIds();
  }

  /** A category and how many fall in it. */
  public record Count(String key, long count) {}

  // ---- overview (aggregates only) ----------------------------------------------------------------

  /**
   * @param suppressed the figures withheld by small-group suppression ({@link SmallGroups}): their
   *     lists are empty, their values null
   * @param smallGroupThreshold the group size below which figures are withheld from this viewer
   */
  public record Overview(
      Map<String, String> filters,
      long participants,
      long active,
      long awaitingEnrolment,
      List<Count> bySituation,
      List<Count> byPhase,
      List<Count> byExitReason,
      List<Count> byServicesReceived,
      List<Count> byTargetGroup,
      Outcome outcome,
      CoopWonca coopWonca,
      Meetings meetingsLast30Days,
      Caseloads caseloads,
      List<Count> smsLast30Days,
      List<String> suppressed,
      int smallGroupThreshold,
      Instant asOf) {}

  /**
   * Those taken in, their exits by outcome group, and the goal share (reached work or education over
   * those taken in) overall and per cohort against its goal; {@code shareOfExits} is the secondary
   * share over exits only. Definitions: the figures module.
   */
  public record Outcome(long takenIn, long exits, long intoWorkOrEducation, Double goalShare, Double shareOfExits,
      List<Count> byOutcomeGroup, List<CohortOutcome> cohorts) {}

  /** One cohort's outcome; {@code name}, {@code goal} and {@code reportingDates} from its CohortDefined, when recorded. */
  public record CohortOutcome(String cohortId, String name, long participants, long exits, long intoWorkOrEducation,
      Double goalShare, Double shareOfExits, Double goal, Boolean goalMet, List<String> reportingDates) {}

  /**
   * COOP/WONCA averages (1 best, 5 worst): means over the pairs (before and after), and the first
   * measurement's mean over everyone measured; every figure but the two counts is null when withheld
   * ({@link SmallGroups}).
   */
  public record CoopWonca(long measured, long pairs, Double meanFirst, Double meanFirstAllMeasured, Double meanLatest,
      Double best, Double worst, Long improved, Long unchanged, Long worsened) {}

  /** Meeting outcomes recorded on the days {@code from}..{@code to} (local dates). */
  public record Meetings(String from, String to, long attended, long missed) {}

  /** Job specialists' IPS caseloads against the 12-20 range. */
  public record Caseloads(int min, int cap, List<CaseloadRow> specialists) {}

  /**
   * @param inSelection active participants of the selection the specialist follows
   * @param total the specialist's whole caseload (from the status service's tally), when known
   * @param flag UNDER_RANGE, WITHIN_RANGE or OVER_CAP, of the total when known
   * @param fteShare the specialist's capacity (share of a full position), when recorded
   * @param min the least caseload of the specialist's range: 12, scaled by the capacity
   * @param cap the largest: 20, scaled by the capacity
   */
  public record CaseloadRow(String specialistId, long inSelection, Long total, String flag, Double fteShare, int min,
      int cap) {}

  /**
   * The printable report of one cohort ({@code filters.cohort}) as of today: the figures module's
   * {@link CohortReport} over the participants the user may count; null when no cohort is chosen or it
   * has no definition. Aggregates only.
   */
  /**
   * @param report null when the cohort has no definition
   * @param suppressed the figures withheld by small-group suppression ({@link SmallGroups}), named as
   *     for the overview: their values in {@code report} are empty
   * @param smallGroupThreshold the group size below which figures are withheld from this viewer
   */
  public record Report(Map<String, String> filters, String cohortId, CohortReport report, List<String> suppressed,
      int smallGroupThreshold, Instant asOf) {}

  // ---- work list ---------------------------------------------------------------------------------

  public record Worklist(
      Map<String, String> filters,
      String date,
      List<MeetingRow> meetingsToday,
      List<MissedRow> missedNeedingFollowUp,
      List<TaskRow> openTasks,
      List<TaskRow> awaitingConfirmation,
      List<NoContactRow> noContact,
      int noContactDays,
      Instant asOf) implements ParticipantLevel {

    @Override
    public Set<String> participantIds() {
      Set<String> ids = new LinkedHashSet<>();
      meetingsToday.forEach(r -> ids.add(r.participantId()));
      missedNeedingFollowUp.forEach(r -> ids.add(r.participantId()));
      openTasks.forEach(r -> ids.add(r.participantId()));
      awaitingConfirmation.forEach(r -> ids.add(r.participantId()));
      noContact.forEach(r -> ids.add(r.participantId()));
      return ids;
    }
  }

  public record MeetingRow(String participantId, String situation, Instant lastContactAt, String meetingId,
      Instant startsAt, String kind, String state, String lastSms, Instant lastSmsAt) {}

  /** @param reason MISSED (recorded), or the kind of the open task (ATTENDANCE_NOT_RECORDED, REACH_OUT_AFTER_MISS) */
  public record MissedRow(String participantId, String situation, Instant lastContactAt, String meetingId,
      Instant startsAt, Instant missedAt, String reason, String taskId) {}

  /**
   * @param outcomes what the page may record to resolve the task (see TaskActions)
   * @param pending set when the task was marked done here and the confirmation is still awaited
   */
  public record TaskRow(String taskId, String kind, String assignee, String participantId, String officeId,
      String situation, Instant lastContactAt, String meetingId, Instant meetingStartsAt, Instant dueAt,
      String state, String summary, List<String> outcomes, Pending pending) {}

  public record Pending(Instant markedAt, String outcome, String eventId) {}

  public record NoContactRow(String participantId, String situation, Instant lastContactAt, Long daysSinceContact) {}

  // ---- monthly review ----------------------------------------------------------------------------

  public record Review(Map<String, String> filters, long active, List<Count> byServicesReceived,
      List<ReviewRow> participants, Instant asOf) implements ParticipantLevel {

    @Override
    public Set<String> participantIds() {
      Set<String> ids = new LinkedHashSet<>();
      participants.forEach(r -> ids.add(r.participantId()));
      return ids;
    }
  }

  public record ReviewRow(String participantId, String officeId, String coordinatorId, String cohortId,
      String servicesReceived, String situation, String phase, Instant enrolledAt, Long daysInProject,
      Instant lastContactAt) {}

  // ---- tasks -------------------------------------------------------------------------------------

  public record TaskList(Map<String, String> filters, String state, List<TaskRow> tasks, Instant asOf)
      implements ParticipantLevel {

    @Override
    public Set<String> participantIds() {
      Set<String> ids = new LinkedHashSet<>();
      tasks.forEach(r -> ids.add(r.participantId()));
      return ids;
    }
  }
}
