// How incidents read: casualties with "unknown", and the popup that gathers
// it all. Dates, precisions and places come labelled by the server (each
// feature's "labels"), so the page and the API say the same. Every string
// from data is set as text.
import { el, fmt } from './dom.js';

export const count = (n) => (n === null || n === undefined ? 'unknown' : fmt(n));

// markerPoint is where an incident's marker goes, as the server says.
export const markerPoint = (f) => f.marker;

// typeClass maps an event type to its marker and legend class.
export function typeClass(eventTypes, type) {
  const i = eventTypes.indexOf(type);
  return `type-${i < 0 ? 'other' : i}`;
}

// recordURL is an incident's own page, pinned to asOf when the view is.
export const recordURL = (id, asOf) =>
  `/collections/incidents/items/${encodeURIComponent(id)}${asOf ? `?as_of=${encodeURIComponent(asOf)}` : ''}`;

// incidentPopup builds the popup of one incident feature; asOf is the time
// a pinned view shows (its links keep it), or empty; editable adds the link
// to edit it (the server decides who may).
export function incidentPopup(f, asOf, editable = false) {
  const p = f.properties;
  const l = f.labels;
  const rows = [
    ['Date', `${l.date} · date known to the ${l.time_precision}`],
    ['Type', `${p.event_type} › ${p.sub_event_type}`],
    ['Actors', [p.actor1, p.assoc_actor_1 && `(with ${p.assoc_actor_1})`, p.actor2 && `vs ${p.actor2}`,
      p.assoc_actor_2 && `(with ${p.assoc_actor_2})`].filter(Boolean).join(' ')],
    ['Fatalities', count(p.fatalities)],
    ['Injuries', count(p.injuries)],
    ['Place', `${l.place} · placed ${l.geo_precision}`],
  ];
  const km = (v) => (v === null || v === undefined ? null : `${Number(v).toLocaleString('en-GB', { maximumFractionDigits: 1 })} km`);
  if (km(p.border_km)) rows.push(['To the border', km(p.border_km)]);
  if (km(p.barrier_km)) rows.push(['To the barrier', km(p.barrier_km)]);
  if (km(p.crossing_km)) rows.push(['To the nearest crossing', km(p.crossing_km)]);
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
    asOf && el('p', { class: 'as-of', 'data-testid': 'popup-as-of' }, `As of ${new Date(asOf).toUTCString()}: later changes are not shown.`),
    el('p', {}, el('a', { href: recordURL(f.id, asOf), class: 'more', 'data-testid': 'full-record' }, 'Full record and nearby incidents'),
      editable && !asOf && ' · ',
      editable && !asOf && el('a', { href: `/collections/incidents/items/${encodeURIComponent(f.id)}/edit`, 'data-testid': 'popup-edit' }, 'Edit')));
}
