// One participant's page: status, open tasks, upcoming meetings, the COOP/WONCA history and the
// events in words, kept live over server-sent events; the forms are participant-forms.js.
// Plain DOM code: text goes in with textContent, never as HTML.
'use strict';

(function (F, Forms, Chart) {
  const VIEWS = ['overview', 'worklist', 'review', 'tasks'];
  const lang = F.lang;
  const t = F.t;
  const sym = F.sym;
  const fieldLabel = F.fieldLabel;
  const el = F.el;
  const num = F.num;
  const dateTime = F.dateTime;
  const getJson = F.getJson;
  const setLive = F.setLive;
  const rowsTable = F.rowsTable;
  const participantId = decodeURIComponent(window.location.pathname.split('/')[2] || '');

  let me = null;
  let forms = {};
  let page = null; // the latest data pushed
  let source = null;
  let awaitingEnrolment = false; // an enrolment was recorded here: the page appears once it is processed
  const sections = F.sections();

  // ---- chrome ------------------------------------------------------------------------------------

  function renderChrome() {
    F.applyLabels();
    document.title = t('participant.heading') + ' ' + participantId + ' – ' + t('app.title');
    document.getElementById('participant-id').textContent = participantId;
    const links = document.getElementById('view-links');
    links.textContent = '';
    VIEWS.forEach(function (v) {
      if (v === 'overview' || me.participantRows) {
        links.appendChild(el('li', null, el('a', { href: '/?view=' + v + '&lang=' + lang, id: 'nav-' + v, text: t('nav.' + v) })));
      }
    });
    document.getElementById('search-lang').value = lang;
    document.getElementById('search-id').value = participantId;
    document.getElementById('lang-nb').setAttribute('href', '?lang=nb');
    document.getElementById('lang-en').setAttribute('href', '?lang=en');
    document.getElementById(lang === 'en' ? 'lang-en' : 'lang-nb').setAttribute('aria-current', 'true');
    F.showSession(me);
  }

  // ---- the page ----------------------------------------------------------------------------------

  function summaryPanel(s) {
    const items = [
      ['participant.situation', sym('situation', s.situation), 'summary-situation'],
      ['participant.phase', sym('phase', s.phase), 'summary-phase'],
      ['participant.office', s.officeId],
      ['participant.cohort', s.cohortId || '–'],
      ['participant.coordinator', s.coordinatorId || '–', 'summary-coordinator'],
      ['participant.counsellor', s.counsellorId || '–'],
      ['participant.enrolled', s.enrolled ? dateTime(s.enrolledAt) : t('participant.notEnrolled')],
      ['participant.daysInProject', s.daysInProject === null ? '–' : num(s.daysInProject) + ' ' + t('common.days')],
      ['participant.targetGroups', s.targetGroups.map(function (g) { return sym('targetGroup', g); }).join(', ') || '–'],
      ['participant.services', sym('services', s.servicesReceived)],
      ['participant.specialists', s.openSpecialists.join(', ') || '–'],
      ['participant.lastContact', dateTime(s.lastContactAt), 'summary-last-contact'],
      ['participant.lastAttempt', s.lastContactAttemptAt ? dateTime(s.lastContactAttemptAt) : '–'],
      ['participant.meetingStats', num(s.meetingsAttended) + ' / ' + num(s.meetingsMissed) + ' / ' + num(s.consecutiveMisses), 'summary-meetings'],
      ['participant.homeVisits', num(s.homeVisits)],
      ['participant.individualPlan', s.individualPlanStartedAt ? dateTime(s.individualPlanStartedAt) : '–'],
      ['participant.scoreChange', s.scoreChange ? sym('scoreChange', s.scoreChange) + ' (' + num(s.scoreCount) + ')' : '–'],
    ];
    if (s.exitedAt) {
      items.push(['participant.exited', dateTime(s.exitedAt)]);
      items.push(['participant.exitReason', sym('exitReason', s.exitReason)]);
    }
    return el('section', { class: 'panel wide' }, el('h2', { text: t('participant.status') }),
      el('dl', { class: 'summary' }, items.map(function (item) {
        return el('div', { class: 'summary-item', id: item[2] || null }, el('dt', { text: t(item[0]) }), el('dd', { text: item[1] }));
      })));
  }

  function tasksPanel(tasks) {
    const rows = tasks.map(function (task) {
      return el('tr', { 'data-task-id': task.taskId, 'data-kind': task.kind },
        el('td', { class: 'kind', text: sym('taskKind', task.kind) }),
        el('td', { text: task.meetingStartsAt ? dateTime(task.meetingStartsAt) : '–' }),
        el('td', { text: dateTime(task.dueAt) }),
        el('td', { text: task.pending ? '⏳ ' + t('worklist.marked') + ': ' + sym('outcome', task.pending.outcome) : '–' }));
    });
    return el('section', { class: 'panel wide' }, rowsTable('participant-tasks', t('participant.openTasks'),
      [t('common.kind'), t('worklist.meeting'), t('common.due'), t('common.state')], rows));
  }

  function meetingsPanel(meetings) {
    const rows = meetings.map(function (m) {
      return el('tr', { 'data-meeting': m.meetingId },
        el('td', { class: 'time', text: dateTime(m.startsAt) }),
        el('td', { text: m.kind ? sym('enum.MeetingKind', m.kind) : '–' }),
        el('td', { class: 'state', text: sym('meetingState', m.state) }),
        el('td', { class: 'mono', text: m.meetingId }));
    });
    return el('section', { class: 'panel' }, rowsTable('upcoming-meetings', t('participant.upcoming'),
      [t('common.time'), t('common.kind'), t('common.state'), t('field.meetingId')], rows));
  }

  function coopPanel(scores) {
    const panel = el('section', { class: 'panel wide' }, el('h2', { text: t('participant.coop') }),
      el('p', { class: 'hint', text: t('participant.coopHint') }));
    if (!scores.length) {
      panel.appendChild(el('p', { id: 'coop-none', text: t('participant.coopNone') }));
      return panel;
    }
    panel.appendChild(Chart.scoreChart(scores));
    const charts = forms.FunctionScoreRecorded ? forms.FunctionScoreRecorded.fields.map(function (f) { return f.name; }) : [];
    const rows = scores.map(function (s) {
      return el('tr', null, el('th', { scope: 'row', text: dateTime(s.measuredAt) }),
        s.items.map(function (v) { return el('td', { class: 'num', text: num(v) }); }),
        el('td', { class: 'num average', text: num(s.average) }));
    });
    panel.appendChild(el('table', { id: 'score-table', class: 'rows' },
      el('caption', { text: t('participant.coop') + ' (' + scores.length + ')' }),
      el('thead', null, el('tr', null, el('th', { scope: 'col', text: t('participant.coopMeasured') }),
        charts.map(function (c) { return el('th', { scope: 'col', class: 'num', text: t('field.' + c) }); }),
        el('th', { scope: 'col', class: 'num', text: t('participant.coopAverage') }))),
      el('tbody', null, rows)));
    return panel;
  }

  /** An event's payload in words: each field of its form with its value's label. */
  function details(event) {
    const form = forms[event.type];
    const payload = event.payload || {};
    const parts = [];
    (form ? form.fields : []).forEach(function (f) {
      const value = payload[f.name];
      if (value === null || value === undefined) {
        return;
      }
      let text;
      if (f.input === 'SELECT') {
        text = sym('enum.' + f.enumName, value);
      } else if (f.input === 'CHECKBOXES') {
        text = value.map(function (v) { return sym('enum.' + f.enumName, v); }).join(', ');
      } else if (f.input === 'DATETIME') {
        text = dateTime(value);
      } else if (f.input === 'YES_NO') {
        text = value ? t('form.yes') : t('form.no');
      } else {
        text = num(value) === '–' || typeof value !== 'number' ? String(value) : num(value);
      }
      parts.push(fieldLabel(event.type, f.name) + ': ' + text);
    });
    if (payload.average !== undefined) {
      parts.push(t('participant.coopAverage') + ': ' + num(payload.average));
    }
    return parts.join(' · ');
  }

  function timelinePanel(timeline) {
    const panel = el('section', { class: 'panel wide' }, el('h2', { text: t('participant.timeline') }));
    if (!timeline.available) {
      panel.appendChild(el('p', { class: 'error', role: 'status', id: 'timeline-unavailable', text: t('participant.timelineUnavailable') }));
      return panel;
    }
    const items = timeline.events.map(function (e) {
      return el('li', { 'data-event-id': e.eventId, 'data-type': e.type },
        el('time', { datetime: e.occurredAt, text: dateTime(e.occurredAt) }), ' ',
        el('strong', { class: 'event-type', text: sym('eventType', e.type) }), ' ',
        el('span', { class: 'event-details', text: details(e) }), ' ',
        el('span', { class: 'event-by', text: '(' + t('participant.by') + ' ' + e.actor.staffId + ', '
          + sym('enum.StaffRole', e.actor.role) + '; ' + t('participant.recordedAt') + ' ' + dateTime(e.recordedAt) + ')' }));
    });
    panel.appendChild(items.length ? el('ol', { id: 'timeline', class: 'timeline' }, items) : el('p', { text: t('common.empty') }));
    if (timeline.more) {
      panel.appendChild(el('p', { class: 'hint', text: t('participant.timelineMore') }));
    }
    return panel;
  }

  function render(data) {
    page = data;
    sections.start();
    sections.place('section-summary', data.summary, function () { return summaryPanel(data.summary); });
    sections.place('section-tasks', data.openTasks, function () { return tasksPanel(data.openTasks); });
    sections.place('section-upcoming', data.upcomingMeetings, function () { return meetingsPanel(data.upcomingMeetings); });
    sections.place('section-coop', data.scores, function () { return coopPanel(data.scores); });
    sections.place('section-timeline', data.timeline, function () { return timelinePanel(data.timeline); });
    Forms.setRecordable(data.recordable);
  }

  function notFound(body) {
    const content = document.getElementById('content');
    content.textContent = '';
    content.appendChild(el('p', { id: 'not-found', class: 'error', role: 'alert', text: t('participant.notFound') }));
    Forms.setRecordable((body && body.recordable) || []);
  }

  // ---- live stream -------------------------------------------------------------------------------

  function connect() {
    if (source) {
      source.close();
    }
    setLive('connecting');
    source = new EventSource('/api/v1/stream?view=participant&participant=' + encodeURIComponent(participantId));
    source.addEventListener('open', function () { setLive('live'); });
    source.addEventListener('view', function (event) {
      awaitingEnrolment = false;
      render(JSON.parse(event.data).data);
      setLive('live');
    });
    source.addEventListener('failure', function (event) {
      source.close();
      source = null;
      const message = JSON.parse(event.data);
      if (message.limit) {
        // too many live pages open: say so; reconnecting would only be refused again
        const content = document.getElementById('content');
        content.textContent = '';
        content.appendChild(el('p', { class: 'error', role: 'alert', text: t('error.generic') + ': ' + message.error }));
        return;
      }
      setLive('reconnecting');
      // not found (or no longer visible): say so, and offer what may be recorded for the id (an enrolment)
      getJson('/api/v1/participants/' + encodeURIComponent(participantId)).then(function (answer) {
        if (answer.status === 200) {
          connect();
        } else {
          page = null;
          notFound(answer.body);
          if (awaitingEnrolment) {
            setTimeout(connect, 2000);
          }
        }
      }).catch(function () { /* redirected to sign-in */ });
    });
    source.addEventListener('error', function () {
      setLive('reconnecting');
      if (source && source.readyState === EventSource.CLOSED) {
        setTimeout(function () { getJson('/api/v1/me').then(connect).catch(function () { /* redirected */ }); }, 3000);
      }
    });
  }

  async function init() {
    const labels = (await getJson('/api/v1/labels?lang=' + lang)).body;
    me = (await getJson('/api/v1/me')).body;
    F.configure(labels, me.zone);
    (await getJson('/api/v1/forms')).body.forms.forEach(function (f) { forms[f.type] = f; });
    Forms.init({
      participantId: participantId, me: me, forms: forms, page: function () { return page; },
      recorded: function () {
        if (!page) {
          awaitingEnrolment = true; // a new participant: their page exists once the enrolment is processed
          setTimeout(connect, 1000);
        }
      },
    });
    renderChrome();
    connect();
  }

  F.start(init);
}(window.Followup, window.FollowupForms, window.FollowupChart));
