// The participant page's forms: one per event type the reader may record, built from the form
// descriptions the server generates from the event contract. A form gets its eventId when it opens,
// so sending it twice records it once; the intake's field errors are shown beside their fields.
'use strict';

window.FollowupForms = (function (F) {
  const t = F.t;
  const sym = F.sym;
  const el = F.el;
  const fieldLabel = F.fieldLabel;
  const dateTime = F.dateTime;
  const uuid = F.uuid;
  const ENROLMENT = 'ParticipantEnrolled';

  let participantId = null;
  let me = null;
  let forms = {};
  let currentPage = function () { return null; };
  let onRecorded = function () { };
  let recordable = [];

  /**
   * @param settings participantId, me (the signed-in user), forms (by type), page (a function giving the
   *     page's latest data, null while the participant is not found) and recorded (called with the type of
   *     each event recorded)
   */
  function init(settings) {
    participantId = settings.participantId;
    me = settings.me;
    forms = settings.forms;
    currentPage = settings.page;
    onRecorded = settings.recorded;
  }

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
        const meetings = (currentPage() ? currentPage().meetings : []);
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
      value: F.localNow() }), true, t('form.timeHint')));
    if (type === ENROLMENT && !currentPage()) {
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
        onRecorded(state.type);
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

  return { init: init, setRecordable: setRecordable };
}(window.Followup));
