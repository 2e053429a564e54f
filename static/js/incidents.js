// How incidents read: casualties with "unknown", and the popup that gathers
// it all. Dates, precisions and places come labelled by the server (each
// feature's "labels"), so the page and the API say the same. Every string
// from data is set as text.
import { el, fmt, km } from './dom.js';
import { label, locale, t } from './i18n.js';

export const count = (n) => (n === null || n === undefined ? t('js.unknown') : fmt(n));

// markerPoint is where an incident's marker goes, as the server says.
export const markerPoint = (f) => f.marker;

// typeClass maps an event type to its marker and legend class.
export function typeClass(eventTypes, type) {
  const i = eventTypes.indexOf(type);
  return `type-${i < 0 ? 'other' : i}`;
}

// dateLabel says an incident's date at its precision, as the pages do.
export function dateLabel(p) {
  const d = new Date(`${p.event_date}T00:00:00Z`);
  if (p.time_precision === 2) return t('date.week', { first: new Date(d - 6 * 86400000).toISOString().slice(0, 10), last: p.event_date });
  if (p.time_precision === 3) return t('date.month', { month: new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d) });
  return p.event_date;
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
  // The data's own words (actors, places) are in their sources' language.
  const data = (s) => el('bdi', { lang: 'en' }, s);
  const rows = [
    [t('js.popup.date'), t('js.popup.date_value', { date: dateLabel(p), precision: t(`precision.time.${p.time_precision}`) })],
    [t('js.popup.type'), `${label('type', p.event_type)} › ${label('subtype', p.sub_event_type)}`],
    [t('js.popup.actors'), [data(p.actor1), p.assoc_actor_1 && ` ${t('js.popup.with')} `, p.assoc_actor_1 && data(p.assoc_actor_1),
      p.actor2 && ` ${t('js.popup.versus')} `, p.actor2 && data(p.actor2), p.assoc_actor_2 && ` ${t('js.popup.with')} `, p.assoc_actor_2 && data(p.assoc_actor_2)]],
    [t('js.popup.fatalities'), count(p.fatalities)],
    [t('js.popup.injuries'), count(p.injuries)],
    [t('js.popup.place'), [data(l.place), ` · ${t('js.popup.placed', { precision: t(`precision.geo.${p.geo_precision}`) })}`]],
  ];
  const dist = (v) => (v === null || v === undefined ? null : km(v));
  if (dist(p.border_km)) rows.push([t('js.popup.to_border'), dist(p.border_km)]);
  if (dist(p.barrier_km)) rows.push([t('js.popup.to_barrier'), dist(p.barrier_km)]);
  if (dist(p.crossing_km)) rows.push([t('js.popup.to_crossing'), dist(p.crossing_km)]);
  return el('div', { class: 'popup incident-popup', 'data-testid': 'incident-popup' },
    el('h2', { class: 'popup-title', lang: 'en' }, p.title),
    (p.disagreements || []).length > 0 && el('div', { class: 'disagreement', role: 'note' },
      el('strong', {}, t('js.popup.disagree')),
      el('ul', { lang: 'en' }, p.disagreements.map((d) => el('li', {}, `${d.field}: ${d.note}`)))),
    el('dl', {}, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('p', { class: 'popup-heading' }, t('js.popup.sources')),
    el('ul', { class: 'sources', lang: 'en' }, (p.sources || []).map((s) =>
      el('li', {}, el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title ? `${s.publisher}: ${s.title}` : s.publisher),
        s.published && ` (${s.published})`))),
    asOf && el('p', { class: 'as-of', 'data-testid': 'popup-as-of' }, t('js.popup.as_of', { time: new Date(asOf).toLocaleString(locale, { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' }) })),
    el('p', {}, el('a', { href: recordURL(f.id, asOf), class: 'more', 'data-testid': 'full-record' }, t('js.popup.full_record')),
      editable && !asOf && ' · ',
      editable && !asOf && el('a', { href: `/collections/incidents/items/${encodeURIComponent(f.id)}/edit`, 'data-testid': 'popup-edit' }, t('js.popup.edit'))));
}
