// The incident map (and, with cfg.embed, the embed view): every incident as
// a marker styled by event type, a legend, a download control, and the
// whole view (filters, position, layers, selected incident) in the URL.
import { createMap, fetchJSON, L } from './basemap.js';
import { el, readJSON } from './dom.js';
import { incidentPopup, typeClass } from './incidents.js';
import { ShareControl } from './share.js';

// markerPoint is where an incident's marker goes: the point, or the middle
// vertex of a line, or the centre of a shape.
function markerPoint(g) {
  if (g.type === 'Point') return g.coordinates;
  if (g.type === 'LineString') return g.coordinates[Math.floor(g.coordinates.length / 2)];
  const b = L.geoJSON(g).getBounds().getCenter();
  return [b.lng, b.lat];
}

// readState reads the view from a URL's query: the API's filters as they
// are, and the map's own view, layers and selected incident.
function readState(cfg, search) {
  const page = new URLSearchParams(search);
  const filters = new URLSearchParams();
  for (const [k, v] of page) if (cfg.filterParams.includes(k)) filters.append(k, v);
  let view = null;
  const m = /^(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(page.get('view') || '');
  if (m) view = { zoom: Number(m[1]), lat: Number(m[2]), lon: Number(m[3]) };
  const layers = page.has('layers') ? new Set(page.get('layers').split(',').filter(Boolean)) : null;
  return { filters, view, layers, incident: page.get('incident'), extra: ['title', 'caption'].filter((k) => page.has(k)).map((k) => [k, page.get(k)]) };
}

// writeState makes the query string of a view.
function writeState(state) {
  const q = new URLSearchParams(state.filters);
  if (state.view) q.set('view', `${state.view.zoom}/${state.view.lat.toFixed(4)}/${state.view.lon.toFixed(4)}`);
  if (state.layers) q.set('layers', [...state.layers].join(','));
  if (state.incident) q.set('incident', state.incident);
  for (const [k, v] of state.extra || []) q.set(k, v);
  return q;
}

const Legend = L.Control.extend({
  options: { position: 'bottomleft' },
  initialize(types, counts, collapsed) { this._types = types; this._counts = counts; this._collapsed = collapsed; },
  onAdd() {
    const toggle = el('button', { type: 'button', class: 'legend-toggle', 'aria-expanded': String(!this._collapsed), 'aria-controls': 'legend-list' }, 'Legend');
    const list = el('ul', { id: 'legend-list' }, this._types.filter((t) => this._counts[t]).map((t) =>
      el('li', {}, el('span', { class: `swatch ${typeClass(this._types, t)}`, 'aria-hidden': 'true' }), `${t} (${this._counts[t]})`)),
    el('li', {}, el('span', { class: 'swatch swatch-barrier', 'aria-hidden': 'true' }), 'Border barrier'),
    el('li', {}, el('span', { class: 'swatch swatch-border', 'aria-hidden': 'true' }), 'Border'),
    el('li', {}, el('span', { class: 'swatch crossing-icon', 'aria-hidden': 'true' }), 'Crossing'));
    list.hidden = this._collapsed;
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
  let state = readState(cfg, window.location.search);
  const items = new URLSearchParams(state.filters);
  items.set('limit', '10000');
  const fc = await fetchJSON(`/collections/incidents/items?${items}`);
  const markers = L.featureGroup();
  const byId = new Map();
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
    marker.incidentId = String(f.id);
    markers.addLayer(marker);
    byId.set(String(f.id), marker);
  }

  let applying = false; // true while the URL drives the map, so the map does not write it back
  const save = (push) => {
    if (cfg.embed || applying) return; // an iframe's history is the article's: leave it alone
    const q = writeState(state).toString();
    const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
    if (url === `${window.location.pathname}${window.location.search}`) return;
    if (push) window.history.pushState(null, '', url); else window.history.replaceState(null, '', url);
  };
  const { map, visibleIds, setVisible } = await createMap('map', cfg, {
    view: state.view,
    visible: state.layers,
    extraLayers: [
      { id: 'incident-shapes', title: 'Incident areas and lines', layer: shapes },
      { id: 'incidents', title: `Incidents (${fc.features.length})`, layer: markers },
    ],
    onToggle: () => { state.layers = new Set(visibleIds()); save(true); },
  });
  const small = window.matchMedia('(max-width: 600px)').matches;
  new Legend(cfg.eventTypes, counts, cfg.embed && small).addTo(map);
  if (!cfg.embed) {
    new Download(state.filters, fc.numberMatched).addTo(map);
    new ShareControl(() => writeState(state)).addTo(map);
  }

  const openIncident = (id) => {
    const marker = byId.get(String(id));
    if (marker && map.hasLayer(markers)) marker.openPopup();
  };
  if (state.incident) {
    const marker = byId.get(String(state.incident));
    if (marker && !state.view) map.setView(marker.getLatLng(), Math.max(map.getZoom(), 8), { animate: false });
    openIncident(state.incident);
  }

  // The view's box, for tests and for links that share this view.
  const mapEl = document.getElementById('map');
  const showView = () => { mapEl.dataset.bbox = map.getBounds().toBBoxString(); };
  showView();
  map.on('moveend', () => {
    showView();
    const c = map.getCenter();
    state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
    save(false);
  });
  markers.on('popupopen', (e) => { state.incident = e.layer.incidentId; save(true); });
  markers.on('popupclose', (e) => {
    if (state.incident === e.layer.incidentId) { state.incident = null; save(true); }
  });
  window.addEventListener('popstate', () => {
    const next = readState(cfg, window.location.search);
    if (next.filters.toString() !== state.filters.toString()) { window.location.reload(); return; }
    applying = true;
    try {
      if (next.view) map.setView([next.view.lat, next.view.lon], next.view.zoom, { animate: false });
      setVisible(next.layers);
      map.closePopup();
      if (next.incident) openIncident(next.incident);
      state = next;
    } finally {
      applying = false;
    }
  });

  document.body.dataset.ready = 'true'; // for tests and embedders: markers are drawn
  if (cfg.embed && window.parent !== window) {
    // Tell the page around the iframe that the map is drawn, and what it holds.
    window.parent.postMessage({
      type: 'borderwatch:ready',
      markers: document.querySelectorAll('.incident-marker').length,
      numberMatched: fc.numberMatched,
      cookies: document.cookie.length,
      origins: [...new Set(performance.getEntriesByType('resource').map((r) => new URL(r.name).origin))],
    }, '*');
  }
}

main().catch((err) => {
  console.error(err);
  document.getElementById('map').replaceChildren(el('p', { class: 'map-error', role: 'alert' }, `The map could not load: ${err.message}`));
});
