// The incident map: every incident as a marker styled by event type, with a
// legend, over the context layers.
import { createMap, fetchJSON, L } from './basemap.js';
import { el, readJSON } from './dom.js';
import { incidentPopup, typeClass } from './incidents.js';

// markerPoint is where an incident's marker goes: the point, or the middle
// vertex of a line, or the centre of a shape.
function markerPoint(g) {
  if (g.type === 'Point') return g.coordinates;
  if (g.type === 'LineString') return g.coordinates[Math.floor(g.coordinates.length / 2)];
  const b = L.geoJSON(g).getBounds().getCenter();
  return [b.lng, b.lat];
}

const Legend = L.Control.extend({
  options: { position: 'bottomleft' },
  initialize(types, counts) { this._types = types; this._counts = counts; },
  onAdd() {
    const toggle = el('button', { type: 'button', class: 'legend-toggle', 'aria-expanded': 'true' }, 'Legend');
    const list = el('ul', {}, this._types.filter((t) => this._counts[t]).map((t) =>
      el('li', {}, el('span', { class: `swatch ${typeClass(this._types, t)}`, 'aria-hidden': 'true' }), `${t} (${this._counts[t]})`)),
    el('li', {}, el('span', { class: 'swatch swatch-barrier', 'aria-hidden': 'true' }), 'Border barrier'),
    el('li', {}, el('span', { class: 'swatch swatch-border', 'aria-hidden': 'true' }), 'Border'),
    el('li', {}, el('span', { class: 'swatch crossing-icon', 'aria-hidden': 'true' }), 'Crossing'));
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      list.hidden = !open;
    });
    const box = el('section', { class: 'bw-legend leaflet-bar', 'data-testid': 'legend', 'aria-label': 'Legend' }, toggle, list);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
});

// The map takes the API's filter parameters from its own URL, so
// /?event_type=Battles&datetime=2016-02-01/.. shows, counts and downloads
// exactly those incidents.
function filterQuery(cfg) {
  const page = new URLSearchParams(window.location.search);
  const q = new URLSearchParams();
  for (const [k, v] of page) if (cfg.filterParams.includes(k)) q.append(k, v);
  return q;
}

const Download = L.Control.extend({
  options: { position: 'topright' },
  initialize(query, count) { this._query = query; this._count = count; },
  onAdd() {
    const qs = this._query.toString();
    const link = (ext, label) => el('a', { href: `/export/incidents.${ext}${qs ? `?${qs}` : ''}`, download: '', 'data-testid': `download-${ext}` }, label);
    const box = el('section', { class: 'bw-download leaflet-bar', 'aria-label': 'Download' },
      el('strong', {}, `Download ${this._count} incident${this._count === 1 ? '' : 's'}`), ' ',
      link('geojson', 'GeoJSON'), ' · ', link('csv', 'CSV'));
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
});

async function main() {
  const cfg = readJSON('map-config');
  const query = filterQuery(cfg);
  const items = new URLSearchParams(query);
  items.set('limit', '10000');
  const fc = await fetchJSON(`/collections/incidents/items?${items}`);
  const markers = L.featureGroup();
  const shapes = L.geoJSON(null, { style: { color: '#6b3fa0', weight: 2, dashArray: '2 8', opacity: 0.9 }, interactive: false });
  const counts = {};
  for (const f of fc.features) {
    counts[f.properties.event_type] = (counts[f.properties.event_type] || 0) + 1;
    if (f.geometry.type !== 'Point') shapes.addData(f);
    const [lon, lat] = markerPoint(f.geometry);
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({ className: `incident-marker ${typeClass(cfg.eventTypes, f.properties.event_type)} precision-${f.properties.geo_precision}`, iconSize: [16, 16] }),
      title: f.properties.title, alt: f.properties.title, keyboard: true, riseOnHover: true,
    });
    marker.bindPopup(() => incidentPopup(f), { maxWidth: 360, autoPanPadding: [20, 20] });
    marker.on('add', () => { marker.getElement().dataset.id = String(f.id); });
    markers.addLayer(marker);
  }
  const { map } = await createMap('map', cfg, {
    extraLayers: [
      { id: 'incident-shapes', title: 'Incident areas and lines', layer: shapes },
      { id: 'incidents', title: `Incidents (${fc.features.length})`, layer: markers },
    ],
  });
  new Legend(cfg.eventTypes, counts).addTo(map);
  new Download(query, fc.numberMatched).addTo(map);
  // The view's box, for tests and for links that share this view.
  const mapEl = document.getElementById('map');
  const showView = () => { mapEl.dataset.bbox = map.getBounds().toBBoxString(); };
  map.on('moveend', showView);
  showView();
  document.body.dataset.ready = 'true'; // for tests and embedders: markers are drawn
}

main().catch((err) => {
  console.error(err);
  document.getElementById('map').replaceChildren(el('p', { class: 'map-error', role: 'alert' }, `The map could not load: ${err.message}`));
});
