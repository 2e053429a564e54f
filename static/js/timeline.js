// The timeline under the map: a histogram of the incidents that match the
// filters (whatever their dates), by day, week or month. Solid bars are
// incidents known to the day; the pale part on top is the share of less
// precise ones that may fall in each bar. Dragging across it picks a date
// range; play steps that range through time. Crossing status changes are
// marked on it. Drawn with DOM calls, never markup strings.
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

export class Timeline {
  constructor(container, onRange) {
    this.onRange = onRange;
    this.playButton = el('button', { type: 'button', class: 'timeline-play', 'data-testid': 'timeline-play', 'aria-label': 'Play through time' }, '▶ Play');
    this.clearButton = el('button', { type: 'button', class: 'timeline-clear', 'data-testid': 'timeline-clear' }, 'All dates');
    this.label = el('span', { class: 'timeline-label', 'aria-live': 'polite', 'data-testid': 'timeline-label' }, '');
    this.svg = svg('svg', { class: 'timeline-chart', role: 'img', 'aria-label': 'Incidents over time', preserveAspectRatio: 'none', 'data-testid': 'timeline-chart' });
    container.replaceChildren(el('div', { class: 'timeline-bar' }, this.playButton, this.clearButton, this.label), this.svg);
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
    if (!bins.length) { this.label.textContent = 'No dated incidents'; return; }
    const max = Math.max(1, ...bins.map((b) => b.exact + b.spread));
    const bw = w / bins.length;
    bins.forEach((b, i) => {
      const inRange = (from || to) && (!from || b.end >= from) && (!to || b.start <= to);
      const x = i * bw;
      const he = (b.exact / max) * (h - 18);
      const hs = (b.spread / max) * (h - 18);
      const g = svg('g', { class: `bin${inRange ? ' in-range' : ''}` });
      const title = svg('title');
      title.textContent = `${b.start}${b.start !== b.end ? ` to ${b.end}` : ''}: ${b.exact} known to the day${b.spread ? `, about ${b.spread.toFixed(1)} less precise` : ''}`;
      g.append(title,
        svg('rect', { x, y: 0, width: bw, height: h, class: 'bin-hit' }),
        svg('rect', { x: x + bw * 0.1, y: h - he, width: bw * 0.8, height: he, class: 'bin-exact' }),
        svg('rect', { x: x + bw * 0.1, y: h - he - hs, width: bw * 0.8, height: hs, class: 'bin-spread' }));
      this.svg.append(g);
    });
    const lo = bins[0].start, hi = bins[bins.length - 1].end;
    const at = (date) => ((Date.parse(date) - Date.parse(lo)) / (Date.parse(hi) - Date.parse(lo) + 86400000)) * w;
    for (const m of marks) {
      if (m.date < lo || m.date > hi) continue;
      const x = at(m.date);
      const mark = svg('g', { class: 'timeline-mark', 'data-testid': 'timeline-mark' });
      const title = svg('title');
      title.textContent = `${m.date}: ${m.text}`;
      mark.append(title, svg('line', { x1: x, x2: x, y1: 0, y2: h }), svg('path', { d: `M${x - 6} 0 L${x + 6} 0 L${x} 10 Z` }));
      this.svg.append(mark);
    }
    this.label.textContent = from || to ? `${from || 'start'} to ${to || 'end'}` : `All dates (${bins[0].start} to ${bins[bins.length - 1].end}, by ${unit})`;
  }

  // brush lets a pointer drag pick a range of bins.
  brush() {
    let startBin = null;
    let shade = null;
    const binAt = (ev) => {
      const r = this.svg.getBoundingClientRect();
      return Math.max(0, Math.min(this.bins.length - 1, Math.floor(((ev.clientX - r.left) / r.width) * this.bins.length)));
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
      const bw = 1000 / this.bins.length;
      shade.setAttribute('x', a * bw);
      shade.setAttribute('width', (b - a + 1) * bw);
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
    this.playButton.textContent = '❚❚ Pause';
    this.playButton.setAttribute('aria-label', 'Pause');
    const step = () => {
      this.onRange([this.bins[a].start, this.bins[b].end]);
      if (b >= this.bins.length - 1) { this.stop(); return; }
      a += 1; b += 1;
    };
    step();
    this.timer = setInterval(step, 900);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = '▶ Play';
    this.playButton.setAttribute('aria-label', 'Play through time');
  }
}
