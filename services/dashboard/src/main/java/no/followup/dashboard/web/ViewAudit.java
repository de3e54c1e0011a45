package no.followup.dashboard.web;

import java.util.Map;
import no.followup.common.audit.AuditLog;
import no.followup.common.auth.Caller;
import no.followup.dashboard.views.ViewModels.Overview;
import no.followup.dashboard.views.ViewModels.ParticipantLevel;
import no.followup.dashboard.views.ViewModels.Report;

/**
 * The audit line a view's answer gets, one rule for the JSON API and the live stream: rows name the
 * participants shown, aggregates (the overview, a cohort's report) how many they counted and what
 * was withheld. A view without a rule here is refused rather than served unaudited, so a new view
 * cannot be added without one.
 */
final class ViewAudit {

  private ViewAudit() {}

  /**
   * @param channel how the data leaves: {@code api} or {@code stream}
   * @throws IllegalStateException for a view this has no rule for (nothing is then sent)
   */
  static void record(AuditLog audit, Caller user, String channel, String view, Map<String, String> filters, Object data) {
    if (data instanceof ParticipantLevel rows) {
      audit.read(user, channel, view, filters, rows.participantIds());
    } else if (data instanceof Overview overview) {
      audit.aggregateRead(user, channel, view, filters, overview.participants(), overview.suppressed());
    } else if (data instanceof Report report) {
      long counted = report.report() == null ? 0 : report.report().total().takenIn();
      audit.aggregateRead(user, channel, view, filters, counted, report.suppressed());
    } else {
      throw new IllegalStateException("no audit rule for the view " + view);
    }
  }
}
