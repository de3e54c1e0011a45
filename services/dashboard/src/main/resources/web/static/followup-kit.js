// What the dashboard's and the participant page's scripts share: the page's language, its labels,
// building DOM nodes (text always as textContent, never as HTML), times in the dashboard's zone,
// reading the API, and the live sections and header every page has.
'use strict';

window.Followup = (function () {
  const params = new URLSearchParams(window.location.search);
  const lang = params.get('lang') === 'en' ? 'en' : 'nb';
  const locale = lang === 'en' ? 'en-GB' : 'nb-NO';
  let labels = {};
  let zone = 'Europe/Oslo';

  /** Sets what the server said: the labels of the page's language and the dashboard's zone. */
  function configure(newLabels, newZone) {
    labels = newLabels;
    zone = newZone || zone;
  }

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
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });

  function num(n) {
    return n === null || n === undefined ? '–' : numberFormat.format(n);
  }

  function pct(share) {
    return share === null || share === undefined ? '–' : percentFormat.format(share);
  }

  function dateTime(iso) {
    if (!iso) {
      return t('common.never');
    }
    return new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  }

  function time(iso) {
    if (!iso) {
      return '–';
    }
    return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  }

  function date(iso) {
    return iso ? new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short' }).format(new Date(iso)) : '–';
  }

  /**
   * How far the server's clock is ahead of this device's, in ms, from the Date header of the last
   * answer: a tablet whose clock is off (or a server run at another hour) must not fill a form with a
   * time the intake refuses as in the future.
   */
  let serverClockAheadMs = 0;

  function noteServerClock(response) {
    const serverDate = Date.parse(response.headers.get('Date') || '');
    if (!Number.isNaN(serverDate)) {
      serverClockAheadMs = serverDate - Date.now();
    }
  }

  /**
   * Now, by the server's clock, in the dashboard's zone as a form's date-and-time value
   * (2026-05-12T13:30), whatever zone the device is set to: a form opened now fills it in as when
   * something happened.
   */
  function localNow() {
    const parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() + serverClockAheadMs))
      .forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + '-' + parts.month + '-' + parts.day + 'T' + parts.hour + ':' + parts.minute;
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
    noteServerClock(response);
    if (response.status === 401) {
      window.location.assign('/login?lang=' + lang + '&next=' + encodeURIComponent(window.location.pathname + window.location.search));
      throw new Error('signed out');
    }
    return { status: response.status, body: await response.json().catch(function () { return {}; }) };
  }

  /** The body of an answer that must succeed: any other status is an error naming the path. */
  async function getOkJson(path) {
    const answer = await getJson(path);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(path + ' answered ' + answer.status);
    }
    return answer.body;
  }

  /** Puts the labels into the page's static text (the [data-label] elements) and sets its language. */
  function applyLabels() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-label]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-label'));
    });
  }

  /** The header's session part: who is signed in, and whether this is a local (demo) instance. */
  function showSession(me) {
    document.getElementById('local-mode').hidden = !me.localMode;
    document.getElementById('user-info').textContent = t('app.signedInAs') + ' ' + me.staffId + ' (' + me.roles.join(', ') + ')';
  }

  /** The header's live indicator; when live, asOf (if given) says when the data was last updated. */
  function setLive(state, asOf) {
    const node = document.getElementById('live-status');
    node.className = 'live-status ' + state;
    node.textContent = state === 'live' ? '● ' + t('app.live') + (asOf ? ' · ' + t('app.updated') + ' ' + time(asOf) : '')
        : state === 'reconnecting' ? '○ ' + t('app.reconnecting') : '… ' + t('app.connecting');
    node.setAttribute('data-state', state);
  }

  /**
   * The sections of #content in render order. Each render calls start(), then place() for every
   * section: a section is rebuilt only when its data changed, so open pages do not flicker.
   */
  function sections() {
    const cache = {};
    let index = 0;
    return {
      start: function () {
        const loading = document.getElementById('loading');
        if (loading) {
          loading.remove();
        }
        index = 0;
      },
      place: function (id, data, build) {
        const content = document.getElementById('content');
        const json = JSON.stringify(data);
        let node = document.getElementById(id);
        if (!node || cache[id] !== json) {
          cache[id] = json;
          const fresh = build();
          fresh.id = id;
          if (node) {
            node.replaceWith(fresh);
          }
          node = fresh;
        }
        const current = content.children[index];
        if (current !== node) {
          content.insertBefore(node, current || null);
        }
        index++;
      },
    };
  }

  /** Runs the page's init once the document is parsed; if it fails, the error takes the place of the content. */
  function start(init) {
    async function run() {
      try {
        await init();
      } catch (e) {
        const content = document.getElementById('content');
        content.textContent = '';
        content.appendChild(el('p', { class: 'error', role: 'alert', text: 'Error: ' + e.message }));
      }
    }
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', run);
    } else {
      run();
    }
  }

  /** A table of rows with a caption counting them, and one row saying so when there are none. */
  function rowsTable(tableId, caption, headers, rows, emptyColspan) {
    const body = rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: emptyColspan || headers.length, text: t('common.empty') }))];
    return el('table', { id: tableId, class: 'rows' },
      el('caption', { text: caption + ' (' + rows.length + ')' }),
      el('thead', null, el('tr', null, headers.map(function (h) { return el('th', { scope: 'col', text: h }); }))),
      el('tbody', null, body));
  }

  return {
    lang: lang, locale: locale, configure: configure, zone: function () { return zone; },
    has: has, t: t, sym: sym, fieldLabel: fieldLabel, el: el, num: num, pct: pct, dateTime: dateTime, time: time, date: date,
    localNow: localNow, uuid: uuid, getJson: getJson, getOkJson: getOkJson, applyLabels: applyLabels, showSession: showSession,
    setLive: setLive, sections: sections, rowsTable: rowsTable, start: start,
  };
}());
