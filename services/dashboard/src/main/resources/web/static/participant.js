// One participant's page: status, open tasks, upcoming meetings, the COOP/WONCA history and the
// events in words, kept live over server-sent events; and the forms that record what happened,
// built from the form descriptions the server generates from the event contract.
// Plain DOM code: text goes in with textContent, never as HTML.
'use strict';

(function () {
  const VIEWS = ['overview', 'worklist', 'review', 'tasks'];
  const params = new URLSearchParams(window.location.search);
  const lang = params.get('lang') === 'en' ? 'en' : 'nb';
  const locale = lang === 'en' ? 'en-GB' : 'nb-NO';
  const participantId = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  const ENROLMENT = 'ParticipantEnrolled';

  let labels = {};
  let me = null;
  let zone = 'Europe/Oslo';
  let forms = {};
  let page = null; // the latest data pushed
  let recordable = [];
  let source = null;
  let awaitingEnrolment = false; // an enrolment was recorded here: the page appears once it is processed
  const sectionCache = {};
  let renderIndex = 0;

  // ---- helpers -----------------------------------------------------------------------------------

  function has(key) {
    return Object.prototype.hasOwnProperty.call(labels, key);
  }

  function t(key) {
    return has(key) ? labels[key] : key;
  }

  function sym(prefix, symbol) {
    if (symbol === null || symbol === undefined) {
      return t('common.unknown');
    }
    return has(prefix + '.' + symbol) ? labels[prefix + '.' + symbol] : symbol;
  }

  function fieldLabel(type, name) {
    return has('field.' + type + '.' + name) ? labels['field.' + type + '.' + name] : t('field.' + name);
  }

  function el(tag, attrs) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      const value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === 'text') {
        node.textContent = String(value);
      } else if (name === 'class') {
        node.className = value;
      } else if (name === 'value' || name === 'checked' || name === 'disabled' || name === 'readOnly' || name === 'selected') {
        node[name] = value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    });
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (Array.isArray(child)) {
        child.forEach(function (c) { if (c) { node.appendChild(c); } });
      } else if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  function num(n) {
    return n === null || n === undefined ? '–' : numberFormat.format(n);
  }

  function dateTime(iso) {
    if (!iso) {
      return t('common.never');
    }
    return new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  }

  function date(iso) {
    return iso ? new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short' }).format(new Date(iso)) : '–';
  }

  /** A random (version 4) UUID; crypto.getRandomValues works on plain http too. */
  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, '0'); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  async function getJson(path) {
    const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      window.location.assign('/login?lang=' + lang + '&next=' + encodeURIComponent(window.location.pathname + window.location.search));
      throw new Error('signed out');
    }
    return { status: response.status, body: await response.json().catch(function () { return {}; }) };
  }

  // ---- chrome ------------------------------------------------------------------------------------

  function renderChrome() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-label]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-label'));
    });
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
    document.getElementById('local-mode').hidden = !me.localMode;
    document.getElementById('user-info').textContent = t('app.signedInAs') + ' ' + me.staffId + ' (' + me.roles.join(', ') + ')';
  }

  function setLive(state) {
    const node = document.getElementById('live-status');
    node.className = 'live-status ' + state;
    node.textContent = state === 'live' ? '● ' + t('app.live') : state === 'reconnecting' ? '○ ' + t('app.reconnecting') : '… ' + t('app.connecting');
    node.setAttribute('data-state', state);
  }

  /** Replaces a section only when its data changed (see app.js); keeps sections in order. */
  function section(id, data, build) {
    const content = document.getElementById('content');
    const json = JSON.stringify(data);
    let node = document.getElementById(id);
    if (!node || sectionCache[id] !== json) {
      sectionCache[id] = json;
      const fresh = build();
      fresh.id = id;
      if (node) {
        node.replaceWith(fresh);
      }
      node = fresh;
    }
    const current = content.children[renderIndex];
    if (current !== node) {
      content.insertBefore(node, current || null);
    }
    renderIndex++;
  }

  function table(tableId, caption, headers, rows) {
    const body = rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: headers.length, text: t('common.empty') }))];
    return el('table', { id: tableId, class: 'rows' },
      el('caption', { text: caption + ' (' + rows.length + ')' }),
      el('thead', null, el('tr', null, headers.map(function (h) { return el('th', { scope: 'col', text: h }); }))),
      el('tbody', null, body));
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
    return el('section', { class: 'panel wide' }, table('participant-tasks', t('participant.openTasks'),
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
    return el('section', { class: 'panel' }, table('upcoming-meetings', t('participant.upcoming'),
      [t('common.time'), t('common.kind'), t('common.state'), t('field.meetingId')], rows));
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /** The averages as a line with marked, numbered points; 1 (best) at the top, 5 (worst) at the bottom. */
  function scoreChart(scores) {
    const width = 520;
    const height = 200;
    const left = 74;
    const right = 20;
    const top = 16;
    const bottom = 36;
    const y = function (v) { return top + (v - 1) / 4 * (height - top - bottom); };
    const inset = 36; // room for the first and last value labels beside the axis
    const x = function (i) {
      return scores.length === 1 ? (left + width - right) / 2 : left + inset + i * (width - left - right - 2 * inset) / (scores.length - 1);
    };
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'score-chart', role: 'img', 'aria-labelledby': 'score-chart-title' });
    chart.appendChild(svg('title', { id: 'score-chart-title' }, t('participant.coopChart') + ': '
      + scores.map(function (s) { return date(s.measuredAt) + ' ' + num(s.average); }).join(', ')));
    [1, 2, 3, 4, 5].forEach(function (v) {
      chart.appendChild(svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
      const tick = v === 1 ? '1 ' + t('overview.coopBest').toLowerCase() : v === 5 ? '5 ' + t('overview.coopWorst').toLowerCase() : String(v);
      chart.appendChild(svg('text', { x: left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, tick));
    });
    if (scores.length > 1) {
      chart.appendChild(svg('polyline', { class: 'score-line', points: scores.map(function (s, i) { return x(i) + ',' + y(s.average); }).join(' ') }));
    }
    scores.forEach(function (s, i) {
      chart.appendChild(svg('rect', { x: x(i) - 5, y: y(s.average) - 5, width: 10, height: 10, class: 'score-point' }));
      chart.appendChild(svg('text', { x: x(i), y: y(s.average) - 10, 'text-anchor': 'middle', class: 'value' }, num(s.average)));
      chart.appendChild(svg('text', { x: x(i), y: height - 12, 'text-anchor': 'middle', class: 'axis' }, date(s.measuredAt)));
    });
    return chart;
  }

  function coopPanel(scores) {
    const panel = el('section', { class: 'panel wide' }, el('h2', { text: t('participant.coop') }),
      el('p', { class: 'hint', text: t('participant.coopHint') }));
    if (!scores.length) {
      panel.appendChild(el('p', { id: 'coop-none', text: t('participant.coopNone') }));
      return panel;
    }
    panel.appendChild(scoreChart(scores));
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
    const loading = document.getElementById('loading');
    if (loading) {
      loading.remove();
    }
    renderIndex = 0;
    section('section-summary', data.summary, function () { return summaryPanel(data.summary); });
    section('section-tasks', data.openTasks, function () { return tasksPanel(data.openTasks); });
    section('section-upcoming', data.upcomingMeetings, function () { return meetingsPanel(data.upcomingMeetings); });
    section('section-coop', data.scores, function () { return coopPanel(data.scores); });
    section('section-timeline', data.timeline, function () { return timelinePanel(data.timeline); });
    setRecordable(data.recordable);
  }

  function notFound(body) {
    const content = document.getElementById('content');
    content.textContent = '';
    content.appendChild(el('p', { id: 'not-found', class: 'error', role: 'alert', text: t('participant.notFound') }));
    setRecordable((body && body.recordable) || []);
  }

  // ---- forms -------------------------------------------------------------------------------------

  function setRecordable(types) {
    if (JSON.stringify(types) === JSON.stringify(recordable)) {
      return;
    }
    recordable = types;
    const panel = document.getElementById('record');
    const list = document.getElementById('record-types');
    list.textContent = '';
    types.forEach(function (type) {
      const button = el('button', { type: 'button', id: 'record-' + type, 'aria-controls': 'form-host',
        class: forms[type] && forms[type].restricted ? 'restricted' : null, text: t('eventType.' + type) });
      button.addEventListener('click', function () { openForm(type); });
      list.appendChild(el('li', null, button));
    });
    panel.hidden = types.length === 0;
  }

  function fieldId(path) {
    return 'field-' + path.replace(/[^A-Za-z0-9]/g, '-');
  }

  /** A labelled input with its error line beside it; the error line's id is what the intake's field name maps to. */
  function wrap(path, labelText, input, required, hint) {
    const id = fieldId(path);
    const errorId = 'error-' + id;
    input.id = input.id || id;
    input.setAttribute('aria-describedby', errorId + (hint ? ' hint-' + id : ''));
    if (required) {
      input.setAttribute('aria-required', 'true');
    }
    return el('div', { class: 'field', 'data-field': path },
      el('label', { for: input.id }, labelText, ' ', el('span', { class: 'req', text: '(' + t(required ? 'form.required' : 'form.optional') + ')' })),
      input,
      hint ? el('span', { class: 'hint', id: 'hint-' + id, text: hint }) : null,
      el('span', { class: 'field-error', id: errorId, 'data-error-for': path }));
  }

  /** A group of radios or checkboxes: one fieldset, its legend the label. */
  function group(path, legend, children, required, extra) {
    const id = fieldId(path);
    return el('fieldset', { class: 'field group', id: id, 'data-field': path, 'aria-describedby': 'error-' + id },
      el('legend', null, legend, ' ', el('span', { class: 'req', text: '(' + t(required ? 'form.required' : 'form.optional') + ')' })),
      extra || null,
      el('div', { class: 'choices' }, children),
      el('span', { class: 'field-error', id: 'error-' + id, 'data-error-for': path }));
  }

  function choice(type, name, value, text, checked) {
    const id = fieldId(name + '-' + value);
    return el('label', { class: 'choice', for: id }, el('input', { type: type, name: name, id: id, value: value, checked: checked }), ' ', text);
  }

  function meetingLabel(m) {
    return dateTime(m.startsAt) + ' · ' + (m.kind ? sym('enum.MeetingKind', m.kind) : '–') + ' · ' + sym('meetingState', m.state);
  }

  function input(type, f, state) {
    const path = 'payload.' + f.name;
    const label = fieldLabel(type, f.name);
    switch (f.input) {
      case 'SELECT': {
        const select = el('select', { name: path }, el('option', { value: '', text: t('form.chooseOne') }),
          f.options.map(function (o) { return el('option', { value: o, text: sym('enum.' + f.enumName, o) }); }));
        return wrap(path, label, select, f.required);
      }
      case 'CHECKBOXES':
        return group(path, label, f.options.map(function (o) { return choice('checkbox', path, o, sym('enum.' + f.enumName, o), false); }), f.required);
      case 'DATETIME':
        return wrap(path, label, el('input', { type: 'datetime-local', name: path }), f.required, t('form.timeHint'));
      case 'NUMBER':
        return wrap(path, label, el('input', { type: 'number', name: path, min: f.min, max: f.max, inputmode: 'numeric' }), f.required);
      case 'SCORE':
        return group(path, label, [1, 2, 3, 4, 5].map(function (v) { return choice('radio', path, String(v), String(v), false); }), f.required,
          el('p', { class: 'score-wording' }, el('span', { text: t('score.' + f.name + '.question') }), el('br'),
            el('span', { class: 'hint', text: t('score.' + f.name + '.best') + ' … ' + t('score.' + f.name + '.worst') + ' (' + t('form.scoreScale') + ')' })));
      case 'YES_NO':
        return group(path, label, [choice('radio', path, 'true', t('form.yes'), false), choice('radio', path, 'false', t('form.no'), false)], f.required);
      case 'MEETING': {
        const meetings = (page ? page.meetings : []);
        const select = el('select', { name: path },
          el('option', { value: '', text: f.required ? t('form.chooseMeeting') : t('form.noMeeting') }),
          meetings.map(function (m) { return el('option', { value: m.meetingId, text: meetingLabel(m) }); }));
        return wrap(path, label, select, f.required);
      }
      case 'NEW_MEETING':
        return wrap(path, t('form.newMeetingId'), el('input', { type: 'text', name: path, value: state.meetingId, readOnly: true, class: 'mono' }), true);
      case 'STAFF':
        return wrap(path, label, el('input', { type: 'text', name: path, value: me.staffId, maxlength: f.maxLength, autocomplete: 'off', spellcheck: 'false' }),
          f.required, t('form.selfDefault'));
      default:
        return wrap(path, label, el('input', { type: 'text', name: path, maxlength: f.maxLength, autocomplete: 'off', spellcheck: 'false' }), f.required);
    }
  }

  /** Opens the form of an event type, with a fresh eventId: sending it twice records it once. */
  function openForm(type) {
    const form = forms[type];
    const state = { type: type, eventId: uuid(), meetingId: 'm-' + uuid().slice(0, 8), sending: false };
    const host = document.getElementById('form-host');
    host.textContent = '';
    const node = el('form', { id: 'event-form', class: 'event-form', novalidate: true, 'data-type': type, 'data-event-id': state.eventId,
      'aria-labelledby': 'event-form-title' });
    node.appendChild(el('h3', { id: 'event-form-title', text: t('eventType.' + type) }));
    node.appendChild(el('div', { id: 'form-errors', class: 'form-errors', role: 'alert', tabindex: '-1' }));
    if (form.restricted) {
      node.appendChild(el('p', { class: 'notice warning', text: '⚠ ' + t('form.eraseWarning') }));
    }
    node.appendChild(wrap('occurredAt', t('form.occurredAt'), el('input', { type: 'datetime-local', name: 'occurredAt',
      value: page ? page.localNow : '' }), true, t('form.timeHint')));
    if (type === ENROLMENT && !page) {
      const office = me.allOffices
        ? el('input', { type: 'text', name: 'officeId', inputmode: 'numeric', maxlength: 4, autocomplete: 'off' })
        : el('select', { name: 'officeId' }, me.offices.map(function (o) { return el('option', { value: o, text: o }); }));
      node.appendChild(wrap('officeId', t('field.officeId'), office, true));
      node.appendChild(wrap('cohortId', t('field.cohortId'), el('input', { type: 'text', name: 'cohortId', maxlength: 40, autocomplete: 'off' }), false));
    }
    form.fields.forEach(function (f) { node.appendChild(input(type, f, state)); });
    if (form.restricted) {
      node.appendChild(wrap('confirm', t('form.confirmErase'), el('input', { type: 'text', name: 'confirm', autocomplete: 'off', spellcheck: 'false' }), true));
    }
    const submit = el('button', { type: 'submit', id: 'form-submit', class: form.restricted ? 'restricted' : 'primary', text: t('form.submit') });
    const cancel = el('button', { type: 'button', id: 'form-cancel', text: t('form.cancel') });
    cancel.addEventListener('click', closeForm);
    node.appendChild(el('div', { class: 'actions form-actions' }, submit, cancel));
    node.addEventListener('submit', function (event) {
      event.preventDefault();
      send(node, state, submit);
    });
    node.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        closeForm();
      }
    });
    host.appendChild(node);
    const first = node.querySelector('input:not([readonly]), select');
    if (first) {
      first.focus();
    }
  }

  /** Closes the open form; the keyboard's focus goes back to the button that opened it. */
  function closeForm() {
    const open = document.getElementById('event-form');
    const host = document.getElementById('form-host');
    host.textContent = '';
    const opener = open && document.getElementById('record-' + open.getAttribute('data-type'));
    if (opener) {
      opener.focus();
    }
  }

  /** The form's values as the dashboard's API takes them. */
  function collect(node, type) {
    const body = { eventId: node.getAttribute('data-event-id'), type: type, payload: {} };
    forms[type].fields.forEach(function (f) {
      const path = 'payload.' + f.name;
      if (f.input === 'CHECKBOXES') {
        body.payload[f.name] = Array.from(node.querySelectorAll('input[name="' + path + '"]:checked')).map(function (c) { return c.value; });
      } else if (f.input === 'SCORE' || f.input === 'YES_NO') {
        const checked = node.querySelector('input[name="' + path + '"]:checked');
        body.payload[f.name] = checked ? checked.value : null;
      } else {
        const field = node.querySelector('[name="' + path + '"]');
        body.payload[f.name] = field ? field.value : null;
      }
    });
    ['occurredAt', 'officeId', 'cohortId', 'confirm'].forEach(function (name) {
      const field = node.querySelector('[name="' + name + '"]');
      if (field) {
        body[name] = field.value;
      }
    });
    return body;
  }

  function clearErrors(node) {
    node.querySelectorAll('[data-error-for]').forEach(function (e) { e.textContent = ''; });
    node.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    node.querySelectorAll('.field.invalid').forEach(function (e) { e.classList.remove('invalid'); });
    document.getElementById('form-errors').textContent = '';
  }

  /** Shows each error beside the field it names ("payload.targetGroups[1]" is the targetGroups field). */
  function showErrors(node, body) {
    const general = document.getElementById('form-errors');
    general.appendChild(el('p', { text: (body.error || t('form.failed')) + (body.fields && body.fields.length ? ' ' + t('form.errorsBelow') : '') }));
    let first = null;
    (body.fields || []).forEach(function (error) {
      const path = String(error.field).replace(/\[\d+\]$/, '');
      const target = node.querySelector('[data-error-for="' + CSS.escape(path) + '"]');
      if (!target) {
        general.appendChild(el('p', { class: 'field-error', text: fieldLabel(node.getAttribute('data-type'), path.replace(/^payload\./, '')) + ': ' + error.message }));
        return;
      }
      target.textContent = '✗ ' + error.message;
      const wrapper = target.closest('.field');
      wrapper.classList.add('invalid');
      const control = wrapper.querySelector('input, select');
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        first = first || control;
      }
    });
    (first || general).focus();
  }

  async function send(node, state, submit) {
    if (state.sending) {
      return; // a double click: the first send is on its way (and the server records an eventId once anyway)
    }
    state.sending = true;
    submit.disabled = true;
    clearErrors(node);
    const status = document.getElementById('action-status');
    status.textContent = t('form.sending');
    status.removeAttribute('data-result');
    try {
      const response = await fetch('/api/v1/participants/' + encodeURIComponent(participantId) + '/events', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(collect(node, state.type)),
      });
      const body = await response.json().catch(function () { return {}; });
      if (response.status === 202) {
        status.textContent = '✓ ' + t('eventType.' + state.type) + ': ' + t('form.recorded');
        status.setAttribute('data-result', 'recorded');
        status.setAttribute('data-event-id', body.eventId);
        closeForm();
        if (!page) {
          awaitingEnrolment = true;
          setTimeout(connect, 1000);
        }
        return;
      }
      status.textContent = '✗ ' + (response.status === 400 ? t('form.invalid') : t('form.failed') + ': ' + (body.error || response.status));
      status.setAttribute('data-result', 'failed');
      showErrors(node, body);
    } catch (e) {
      status.textContent = '✗ ' + t('form.failed') + ': ' + e.message;
      status.setAttribute('data-result', 'failed');
    } finally {
      state.sending = false;
      submit.disabled = false;
    }
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
    source.addEventListener('failure', function () {
      source.close();
      source = null;
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
    try {
      labels = (await getJson('/api/v1/labels?lang=' + lang)).body;
      me = (await getJson('/api/v1/me')).body;
      zone = me.zone || zone;
      (await getJson('/api/v1/forms')).body.forms.forEach(function (f) { forms[f.type] = f; });
      renderChrome();
      connect();
    } catch (e) {
      const content = document.getElementById('content');
      content.textContent = '';
      content.appendChild(el('p', { class: 'error', role: 'alert', text: 'Error: ' + e.message }));
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
