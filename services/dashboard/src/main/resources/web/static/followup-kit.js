// What the participant page's scripts share: the page's language, its labels, building DOM nodes
// (text always as textContent, never as HTML), and times in the dashboard's zone.
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

  /**
   * Now in the dashboard's zone as a form's date-and-time value (2026-05-12T13:30), whatever zone the
   * device is set to: a form opened now fills it in as when something happened.
   */
  function localNow() {
    const parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
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
    if (response.status === 401) {
      window.location.assign('/login?lang=' + lang + '&next=' + encodeURIComponent(window.location.pathname + window.location.search));
      throw new Error('signed out');
    }
    return { status: response.status, body: await response.json().catch(function () { return {}; }) };
  }

  return {
    lang: lang, locale: locale, configure: configure, zone: function () { return zone; },
    has: has, t: t, sym: sym, fieldLabel: fieldLabel, el: el, num: num, dateTime: dateTime, date: date, localNow: localNow, uuid: uuid,
    getJson: getJson,
  };
}());
