// The map's own controls: the legend and the download box.
import { L } from './basemap.js';
import { el, fmt } from './dom.js';
import { typeClass } from './incidents.js';
import { downloadLinks } from './state.js';

export const Legend = L.Control.extend({
  options: { position: 'bottomleft' },
  initialize(types, collapsed) { this._types = types; this._collapsed = collapsed; },
  onAdd() {
    const toggle = el('button', { type: 'button', class: 'legend-toggle', 'aria-expanded': String(!this._collapsed), 'aria-controls': 'legend-list' }, 'Legend');
    this._list = el('ul', { id: 'legend-list' });
    this._list.hidden = this._collapsed;
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      this._list.hidden = !open;
    });
    const box = el('section', { class: 'bw-legend leaflet-bar', 'data-testid': 'legend', 'aria-label': 'Legend' }, toggle, this._list);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
  setCounts(counts) {
    this._list.replaceChildren(
      ...this._types.filter((t) => counts[t]).map((t) =>
        el('li', {}, el('span', { class: `swatch ${typeClass(this._types, t)}`, 'aria-hidden': 'true' }), `${t} (${fmt(counts[t])})`)),
      el('li', {}, el('span', { class: 'swatch swatch-cluster', 'aria-hidden': 'true' }), 'Cluster: several incidents'),
      el('li', {}, el('span', { class: 'swatch swatch-uncertain', 'aria-hidden': 'true' }), 'Place known only roughly'),
      el('li', {}, el('span', { class: 'swatch swatch-barrier', 'aria-hidden': 'true' }), 'Border barrier'),
      el('li', {}, el('span', { class: 'swatch swatch-border', 'aria-hidden': 'true' }), 'Border'),
      el('li', {}, el('span', { class: 'swatch crossing-icon', 'aria-hidden': 'true' }), 'Crossing'));
  },
});

export const Download = L.Control.extend({
  options: { position: 'topright' },
  initialize(cfg) { this._cfg = cfg; },
  onAdd() {
    this._text = el('strong', {});
    this._geojson = el('a', { download: '', 'data-testid': 'download-geojson' }, 'GeoJSON');
    this._csv = el('a', { download: '', 'data-testid': 'download-csv' }, 'CSV');
    const box = el('section', { class: 'bw-download leaflet-bar', 'aria-label': 'Download' }, this._text, ' ', this._geojson, ' · ', this._csv);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
  set(filters, count) {
    const links = downloadLinks(this._cfg, filters);
    this._text.textContent = `Download ${fmt(count)} incident${count === 1 ? '' : 's'}`;
    this._geojson.href = links.geojson;
    this._csv.href = links.csv;
  },
});
