// How incidents read: dates at their precision, casualties with "unknown",
// and the popup that gathers it all. Every string from data is set as text.
import { el } from './dom.js';

const DAY = 24 * 3600 * 1000;
const iso = (d) => d.toISOString().slice(0, 10);

export function dateLabel(p) {
  const d = new Date(p.event_date + 'T00:00:00Z');
  if (p.time_precision === 2) return `${iso(new Date(d - 6 * DAY))} to ${p.event_date} (within a week)`;
  if (p.time_precision === 3) {
    const month = d.toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    return `${month} (month known, day not)`;
  }
  return p.event_date;
}

const TIME_PRECISION = { 1: 'day', 2: 'week', 3: 'month' };
const GEO_PRECISION = { 1: 'the place itself', 2: 'near the place', 3: 'region or country' };

export const count = (n) => (n === null || n === undefined ? 'unknown' : String(n));

export function place(p) {
  return [p.location, p.admin1].filter(Boolean).join(', ') + ` (${p.country})`;
}

// typeClass maps an event type to its marker and legend class.
export function typeClass(eventTypes, type) {
  const i = eventTypes.indexOf(type);
  return `type-${i < 0 ? 'other' : i}`;
}

// incidentPopup builds the popup of one incident feature.
export function incidentPopup(f) {
  const p = f.properties;
  const rows = [
    ['Date', `${dateLabel(p)} · date known to the ${TIME_PRECISION[p.time_precision] || '?'}`],
    ['Type', `${p.event_type} › ${p.sub_event_type}`],
    ['Actors', [p.actor1, p.assoc_actor_1 && `(with ${p.assoc_actor_1})`, p.actor2 && `vs ${p.actor2}`,
      p.assoc_actor_2 && `(with ${p.assoc_actor_2})`].filter(Boolean).join(' ')],
    ['Fatalities', count(p.fatalities)],
    ['Injuries', count(p.injuries)],
    ['Place', `${place(p)} · placed ${GEO_PRECISION[p.geo_precision] || '?'}`],
  ];
  const km = (v) => (v === null || v === undefined ? null : `${Number(v).toLocaleString('en-GB', { maximumFractionDigits: 1 })} km`);
  if (km(p.border_km)) rows.push(['To the border', km(p.border_km)]);
  if (km(p.barrier_km)) rows.push(['To the barrier', km(p.barrier_km)]);
  return el('div', { class: 'popup incident-popup', 'data-testid': 'incident-popup' },
    el('h2', { class: 'popup-title' }, p.title),
    (p.disagreements || []).length > 0 && el('div', { class: 'disagreement', role: 'note' },
      el('strong', {}, 'Sources disagree'),
      el('ul', {}, p.disagreements.map((d) => el('li', {}, `${d.field}: ${d.note}`)))),
    el('dl', {}, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('p', { class: 'popup-heading' }, 'Sources'),
    el('ul', { class: 'sources' }, (p.sources || []).map((s) =>
      el('li', {}, el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title ? `${s.publisher}: ${s.title}` : s.publisher),
        s.published && ` (${s.published})`))),
    el('p', {}, el('a', { href: `/collections/incidents/items/${encodeURIComponent(f.id)}`, class: 'more' }, 'Full record and nearby incidents')));
}
