// The dashboard page: reads its view and filters from the URL (so every view has a shareable link),
// receives the view's data over server-sent events and re-renders only the sections that changed.
// Plain DOM code: text goes in with textContent, never as HTML.
'use strict';

(function (F) {
  const VIEWS = ['overview', 'worklist', 'review', 'tasks', 'report'];
  const FILTERS = ['office', 'coordinator', 'cohort'];
  const params = new URLSearchParams(window.location.search);
  const view = VIEWS.includes(params.get('view')) ? params.get('view') : 'overview';
  const lang = F.lang;
  const filters = {};
  FILTERS.forEach(function (f) { filters[f] = (params.get(f) || '').trim(); });
  const t = F.t;
  const sym = F.sym;
  const el = F.el;
  const num = F.num;
  const pct = F.pct;
  const dateTime = F.dateTime;
  const time = F.time;
  const getJson = F.getOkJson;
  const setLive = F.setLive;
  const rowsTable = F.rowsTable;
  const sections = F.sections();
  const section = sections.place;

  let me = null;
  let source = null;

  // ---- helpers -----------------------------------------------------------------------------------

  function pageUrl(targetView, targetLang) {
    const q = new URLSearchParams();
    q.set('view', targetView);
    FILTERS.forEach(function (f) { if (filters[f]) { q.set(f, filters[f]); } });
    q.set('lang', targetLang || lang);
    return '/?' + q.toString();
  }

  // ---- chrome (header, navigation, filters) ------------------------------------------------------

  function applyLabels() {
    F.applyLabels();
    document.title = t('nav.' + view) + ' – ' + t('app.title');
  }

  function renderChrome() {
    const links = document.getElementById('view-links');
    links.textContent = '';
    VIEWS.forEach(function (v) {
      if (v !== 'overview' && v !== 'report' && !me.participantRows) {
        return;
      }
      links.appendChild(el('li', null, el('a', {
        href: pageUrl(v), id: 'nav-' + v, text: t('nav.' + v), 'aria-current': v === view ? 'page' : null,
      })));
    });
    document.getElementById('filter-view').value = view;
    document.getElementById('filter-lang').value = lang;
    FILTERS.forEach(function (f) { document.getElementById('filter-' + f).value = filters[f]; });
    document.getElementById('filter-clear').setAttribute('href', '/?view=' + view + '&lang=' + lang);
    const nb = document.getElementById('lang-nb');
    const en = document.getElementById('lang-en');
    nb.setAttribute('href', pageUrl(view, 'nb'));
    en.setAttribute('href', pageUrl(view, 'en'));
    (lang === 'en' ? en : nb).setAttribute('aria-current', 'true');
    document.getElementById('search-lang').value = lang;
    document.getElementById('participant-search').hidden = !me.participantRows;
    if (params.get('search') === 'invalid') {
      document.getElementById('search-error').hidden = false;
    }
    F.showSession(me);
  }

  // ---- building blocks ---------------------------------------------------------------------------

  function bar(value, max, pattern) {
    const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
    const fill = el('span', { class: 'bar-fill ' + (pattern || 'pattern-solid') });
    fill.style.width = (share * 100).toFixed(1) + '%';
    return el('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill);
  }

  /** A category table with counts and bars: numbers and text always present, the bars only repeat them. */
  function countTable(tableId, caption, counts, prefix) {
    const max = counts.reduce(function (m, c) { return Math.max(m, c.count); }, 0);
    const total = counts.reduce(function (s, c) { return s + c.count; }, 0);
    const rows = counts.map(function (c) {
      return el('tr', { 'data-key': c.key },
        el('th', { scope: 'row', text: sym(prefix, c.key) }),
        el('td', { class: 'count num', text: num(c.count) }),
        el('td', { class: 'bar-cell' }, bar(c.count, max)));
    });
    return el('table', { id: tableId, class: 'counts' },
      el('caption', { text: caption }),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col', text: t('common.category') }),
        el('th', { scope: 'col', class: 'num', text: t('common.count') }),
        el('th', { scope: 'col', class: 'bar-cell' }, el('span', { class: 'visually-hidden', text: t('common.count') })))),
      el('tbody', null, rows),
      el('tfoot', null, el('tr', null, el('th', { scope: 'row', text: '∑' }), el('td', { class: 'num total', text: num(total) }), el('td'))));
  }

  function card(id, labelKey, value) {
    return el('div', { class: 'card', id: id }, el('span', { class: 'card-value', text: value }), el('span', { class: 'card-label', text: t(labelKey) }));
  }

  // ---- overview ----------------------------------------------------------------------------------

  /** A figure withheld by small-group suppression: its heading, and why it is not shown. */
  function suppressedPanel(captionKey, threshold) {
    return el('section', { class: 'panel' },
      el('h2', { text: t(captionKey) }),
      el('p', { class: 'hint suppressed', text: t('overview.suppressed').replace('{0}', String(threshold)) }));
  }

  /** The panel, or its suppression notice when the figure is withheld from this viewer. */
  function orSuppressed(d, figure, captionKey, render) {
    if ((d.suppressed || []).indexOf(figure) >= 0) {
      return function () { return suppressedPanel(captionKey, d.smallGroupThreshold); };
    }
    return render;
  }

  function renderOverview(d) {
    section('summary', [d.participants, d.active, d.awaitingEnrolment, d.outcome.exits], function () {
      return el('section', { class: 'cards', 'aria-label': t('overview.heading') },
        card('participants-count', 'overview.participants', num(d.participants)),
        card('active-count', 'overview.active', num(d.active)),
        card('exits-count', 'overview.exits', num(d.outcome.exits)),
        card('awaiting-count', 'overview.awaiting', num(d.awaitingEnrolment)));
    });
    section('section-situation', d.bySituation, orSuppressed(d, 'bySituation', 'overview.situation', function () {
      return el('section', { class: 'panel' }, countTable('situation-table', t('overview.situation'), d.bySituation, 'situation'));
    }));
    section('section-phase', d.byPhase, function () {
      return el('section', { class: 'panel' }, countTable('phase-table', t('overview.phase'), d.byPhase, 'phase'));
    });
    section('section-exit-reasons', d.byExitReason, orSuppressed(d, 'byExitReason', 'overview.exitReasons', function () {
      return el('section', { class: 'panel' }, countTable('exit-reason-table', t('overview.exitReasons'), d.byExitReason, 'exitReason'));
    }));
    section('section-outcome', d.outcome, function () { return outcomePanel(d.outcome, d); });
    section('section-coop', d.coopWonca, orSuppressed(d, 'coopWonca', 'overview.coop', function () { return coopPanel(d.coopWonca); }));
    section('section-meetings', d.meetingsLast30Days, function () { return meetingsPanel(d.meetingsLast30Days); });
    section('section-caseloads', d.caseloads, function () { return caseloadPanel(d.caseloads); });
    section('section-services', d.byServicesReceived, orSuppressed(d, 'byServicesReceived', 'overview.services', function () {
      return el('section', { class: 'panel' }, countTable('services-table', t('overview.services'), d.byServicesReceived, 'services'));
    }));
    section('section-target-groups', d.byTargetGroup, orSuppressed(d, 'byTargetGroup', 'overview.targetGroups', function () {
      return el('section', { class: 'panel' }, countTable('target-group-table', t('overview.targetGroups'), d.byTargetGroup, 'targetGroup'));
    }));
    section('section-sms', d.smsLast30Days, function () {
      return el('section', { class: 'panel' }, countTable('sms-table', t('overview.sms30'), d.smsLast30Days, 'delivery'));
    });
  }

  function goalText(c) {
    if (c.goal === null || c.goal === undefined) {
      return t('overview.noGoal');
    }
    if (c.goalMet === null || c.goalMet === undefined) {
      return t('overview.goal') + ' ' + pct(c.goal);
    }
    return (c.goalMet ? '✓ ' + t('overview.goalMet') : '✗ ' + t('overview.goalNotMet')) + ' (' + t('overview.goal') + ' ' + pct(c.goal) + ')';
  }

  function outcomePanel(o, d) {
    const rows = o.cohorts.map(function (c) {
      const shareBar = bar(c.goalShare || 0, 1, 'pattern-solid');
      if (c.goal !== null && c.goal !== undefined) {
        const marker = el('span', { class: 'goal-marker', title: t('overview.goal') });
        marker.style.left = (c.goal * 100).toFixed(1) + '%';
        shareBar.appendChild(marker);
      }
      const reportLink = '/?view=report&cohort=' + encodeURIComponent(c.cohortId) + '&lang=' + lang;
      return el('tr', { 'data-key': c.cohortId },
        el('th', { scope: 'row' }, el('a', { href: reportLink, class: 'report-link',
          text: c.name ? c.name + ' (' + c.cohortId + ')' : c.cohortId })),
        el('td', { class: 'num', text: num(c.participants) }),
        el('td', { class: 'num', text: num(c.exits) }),
        el('td', { class: 'num', text: num(c.intoWorkOrEducation) }),
        el('td', { class: 'num share', text: pct(c.goalShare) }),
        el('td', { class: 'bar-cell' }, shareBar),
        el('td', { class: 'goal', text: goalText(c) }),
        el('td', { class: 'num share-of-exits', text: pct(c.shareOfExits) }));
    });
    return el('section', { class: 'panel wide' },
      el('h2', { text: t('overview.outcome') }),
      el('p', { id: 'outcome-summary', class: 'big' }, t('overview.share') + ': ',
        el('strong', { text: pct(o.goalShare) }), ' (' + num(o.intoWorkOrEducation) + ' / ' + num(o.takenIn) + ' ' + t('overview.takenIn').toLowerCase() + ')'),
      el('p', { id: 'outcome-share-of-exits', class: 'hint' }, t('overview.shareOfExits') + ': ' + pct(o.shareOfExits)
        + ' (' + num(o.intoWorkOrEducation) + ' / ' + num(o.exits) + ' ' + t('overview.exits').toLowerCase() + ')'),
      rowsTable('outcome-table', t('overview.cohort'), [t('overview.cohort'), t('overview.takenIn'), t('overview.exits'),
        t('overview.intoWork'), t('overview.goalShare'), '', t('overview.goal'), t('overview.shareOfExits')], rows),
      orSuppressed(d, 'byOutcomeGroup', 'overview.outcomeGroups', function () {
        return countTable('outcome-group-table', t('overview.outcomeGroups'), o.byOutcomeGroup, 'outcomeGroup');
      })());
  }

  function coopPanel(c) {
    const meanRow = function (key, value, pattern) {
      return el('tr', { 'data-key': key },
        el('th', { scope: 'row', text: t('overview.' + key) }),
        el('td', { class: 'num', text: num(value) }),
        el('td', { class: 'bar-cell' }, bar(value || 0, 5, pattern)));
    };
    const changeMax = Math.max(c.improved, c.unchanged, c.worsened);
    const changeRow = function (key, value, pattern) {
      return el('tr', { 'data-key': key },
        el('th', { scope: 'row', text: t('overview.' + key) }),
        el('td', { class: 'num count', text: num(value) }),
        el('td', { class: 'bar-cell' }, bar(value, changeMax, pattern)));
    };
    return el('section', { class: 'panel' },
      el('h2', { text: t('overview.coop') }),
      el('p', { class: 'hint', text: t('overview.coopHint') }),
      el('p', null, t('overview.coopMeasured') + ': ' + num(c.measured) + ' · ' + t('overview.coopPairs') + ': ' + num(c.pairs)
        + ' · ' + t('overview.coopBest') + ': ' + num(c.best) + ' · ' + t('overview.coopWorst') + ': ' + num(c.worst)),
      el('table', { id: 'coop-means', class: 'counts' },
        el('caption', { class: 'visually-hidden', text: t('overview.coop') }),
        el('tbody', null, meanRow('coopMeanFirst', c.meanFirst, 'pattern-hatched'), meanRow('coopMeanLatest', c.meanLatest, 'pattern-solid'),
          meanRow('coopMeanFirstAllMeasured', c.meanFirstAllMeasured, 'pattern-dotted'))),
      el('table', { id: 'coop-change', class: 'counts' },
        el('caption', { class: 'visually-hidden', text: t('overview.coopPairs') }),
        el('tbody', null, changeRow('coopImproved', c.improved, 'pattern-solid'), changeRow('coopUnchanged', c.unchanged, 'pattern-dotted'),
          changeRow('coopWorsened', c.worsened, 'pattern-hatched'))));
  }

  function meetingsPanel(m) {
    const max = Math.max(m.attended, m.missed);
    return el('section', { class: 'panel' },
      el('h2', { text: t('overview.meetings30') }),
      el('p', { class: 'hint', text: m.from + ' – ' + m.to }),
      el('table', { id: 'meetings-30', class: 'counts' },
        el('caption', { class: 'visually-hidden', text: t('overview.meetings30') }),
        el('tbody', null,
          el('tr', { 'data-key': 'attended' }, el('th', { scope: 'row', text: t('overview.attended') }),
            el('td', { class: 'num count', text: num(m.attended) }), el('td', { class: 'bar-cell' }, bar(m.attended, max, 'pattern-solid'))),
          el('tr', { 'data-key': 'missed' }, el('th', { scope: 'row', text: t('overview.missed') }),
            el('td', { class: 'num count', text: num(m.missed) }), el('td', { class: 'bar-cell' }, bar(m.missed, max, 'pattern-hatched'))))));
  }

  function caseloadPanel(c) {
    const scale = Math.max(c.cap + 4, c.specialists.reduce(function (m, s) { return Math.max(m, s.total || s.inSelection); }, 0));
    const rows = c.specialists.map(function (s) {
      const value = s.total !== null && s.total !== undefined ? s.total : s.inSelection;
      const track = bar(value, scale, s.flag === 'OVER_CAP' ? 'pattern-hatched' : 'pattern-solid');
      // the specialist's own range: 12-20 scaled by their capacity (a half position: 6-10)
      [s.min, s.cap].forEach(function (limit) {
        const mark = el('span', { class: 'limit-marker' });
        mark.style.left = (limit / scale * 100).toFixed(1) + '%';
        track.appendChild(mark);
      });
      const flagSymbol = s.flag === 'OVER_CAP' ? '▲ ' : s.flag === 'UNDER_RANGE' ? '▼ ' : '✓ ';
      return el('tr', { 'data-key': s.specialistId },
        el('th', { scope: 'row', text: s.specialistId + (s.fteShare === null || s.fteShare === undefined ? ''
          : ' (' + Math.round(s.fteShare * 100) + ' %: ' + s.min + '–' + s.cap + ')') }),
        el('td', { class: 'num', text: num(s.inSelection) }),
        el('td', { class: 'num', text: s.total === null || s.total === undefined ? '–' : num(s.total) }),
        el('td', { class: 'bar-cell' }, track),
        el('td', { class: 'flag', text: flagSymbol + sym('caseloadFlag', s.flag) }));
    });
    return el('section', { class: 'panel wide' },
      el('h2', { text: t('overview.caseloads') }),
      el('p', { class: 'hint', text: t('overview.range') }),
      rowsTable('caseload-table', t('overview.caseloads'), [t('overview.specialist'), t('overview.inSelection'), t('overview.total'), '',
        t('common.state')], rows));
  }

  // ---- work list, tasks, review --------------------------------------------------------------------

  /** The participant's id, linking to their page. */
  function participantCell(participantId) {
    return el('td', { class: 'participant' }, el('a', {
      href: '/participants/' + encodeURIComponent(participantId) + '?lang=' + lang, text: participantId,
    }));
  }

  function lastContactCell(iso) {
    return el('td', { class: 'last-contact', text: dateTime(iso) });
  }

  function taskRows(tasks) {
    return tasks.map(function (task) {
      let actions;
      if (task.pending) {
        actions = el('span', { class: 'pending', text: '⏳ ' + t('worklist.marked') + ': ' + sym('outcome', task.pending.outcome) + ' ' + time(task.pending.markedAt) });
      } else if (task.outcomes.length === 0) {
        actions = el('span', { class: 'hint', text: t('tasks.noActions') });
      } else {
        actions = el('span', { class: 'actions' }, task.outcomes.map(function (outcome) {
          const button = el('button', { type: 'button', 'data-outcome': outcome, 'data-task-id': task.taskId, text: sym('outcome', outcome) });
          button.addEventListener('click', function () { markDone(task.taskId, outcome, button); });
          return button;
        }));
      }
      return el('tr', { 'data-task-id': task.taskId, 'data-participant': task.participantId, 'data-kind': task.kind },
        el('td', { class: 'kind', text: sym('taskKind', task.kind) }),
        participantCell(task.participantId),
        el('td', { text: sym('situation', task.situation) }),
        el('td', { text: task.meetingStartsAt ? dateTime(task.meetingStartsAt) : '–' }),
        el('td', { text: dateTime(task.dueAt) }),
        lastContactCell(task.lastContactAt),
        el('td', null, actions));
    });
  }

  function taskHeaders() {
    return [t('common.kind'), t('common.participant'), t('common.situation'), t('worklist.meeting'), t('common.due'),
      t('common.lastContact'), t('common.actions')];
  }

  function renderWorklist(d) {
    section('section-meetings-today', d.meetingsToday, function () {
      const rows = d.meetingsToday.map(function (m) {
        return el('tr', { 'data-participant': m.participantId, 'data-meeting': m.meetingId },
          el('td', { class: 'time', text: time(m.startsAt) }),
          participantCell(m.participantId),
          el('td', { text: sym('situation', m.situation) }),
          el('td', { text: m.kind ? sym('meetingKind', m.kind) : '–' }),
          el('td', { class: 'state', text: sym('meetingState', m.state) }),
          el('td', { text: m.lastSms ? sym('delivery', m.lastSms) + ' ' + time(m.lastSmsAt) : '–' }),
          lastContactCell(m.lastContactAt));
      });
      return el('section', { class: 'panel wide' }, rowsTable('meetings-today', t('worklist.meetingsToday') + ' ' + d.date,
        [t('common.time'), t('common.participant'), t('common.situation'), t('common.kind'), t('common.state'), t('worklist.sms'),
          t('common.lastContact')], rows));
    });
    section('section-missed', d.missedNeedingFollowUp, function () {
      const rows = d.missedNeedingFollowUp.map(function (m) {
        return el('tr', { 'data-participant': m.participantId, 'data-meeting': m.meetingId, 'data-task-id': m.taskId },
          participantCell(m.participantId),
          el('td', { text: sym('situation', m.situation) }),
          el('td', { text: m.startsAt ? dateTime(m.startsAt) : '–' }),
          el('td', { class: 'reason', text: m.reason === 'MISSED' ? t('reason.MISSED') : sym('taskKind', m.reason) }),
          lastContactCell(m.lastContactAt));
      });
      return el('section', { class: 'panel wide' }, rowsTable('missed', t('worklist.missed'),
        [t('common.participant'), t('common.situation'), t('worklist.meeting'), t('worklist.reason'), t('common.lastContact')], rows));
    });
    section('section-open-tasks', d.openTasks, function () {
      return el('section', { class: 'panel wide' }, rowsTable('open-tasks', t('worklist.openTasks'), taskHeaders(), taskRows(d.openTasks)));
    });
    section('section-awaiting', d.awaitingConfirmation, function () {
      return el('section', { class: 'panel wide' }, rowsTable('awaiting-confirmation', t('worklist.awaiting'), taskHeaders(),
        taskRows(d.awaitingConfirmation)));
    });
    section('section-no-contact', d.noContact, function () {
      const rows = d.noContact.map(function (r) {
        return el('tr', { 'data-participant': r.participantId },
          participantCell(r.participantId),
          el('td', { text: sym('situation', r.situation) }),
          lastContactCell(r.lastContactAt),
          el('td', { class: 'num', text: r.daysSinceContact === null ? '–' : num(r.daysSinceContact) }));
      });
      return el('section', { class: 'panel wide' }, rowsTable('no-contact', t('worklist.noContact'),
        [t('common.participant'), t('common.situation'), t('common.lastContact'), t('worklist.daysSince')], rows));
    });
  }

  function renderTasks(d) {
    const open = d.tasks.filter(function (x) { return !x.pending; });
    const waiting = d.tasks.filter(function (x) { return x.pending; });
    section('section-open-tasks', open, function () {
      return el('section', { class: 'panel wide' }, rowsTable('open-tasks', t('tasks.heading'), taskHeaders(), taskRows(open)));
    });
    section('section-awaiting', waiting, function () {
      return el('section', { class: 'panel wide' }, rowsTable('awaiting-confirmation', t('worklist.awaiting'), taskHeaders(), taskRows(waiting)));
    });
  }

  function renderReview(d) {
    section('section-review-summary', d.byServicesReceived, function () {
      return el('section', { class: 'panel' }, countTable('review-services', t('review.services') + ' · ' + t('review.active') + ': ' + num(d.active),
        d.byServicesReceived, 'services'));
    });
    section('section-review', d.participants, function () {
      const rows = d.participants.map(function (p) {
        return el('tr', { 'data-participant': p.participantId },
          participantCell(p.participantId),
          el('td', { text: p.officeId }),
          el('td', { text: p.coordinatorId || '–' }),
          el('td', { text: p.cohortId || '–' }),
          el('td', { class: 'services', text: sym('services', p.servicesReceived) }),
          el('td', { text: sym('situation', p.situation) }),
          el('td', { text: sym('phase', p.phase) }),
          el('td', { text: p.enrolledAt ? dateTime(p.enrolledAt) : '–' }),
          el('td', { class: 'num', text: p.daysInProject === null ? '–' : num(p.daysInProject) + ' ' + t('common.days') }),
          lastContactCell(p.lastContactAt));
      });
      return el('section', { class: 'panel wide' }, rowsTable('review-table', t('review.heading'),
        [t('common.participant'), t('review.office'), t('review.coordinator'), t('review.cohort'), t('review.services'), t('common.situation'),
          t('review.phase'), t('review.enrolled'), t('review.timeInProject'), t('common.lastContact')], rows));
    });
  }

  // ---- the printable cohort report ------------------------------------------------------------------

  function renderReport(d) {
    section('section-report', d, function () {
      if (!d.report) {
        return el('section', { class: 'panel wide' }, el('p', { id: 'report-missing', text: d.cohortId
          ? t('report.notDefined') + ': ' + d.cohortId : t('report.chooseCohort') }));
      }
      const r = d.report;
      // a figure withheld from this viewer (small-group suppression) is its heading and why, as in the overview
      const shown = function (figure, captionKey, render) { return orSuppressed(d, figure, captionKey, render)(); };
      const groups = r.byTargetGroup.concat([r.total]);
      const groupRows = groups.map(function (g) {
        return el('tr', { 'data-key': g.targetGroup },
          el('th', { scope: 'row', text: g.targetGroup === 'ALL' ? t('report.all') : sym('targetGroup', g.targetGroup) }),
          el('td', { class: 'num taken-in', text: num(g.takenIn) }),
          el('td', { class: 'num active', text: num(g.active) }),
          el('td', { class: 'num exited', text: num(g.exited) }),
          el('td', { class: 'num reached', text: num(g.reachedWorkOrEducation) }),
          el('td', { class: 'num goal-share', text: pct(g.goalShare) }),
          el('td', { class: 'goal', text: goalText({ goal: r.goal, goalMet: g.goalMet }) }),
          el('td', { class: 'num share-of-exits', text: pct(g.shareOfExits) }));
      });
      const outcomeRows = Object.keys(r.total.exitsByOutcomeGroup).map(function (k) {
        return el('tr', { 'data-key': k }, el('th', { scope: 'row', text: sym('outcomeGroup', k) }),
          groups.map(function (g) { return el('td', { class: 'num', text: num(g.exitsByOutcomeGroup[k]) }); }));
      });
      const counts = function (id, caption, map, prefix) {
        return countTable(id, caption, Object.keys(map).map(function (k) { return { key: k, count: map[k] }; }), prefix);
      };
      const dayRows = [['all', r.daysInProject], ['exited', r.daysInProjectOfExited], ['active', r.daysInProjectOfActive]]
        .map(function (p) {
          return el('tr', { 'data-key': p[0] }, el('th', { scope: 'row', text: t('report.days.' + p[0]) }),
            el('td', { class: 'num', text: num(p[1].count) }), el('td', { class: 'num', text: num(p[1].lowerQuartile) }),
            el('td', { class: 'num', text: num(p[1].median) }), el('td', { class: 'num', text: num(p[1].upperQuartile) }));
        });
      const c = r.coopWonca;
      return el('section', { class: 'panel wide report', id: 'report' },
        el('h2', { id: 'report-title', text: r.name + ' (' + r.cohortId + ')' }),
        el('p', { id: 'report-as-of', text: t('report.asOf') + ' ' + r.asOf + ' · ' + t('report.period') + ' ' + r.periodStart
          + ' – ' + r.periodEnd + ' · ' + t('overview.goal') + ': ' + (r.goal === null ? t('overview.noGoal') : pct(r.goal)) }),
        el('p', { id: 'report-referrals', text: t('report.referred') + ': ' + num(r.referred) + ' · '
          + t('report.declined') + ': ' + num(r.referralsDeclined) }),
        el('button', { type: 'button', id: 'report-print', class: 'no-print', text: t('report.print'),
          onclick: function () { window.print(); } }),
        rowsTable('report-groups', t('report.groups'), [t('overview.targetGroups'), t('overview.takenIn'), t('overview.active'),
          t('overview.exits'), t('overview.intoWork'), t('overview.goalShare'), t('overview.goal'), t('overview.shareOfExits')], groupRows),
        shown('byOutcomeGroup', 'overview.outcomeGroups', function () {
          return rowsTable('report-outcomes', t('overview.outcomeGroups'), [t('overview.outcomeGroups')].concat(groups.map(function (g) {
            return g.targetGroup === 'ALL' ? t('report.all') : sym('targetGroup', g.targetGroup);
          })), outcomeRows);
        }),
        shown('byExitReason', 'overview.exitReasons', function () {
          return counts('report-exit-reasons', t('overview.exitReasons'), r.exitsByReason, 'exitReason');
        }),
        shown('bySituation', 'report.situations', function () {
          return counts('report-situations', t('report.situations'), r.situationOfEveryoneTakenIn, 'situation');
        }),
        counts('report-phases', t('report.phases'), r.phaseOfActive, 'phase'),
        rowsTable('report-days', t('report.days'), ['', t('common.count'), t('report.lowerQuartile'), t('report.median'),
          t('report.upperQuartile')], dayRows),
        shown('coopWonca', 'overview.coop', function () {
          return el('table', { id: 'report-coop', class: 'counts' }, el('caption', { text: t('overview.coop') }),
            el('tbody', null, [['coopPairs', c.pairs], ['coopMeanFirst', c.meanFirst], ['coopMeanLatest', c.meanLatest],
              ['coopMeanFirstAllMeasured', c.meanFirstAllMeasured], ['coopBest', c.best], ['coopWorst', c.worst],
              ['coopImproved', c.improved], ['coopUnchanged', c.unchanged], ['coopWorsened', c.worsened]].map(function (p) {
              return el('tr', { 'data-key': p[0] }, el('th', { scope: 'row', text: t('overview.' + p[0]) }),
                el('td', { class: 'num', text: num(p[1]) }));
            })));
        }));
    });
  }

  function render(data) {
    sections.start();
    if (view === 'overview') {
      renderOverview(data);
    } else if (view === 'worklist') {
      renderWorklist(data);
    } else if (view === 'review') {
      renderReview(data);
    } else if (view === 'report') {
      renderReport(data);
    } else {
      renderTasks(data);
    }
  }

  // ---- marking a task done -------------------------------------------------------------------------

  async function markDone(taskId, outcome, button) {
    const status = document.getElementById('action-status');
    const row = button.closest('tr');
    row.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    status.textContent = t('tasks.marking');
    try {
      const response = await fetch('/api/v1/tasks/' + encodeURIComponent(taskId) + '/done', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ outcome: outcome }),
      });
      const body = await response.json().catch(function () { return {}; });
      if (response.status === 202) {
        status.textContent = sym('taskKind', row.getAttribute('data-kind')) + ' · ' + sym('outcome', outcome) + ': ' + t('tasks.marked');
        status.setAttribute('data-result', 'marked');
      } else {
        status.textContent = t('tasks.failed') + ': ' + (body.error || response.status);
        status.setAttribute('data-result', 'failed');
        row.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
      }
    } catch (e) {
      status.textContent = t('tasks.failed') + ': ' + e.message;
      status.setAttribute('data-result', 'failed');
      row.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
    }
  }

  // ---- live stream ---------------------------------------------------------------------------------

  function connect() {
    const q = new URLSearchParams();
    q.set('view', view);
    FILTERS.forEach(function (f) { if (filters[f]) { q.set(f, filters[f]); } });
    setLive('connecting');
    source = new EventSource('/api/v1/stream?' + q.toString());
    source.addEventListener('open', function () { setLive('live'); });
    source.addEventListener('view', function (event) {
      const message = JSON.parse(event.data);
      render(message.data);
      setLive('live', message.data.asOf);
    });
    source.addEventListener('failure', function (event) {
      const message = JSON.parse(event.data);
      source.close();
      const content = document.getElementById('content');
      content.textContent = '';
      const shown = view === 'overview' || message.filter || message.limit
        ? t('error.generic') + ': ' + message.error : t('error.rowsNotAllowed');
      content.appendChild(el('p', { class: 'error', role: 'alert', text: shown }));
    });
    source.addEventListener('error', function () {
      setLive('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        // the browser gave up (e.g. the session ended): check the session, then reconnect
        setTimeout(function () {
          getJson('/api/v1/me').then(connect).catch(function () { /* redirected or still down */ });
        }, 3000);
      }
    });
  }

  async function init() {
    const labels = await getJson('/api/v1/labels?lang=' + lang);
    me = await getJson('/api/v1/me');
    F.configure(labels, me.zone);
    applyLabels();
    renderChrome();
    connect();
  }

  F.start(init);
}(window.Followup));
