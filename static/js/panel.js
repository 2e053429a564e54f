// The filter panel and the list of incidents in view. The panel edits the
// same filter parameters the API takes, so the map, the list, the download
// and the URL always agree; the list follows the map.
import { el, fmt } from './dom.js';
import { label, t, tn } from './i18n.js';
import { dateLabel, typeClass } from './incidents.js';
import { datetimeParts, datetimeValue, downloadLinks, withParam } from './state.js';

const SVG = 'http://www.w3.org/2000/svg';

// listPattern lets a form field take a comma-separated list of what one
// item's pattern (the API's, e.g. ^[A-Za-z]{2}$) allows.
function listPattern(item) {
  const one = item.replace(/^\^/, '').replace(/\$$/, '');
  return `^\\s*${one}(\\s*,\\s*${one})*\\s*$`;
}

function labelled(id, label, input) {
  return el('div', { class: 'panel-field' }, el('label', { for: id }, label), input);
}

// Panel builds the form into container. current() gives the filters as they
// are now (the panel edits them, keeping what it has no field for);
// onChange receives the new filters.
export class Panel {
  constructor(container, cfg, current, onChange) {
    this.cfg = cfg;
    this.current = current;
    this.onChange = onChange;
    this.typeBoxes = new Map();
    this.countEls = new Map();
    const types = el('fieldset', { class: 'panel-types' }, el('legend', {}, t('js.event_type')),
      cfg.eventTypes.map((t, i) => {
        const id = `filter-type-${i}`;
        const box = el('input', { type: 'checkbox', id, value: t, 'data-testid': `filter-type-${i}` });
        const count = el('span', { class: 'count' }, '');
        this.typeBoxes.set(t, box);
        this.countEls.set(t, count);
        return el('div', { class: 'panel-check' }, box,
          el('label', { for: id }, el('span', { class: `swatch ${typeClass(cfg.eventTypes, t)}`, 'aria-hidden': 'true' }), ` ${label('type', t)} `, count));
      }));
    this.q = el('input', { id: 'filter-q', type: 'search', 'data-testid': 'filter-q', placeholder: t('js.filter.q_placeholder') });
    this.actor = el('input', { id: 'filter-actor', type: 'search', 'data-testid': 'filter-actor' });
    this.country = el('input', { id: 'filter-country', type: 'text', 'data-testid': 'filter-country', placeholder: 'TN, LY', pattern: listPattern(cfg.countryPattern) });
    this.minFatalities = el('input', { id: 'filter-min-fatalities', type: 'number', min: '0', step: '1', 'data-testid': 'filter-min-fatalities' });
    this.nearBarrier = el('input', { id: 'filter-near-barrier', type: 'number', min: '0', step: '1', 'data-testid': 'filter-near-barrier' });
    this.nearBorder = el('input', { id: 'filter-near-border', type: 'number', min: '0', step: '1', 'data-testid': 'filter-near-border' });
    this.nearCrossing = el('input', { id: 'filter-near-crossing', type: 'number', min: '0', step: '1', 'data-testid': 'filter-near-crossing' });
    this.from = el('input', { id: 'filter-from', type: 'date', 'data-testid': 'filter-from' });
    this.to = el('input', { id: 'filter-to', type: 'date', 'data-testid': 'filter-to' });
    this.matched = el('p', { class: 'panel-matched', role: 'status', 'aria-live': 'polite', 'data-testid': 'match-count' }, '');
    // The downloads of what matches, beside its count (no floating box over the map).
    this.geojson = el('a', { download: '', 'data-testid': 'download-geojson' }, 'GeoJSON');
    this.csv = el('a', { download: '', 'data-testid': 'download-csv' }, 'CSV');
    const download = el('p', { class: 'panel-download' }, t('js.download'), ' ', this.geojson, ' · ', this.csv);
    const reset = el('button', { type: 'button', class: 'panel-reset', 'data-testid': 'filter-reset' }, t('js.filter.clear'));
    reset.addEventListener('click', () => this.onChange(new URLSearchParams()));
    const form = el('form', { class: 'panel-form', 'aria-label': t('js.filters') },
      el('h2', {}, t('js.filters')), this.matched, download, types,
      labelled('filter-q', t('js.filter.q'), this.q),
      labelled('filter-actor', t('js.filter.actor'), this.actor),
      labelled('filter-country', t('js.filter.country'), this.country),
      labelled('filter-min-fatalities', t('js.filter.min_fatalities'), this.minFatalities),
      labelled('filter-near-border', t('js.filter.near_border'), this.nearBorder),
      labelled('filter-near-crossing', t('js.filter.near_crossing'), this.nearCrossing),
      labelled('filter-near-barrier', t('js.filter.near_barrier'), this.nearBarrier),
      el('div', { class: 'panel-dates' }, labelled('filter-from', t('js.filter.from'), this.from), labelled('filter-to', t('js.filter.to'), this.to)),
      reset);
    form.addEventListener('submit', (e) => { e.preventDefault(); this.emit(); });
    form.addEventListener('change', () => this.emit());
    let timer = null;
    for (const input of [this.q, this.actor]) {
      input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => this.emit(), 400); });
    }
    this.sort = el('button', { type: 'button', class: 'list-sort', 'data-testid': 'list-sort', 'aria-label': t('js.sort.newest_label') }, t('js.sort.newest'));
    this.listHead = el('p', { class: 'list-head', 'data-testid': 'list-count' }, '');
    this.list = el('ol', { class: 'incident-list', 'data-testid': 'incident-list' });
    container.replaceChildren(form, el('section', { class: 'panel-list', 'aria-label': t('js.list.label') },
      el('div', { class: 'list-bar' }, el('h2', {}, t('js.list.heading')), this.sort), this.listHead, this.list));
  }

  // show puts filters into the form (for loads and back/forward).
  show(filters) {
    const types = (filters.get('event_type') || '').split(',').filter(Boolean);
    for (const [t, box] of this.typeBoxes) box.checked = types.includes(t);
    this.q.value = filters.get('q') || '';
    this.actor.value = filters.get('actor') || '';
    this.country.value = filters.get('country') || '';
    this.minFatalities.value = filters.get('min_fatalities') || '';
    this.nearBarrier.value = filters.get('near_barrier_km') || '';
    this.nearBorder.value = filters.get('near_border_km') || '';
    this.nearCrossing.value = filters.get('near_crossing_km') || '';
    [this.from.value, this.to.value] = datetimeParts(filters.get('datetime'));
  }

  // emit reads the form into filters, keeping parameters it does not edit.
  emit() {
    if (!this.country.checkValidity()) return;
    let f = this.current();
    const set = (k, v) => { f = withParam(f, k, v); };
    set('event_type', [...this.typeBoxes].filter(([, b]) => b.checked).map(([t]) => t).join(','));
    set('q', this.q.value.trim());
    set('actor', this.actor.value.trim());
    set('country', this.country.value.replace(/\s+/g, '').toUpperCase());
    set('min_fatalities', this.minFatalities.value);
    set('near_barrier_km', this.nearBarrier.value);
    set('near_border_km', this.nearBorder.value);
    set('near_crossing_km', this.nearCrossing.value);
    set('datetime', datetimeValue(this.from.value, this.to.value));
    this.onChange(f);
  }

  // setCounts shows the counts of the filters' matches, and their downloads.
  setCounts(stats, matched, filters) {
    const links = downloadLinks(this.cfg, filters);
    this.geojson.href = links.geojson;
    this.csv.href = links.csv;
    for (const [t, span] of this.countEls) span.textContent = `(${fmt(stats.byEventType[t] || 0)})`;
    this.matched.textContent = tn('js.match', matched);
    this.matched.dataset.count = String(matched);
  }

  // setList shows the incidents in view; hooks link rows to markers.
  setList(fc, { onHover, onOpen, newest }) {
    this.sort.textContent = newest ? t('js.sort.oldest') : t('js.sort.newest');
    this.sort.setAttribute('aria-label', newest ? t('js.sort.oldest_label') : t('js.sort.newest_label'));
    const shown = fc.features.length;
    this.listHead.textContent = shown < fc.numberMatched ? tn('js.list.some', fc.numberMatched, { shown: fmt(shown) }) : tn('js.list.all', fc.numberMatched);
    this.listHead.dataset.count = String(fc.numberMatched);
    this.list.replaceChildren(...fc.features.map((f) => {
      const button = el('button', { type: 'button', class: 'list-item', 'data-id': String(f.id) },
        el('span', { class: `swatch ${typeClass(this.cfg.eventTypes, f.properties.event_type)}`, 'aria-hidden': 'true' }),
        el('span', { class: 'list-title', lang: 'en' }, f.properties.title),
        el('span', { class: 'list-meta' }, `${dateLabel(f.properties)} · `, el('bdi', { lang: 'en' }, f.properties.location)));
      button.addEventListener('mouseenter', () => onHover(f.id, true));
      button.addEventListener('mouseleave', () => onHover(f.id, false));
      button.addEventListener('focus', () => onHover(f.id, true));
      button.addEventListener('blur', () => onHover(f.id, false));
      button.addEventListener('click', () => onOpen(f));
      return el('li', {}, button);
    }));
  }
}

export { SVG };
