// The timeline under the map: a histogram of the incidents that match the
// filters (whatever their dates), by day, week or month. Solid bars are
// incidents known to the day; the pale part on top is the share of less
// precise ones that may fall in each bar. Dragging across it picks a date
// range; play steps that range through time. Crossing status changes are
// marked on it. Drawn with DOM calls, never markup strings.
import { el } from './dom.js';
import { locale, rtl, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

export class Timeline {
  constructor(container, onRange) {
    this.onRange = onRange;
    this.playButton = el('button', { type: 'button', class: 'timeline-play', 'data-testid': 'timeline-play', 'aria-label': t('js.timeline.play_label') }, `▶ ${t('js.timeline.play')}`);
    this.clearButton = el('button', { type: 'button', class: 'timeline-clear', 'data-testid': 'timeline-clear' }, t('js.timeline.all'));
    this.label = el('span', { class: 'timeline-label', 'aria-live': 'polite', 'data-testid': 'timeline-label' }, '');
    this.svg = svg('svg', { class: 'timeline-chart', role: 'img', 'aria-label': t('js.timeline.chart'), preserveAspectRatio: 'none', 'data-testid': 'timeline-chart' });
    this.axis = el('div', { class: 'timeline-axis', 'aria-hidden': 'true', 'data-testid': 'timeline-axis' });
    container.replaceChildren(el('div', { class: 'timeline-bar' }, this.playButton, this.clearButton, this.label), this.svg, this.axis);
    this.clearButton.addEventListener('click', () => { this.stop(); this.onRange(null); });
    this.playButton.addEventListener('click', () => (this.timer ? this.stop() : this.play()));
    this.brush();
  }

  // draw shows bins ({start, end, exact, spread}) and marks ({date, text}),
  // with the range [from, to] (dates, or '') highlighted.
  draw(unit, bins, marks, from, to) {
    this.unit = unit;
    this.bins = bins;
    this.range = [from, to];
    const w = 1000, h = 100;
    this.svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    this.svg.replaceChildren();
    this.axis.replaceChildren();
    if (!bins.length) { this.label.textContent = t('js.timeline.none'); return; }
    const max = Math.max(1, ...bins.map((b) => b.exact + b.spread));
    // A lone bar stays a bar, centred, not the chart's whole width.
    const bw = Math.min(w / bins.length, 60);
    const x0 = (w - bw * bins.length) / 2;
    this.x0 = x0;
    this.bw = bw;
    bins.forEach((b, i) => {
      const inRange = (from || to) && (!from || b.end >= from) && (!to || b.start <= to);
      const x = x0 + i * bw;
      const he = (b.exact / max) * (h - 18);
      const hs = (b.spread / max) * (h - 18);
      const g = svg('g', { class: `bin${inRange ? ' in-range' : ''}` });
      const title = svg('title');
      title.textContent = t(b.spread ? 'js.timeline.bin_spread' : 'js.timeline.bin', { range: b.start !== b.end ? t('js.range', { from: b.start, to: b.end }) : b.start, exact: b.exact, spread: b.spread.toFixed(1) });
      g.append(title,
        svg('rect', { x, y: 0, width: bw, height: h, class: 'bin-hit' }),
        svg('rect', { x: x + bw * 0.1, y: h - he, width: bw * 0.8, height: he, class: 'bin-exact' }),
        svg('rect', { x: x + bw * 0.1, y: h - he - hs, width: bw * 0.8, height: hs, class: 'bin-spread' }));
      this.svg.append(g);
    });
    const lo = bins[0].start, hi = bins[bins.length - 1].end;
    const span = Date.parse(hi) - Date.parse(lo) + 86400000;
    const at = (date) => x0 + ((Date.parse(date) - Date.parse(lo)) / span) * bw * bins.length;
    // Labels never overlap or run off an edge: on a narrow axis, every
    // second (third ...) tick is labelled, each about 56 px wide.
    const px = this.axis.clientWidth || w;
    const placed = ticks(lo, hi).map((t) => ({ ...t, x: (at(t.date) / w) * px })).filter((t) => t.x >= 24 && t.x <= px - 24);
    const step = placed.length > 1 ? Math.max(1, Math.ceil(56 / (placed[1].x - placed[0].x))) : 1;
    placed.forEach((t, i) => {
      if (i % step !== 0) return;
      this.axis.append(el('span', { class: 'tick', 'data-date': t.date }, t.text));
      this.axis.lastChild.style.left = `${(t.x / px) * 100}%`;
    });
    // While playing, a playhead marks where the range ends.
    if (this.timer && to) {
      const x = at(to) + bw * 0.5;
      this.svg.append(svg('line', { x1: x, x2: x, y1: 0, y2: h, class: 'playhead', 'data-testid': 'playhead' }));
    }
    for (const m of marks) {
      if (m.date < lo || m.date > hi) continue;
      const x = at(m.date);
      const mark = svg('g', { class: 'timeline-mark', 'data-testid': 'timeline-mark' });
      const title = svg('title');
      title.textContent = `${m.date}: ${m.text}`;
      mark.append(title, svg('line', { x1: x, x2: x, y1: 0, y2: h }), svg('path', { d: `M${x - 6} 0 L${x + 6} 0 L${x} 10 Z` }));
      this.svg.append(mark);
    }
    this.label.textContent = from || to ? t('js.range', { from: from || t('js.range.start'), to: to || t('js.range.end') }) : t('js.timeline.label', { from: bins[0].start, to: bins[bins.length - 1].end, unit: t(`js.unit.${unit}`) });
  }

  // brush lets a pointer drag pick a range of bins.
  brush() {
    let startBin = null;
    let shade = null;
    const binAt = (ev) => {
      const r = this.svg.getBoundingClientRect();
      // Right to left, time runs from the right (the chart is mirrored).
      const ratio = (ev.clientX - r.left) / r.width;
      const x = (rtl ? 1 - ratio : ratio) * 1000;
      return Math.max(0, Math.min(this.bins.length - 1, Math.floor((x - this.x0) / this.bw)));
    };
    this.svg.addEventListener('pointerdown', (ev) => {
      if (!this.bins || !this.bins.length) return;
      this.stop();
      startBin = binAt(ev);
      this.svg.setPointerCapture(ev.pointerId);
      shade = svg('rect', { class: 'brush', y: 0, height: 100 });
      this.svg.append(shade);
      ev.preventDefault();
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (startBin === null) return;
      const [a, b] = [startBin, binAt(ev)].sort((x, y) => x - y);
      shade.setAttribute('x', this.x0 + a * this.bw);
      shade.setAttribute('width', (b - a + 1) * this.bw);
    });
    this.svg.addEventListener('pointerup', (ev) => {
      if (startBin === null) return;
      const [a, b] = [startBin, binAt(ev)].sort((x, y) => x - y);
      startBin = null;
      this.onRange([this.bins[a].start, this.bins[b].end]);
    });
  }

  // play steps the selected range (or one bar) forward through time.
  play() {
    if (!this.bins || !this.bins.length) return;
    let [from, to] = this.range;
    let a = from ? this.bins.findIndex((b) => b.end >= from) : 0;
    let b = to ? this.bins.findIndex((bin) => bin.end >= to) : 0;
    if (a < 0) a = 0;
    if (b < a) b = a;
    const width = b - a;
    if (b >= this.bins.length - 1) { a = 0; b = width; }
    this.playButton.textContent = `❚❚ ${t('js.timeline.pause')}`;
    this.playButton.setAttribute('aria-label', t('js.timeline.pause'));
    const empty = (i, j) => this.bins.slice(i, j + 1).every((bin) => bin.exact + bin.spread === 0);
    const step = () => {
      this.onRange([this.bins[a].start, this.bins[b].end]);
      if (b >= this.bins.length - 1) { this.stop(); return; }
      a += 1; b += 1;
      // Skip stretches where nothing happened.
      while (b < this.bins.length - 1 && empty(a, b)) { a += 1; b += 1; }
    };
    step();
    this.timer = setInterval(step, 900);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = `▶ ${t('js.timeline.play')}`;
    this.playButton.setAttribute('aria-label', t('js.timeline.play_label'));
  }
}

// ticks are the axis labels between two dates: years, months, weeks or
// days, whichever gives a handful.
export function ticks(lo, hi) {
  const a = new Date(`${lo}T00:00:00Z`), b = new Date(`${hi}T00:00:00Z`);
  const days = (b - a) / 86400000;
  const out = [];
  const iso = (d) => d.toISOString().slice(0, 10);
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  if (days > 3 * 365) {
    for (let y = a.getUTCFullYear() + 1; y <= b.getUTCFullYear(); y++) out.push({ date: `${y}-01-01`, text: String(y) });
  } else if (days > 75) {
    const stepMonths = days > 730 ? 6 : days > 365 ? 3 : 1;
    const d = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 1));
    for (; d <= b; d.setUTCMonth(d.getUTCMonth() + stepMonths)) out.push({ date: iso(d), text: month.format(d) });
  } else {
    const stepDays = days > 21 ? 7 : days > 7 ? 2 : 1;
    for (const d = new Date(a); d <= b; d.setUTCDate(d.getUTCDate() + stepDays)) out.push({ date: iso(d), text: day.format(d) });
  }
  return out;
}
