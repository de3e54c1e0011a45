// The COOP/WONCA history of the participant page as a small inline SVG: the average of each
// measurement, 1 (best) at the top and 5 (worst) at the bottom, every point a square with its number,
// so the chart reads without colour; the table under it holds the same figures.
'use strict';

window.FollowupChart = (function (F) {
  const t = F.t;
  const num = F.num;
  const date = F.date;
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

  return { scoreChart: scoreChart };
}(window.Followup));
