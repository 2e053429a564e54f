// The incident map (and, with cfg.embed, the embed view). Incidents come
// from the server already grouped for the zoom level, so the browser holds a
// few thousand markers at most whatever the data: whole incidents where few,
// clusters with their counts where many. Beside the map (not in embeds): the
// filter panel, the list of incidents in view and the timeline. The whole
// view (filters, position, layers, open incident) lives in the URL.
import { createMap, fetchJSON, L } from './basemap.js';
import { el, readJSON } from './dom.js';
import { incidentPopup, typeClass } from './incidents.js';
import { Panel, datetimeParts, datetimeValue } from './panel.js';
import { ShareControl } from './share.js';
import { Timeline } from './timeline.js';

// markerPoint is where an incident's marker goes: the point, or the middle
// vertex of a line, or the centre of a shape.
function markerPoint(g) {
  if (g.type === 'Point') return g.coordinates;
  if (g.type === 'LineString') return g.coordinates[Math.floor(g.coordinates.length / 2)];
  const b = L.geoJSON(g).getBounds().getCenter();
  return [b.lng, b.lat];
}

// Honest places: near a town (precision 2) or only the region (3) is drawn
// as a translucent radius, not a precise pin alone.
const UNCERTAINTY_M = { 2: 5000, 3: 25000 };

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
        el('li', {}, el('span', { class: `swatch ${typeClass(this._types, t)}`, 'aria-hidden': 'true' }), `${t} (${counts[t]})`)),
      el('li', {}, el('span', { class: 'swatch swatch-cluster', 'aria-hidden': 'true' }), 'Cluster: several incidents'),
      el('li', {}, el('span', { class: 'swatch swatch-uncertain', 'aria-hidden': 'true' }), 'Place known only roughly'),
      el('li', {}, el('span', { class: 'swatch swatch-barrier', 'aria-hidden': 'true' }), 'Border barrier'),
      el('li', {}, el('span', { class: 'swatch swatch-border', 'aria-hidden': 'true' }), 'Border'),
      el('li', {}, el('span', { class: 'swatch crossing-icon', 'aria-hidden': 'true' }), 'Crossing'));
  },
});

const Download = L.Control.extend({
  options: { position: 'topright' },
  onAdd() {
    this._text = el('strong', {});
    this._geojson = el('a', { download: '', 'data-testid': 'download-geojson' }, 'GeoJSON');
    this._csv = el('a', { download: '', 'data-testid': 'download-csv' }, 'CSV');
    const box = el('section', { class: 'bw-download leaflet-bar', 'aria-label': 'Download' }, this._text, ' ', this._geojson, ' · ', this._csv);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
  set(query, count) {
    const qs = query.toString();
    this._text.textContent = `Download ${count} incident${count === 1 ? '' : 's'}`;
    this._geojson.href = `/export/incidents.geojson${qs ? `?${qs}` : ''}`;
    this._csv.href = `/export/incidents.csv${qs ? `?${qs}` : ''}`;
  },
});

function clusterIcon(count) {
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
  return L.divIcon({ className: 'cluster-marker', html: el('span', {}, String(count)), iconSize: [size, size] });
}

async function main() {
  const cfg = readJSON('map-config');
  let state = readState(cfg, window.location.search);
  const panelEl = document.getElementById('panel');
  const timelineEl = document.getElementById('timeline');

  const stats = await fetchJSON(`/collections/incidents/stats?${state.filters}`);
  const markers = L.featureGroup(); // incidents, whole
  const clusters = L.featureGroup();
  const uncertainty = L.featureGroup();
  const shapes = L.geoJSON(null, { style: { color: '#6b3fa0', weight: 2, dashArray: '2 8', opacity: 0.9 }, interactive: false });
  const incidentsLayer = L.featureGroup([markers, clusters]);
  const byId = new Map();

  let applying = false; // true while the URL drives the map, so the map does not write it back
  const save = (push) => {
    if (cfg.embed || applying) return; // an iframe's history is the article's: leave it alone
    const q = writeState(state).toString();
    const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
    if (url === `${window.location.pathname}${window.location.search}`) return;
    if (push) window.history.pushState(null, '', url); else window.history.replaceState(null, '', url);
  };
  const frame = stats.bbox ? L.latLngBounds([[stats.bbox[1], stats.bbox[0]], [stats.bbox[3], stats.bbox[2]]]) : null;
  const { map, visibleIds, setVisible, collections } = await createMap('map', cfg, {
    view: state.view,
    visible: state.layers,
    frame,
    extraLayers: [
      { id: 'incident-uncertainty', title: 'How precisely placed', layer: uncertainty },
      { id: 'incident-shapes', title: 'Incident areas and lines', layer: shapes },
      { id: 'incidents', title: 'Incidents', layer: incidentsLayer },
    ],
    onToggle: () => { state.layers = new Set(visibleIds()); save(true); },
  });
  const small = window.matchMedia('(max-width: 600px)').matches;
  const legend = new Legend(cfg.eventTypes, cfg.embed && small).addTo(map);
  const download = cfg.embed ? null : new Download().addTo(map);
  if (!cfg.embed) new ShareControl(() => writeState(state)).addTo(map);

  // Crossing status changes, for the timeline.
  const marks = [];
  for (const { info, fc } of Object.values(collections)) {
    if (info.kind !== 'crossing') continue;
    for (const f of fc.features) for (const h of f.properties.status_history || []) marks.push({ date: h.date, text: `${f.properties.name}: ${h.status}` });
  }

  const panel = panelEl ? new Panel(panelEl, cfg, (filters) => setFilters(filters)) : null;
  const timeline = timelineEl ? new Timeline(timelineEl, (range) => {
    const f = new URLSearchParams(state.filters);
    if (range) f.set('datetime', datetimeValue(range[0], range[1])); else f.delete('datetime');
    setFilters(f);
  }) : null;

  // Popups fit the map they open on, however small: long ones scroll.
  const popupOptions = {
    get maxWidth() { return Math.min(360, map.getSize().x - 60); },
    autoPanPadding: [12, 12],
    get maxHeight() { return Math.max(140, map.getSize().y - 60); },
  };

  // --- drawing incidents
  const addIncident = (f) => {
    const id = String(f.id);
    if (byId.has(id)) return;
    const [lon, lat] = markerPoint(f.geometry);
    const p = f.properties;
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({ className: `incident-marker ${typeClass(cfg.eventTypes, p.event_type)} precision-${p.geo_precision}`, iconSize: [16, 16] }),
      title: p.title, alt: p.title, keyboard: true, riseOnHover: true,
    });
    marker.bindPopup(() => incidentPopup(f), popupOptions);
    marker.on('add', () => { marker.getElement().dataset.id = id; });
    marker.incidentId = id;
    const extras = [];
    if (UNCERTAINTY_M[p.geo_precision]) {
      extras.push(L.circle([lat, lon], { radius: UNCERTAINTY_M[p.geo_precision], className: `uncertainty precision-${p.geo_precision}`, interactive: false, weight: 1 }));
    }
    if (f.geometry.type !== 'Point') extras.push(L.geoJSON(f, { style: { color: '#6b3fa0', weight: 2, dashArray: '2 8', opacity: 0.9 }, interactive: false }));
    markers.addLayer(marker);
    for (const x of extras) (x instanceof L.Circle ? uncertainty : shapes).addLayer(x);
    byId.set(id, { marker, extras, feature: f });
  };
  const removeIncident = (id) => {
    const entry = byId.get(id);
    if (!entry) return;
    markers.removeLayer(entry.marker);
    for (const x of entry.extras) { uncertainty.removeLayer(x); shapes.removeLayer(x); }
    byId.delete(id);
  };

  let matched = stats.numberMatched;
  let loadSeq = 0;
  const loadIncidents = async () => {
    const seq = ++loadSeq;
    const q = new URLSearchParams(state.filters);
    let fc;
    if (q.has('as_of')) {
      q.set('limit', '10000'); // pinned views read the stored versions whole
      fc = await fetchJSON(`/collections/incidents/items?${q}`);
      matched = fc.numberMatched;
    } else {
      q.set('zoom', String(Math.floor(map.getZoom())));
      q.set('bbox', map.getBounds().pad(0.25).toBBoxString().split(',').map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, Number(v)))).join(','));
      fc = await fetchJSON(`/collections/incidents/clusters?${q}`);
    }
    if (seq !== loadSeq) return; // a newer view is on its way
    const keep = new Set();
    clusters.clearLayers();
    for (const f of fc.features) {
      if (f.properties.cluster) {
        const [lon, lat] = f.geometry.coordinates;
        const m = L.marker([lat, lon], { icon: clusterIcon(f.properties.count), keyboard: true, title: `${f.properties.count} incidents: zoom in`, alt: `${f.properties.count} incidents` });
        m.on('click', () => {
          const [x1, y1, x2, y2] = f.properties.bbox;
          if (x1 === x2 && y1 === y2) map.setView([lat, lon], Math.min(map.getMaxZoom(), map.getZoom() + 3));
          else map.fitBounds([[y1, x1], [y2, x2]], { padding: [40, 40] });
        });
        m.on('add', () => { m.getElement().dataset.count = String(f.properties.count); });
        clusters.addLayer(m);
      } else {
        keep.add(String(f.id));
        addIncident(f);
      }
    }
    for (const id of [...byId.keys()]) if (!keep.has(id)) removeIncident(id);
    document.getElementById('map').dataset.shown = String(fc.features.length);
  };

  const loadList = async () => {
    if (!panel) return;
    const q = new URLSearchParams(state.filters);
    q.set('bbox', map.getBounds().toBBoxString().split(',').map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, Number(v)))).join(','));
    q.set('limit', '100');
    const fc = await fetchJSON(`/collections/incidents/items?${q}`);
    panel.setList(fc, {
      newest: q.get('sortby') === '-event_date',
      onHover: (id, on) => {
        const entry = byId.get(String(id));
        if (entry && entry.marker.getElement()) entry.marker.getElement().classList.toggle('highlight', on);
      },
      onOpen: (f) => {
        const entry = byId.get(String(f.id));
        if (entry) {
          entry.marker.openPopup();
        } else { // inside a cluster: show it where it is
          const [lon, lat] = markerPoint(f.geometry);
          L.popup(popupOptions).setLatLng([lat, lon]).setContent(incidentPopup(f)).openOn(map);
        }
      },
    });
  };

  const loadStats = async () => {
    const s = await fetchJSON(`/collections/incidents/stats?${state.filters}`);
    return s;
  };

  const showStats = (s) => {
    const count = state.filters.has('as_of') ? null : s.numberMatched;
    const byType = {};
    for (const t of cfg.eventTypes) byType[t] = s.byEventType[t] || 0;
    const chosen = (state.filters.get('event_type') || '').split(',').filter(Boolean);
    legend.setCounts(chosen.length ? Object.fromEntries(Object.entries(byType).filter(([t]) => chosen.includes(t))) : byType);
    if (count !== null) matched = count;
    if (panel) panel.setCounts(s, matched);
    if (download) download.set(state.filters, matched);
    if (timeline) {
      const [from, to] = datetimeParts(state.filters.get('datetime'));
      timeline.draw(s.unit, s.bins, marks, from, to);
    }
  };

  const setFilters = async (filters) => {
    state.filters = filters;
    state.incident = null;
    map.closePopup();
    save(true);
    if (panel) panel.show(filters);
    const [s] = await Promise.all([loadStats(), loadIncidents(), loadList()]);
    showStats(s);
  };

  if (panel) {
    panel.current = state.filters.toString();
    panel.show(state.filters);
    panel.sort.addEventListener('click', () => {
      const f = new URLSearchParams(state.filters);
      if (f.get('sortby') === '-event_date') f.delete('sortby'); else f.set('sortby', '-event_date');
      setFilters(f);
    });
    const toggle = document.querySelector('[data-testid=panel-toggle]');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      panelEl.classList.toggle('open', open);
      map.invalidateSize();
    });
  }

  const openIncident = async (id) => {
    const entry = byId.get(String(id));
    if (entry && map.hasLayer(incidentsLayer)) { entry.marker.openPopup(); return; }
    try { // not drawn whole at this zoom: open it where it is
      const f = await fetchJSON(`/collections/incidents/items/${encodeURIComponent(id)}`);
      const [lon, lat] = markerPoint(f.geometry);
      L.popup(popupOptions).setLatLng([lat, lon]).setContent(incidentPopup(f)).openOn(map);
    } catch (_) { /* a deleted incident: nothing to open */ }
  };

  await Promise.all([loadIncidents(), loadList()]);
  showStats(stats);
  if (state.incident) {
    const entry = byId.get(String(state.incident));
    if (entry && !state.view) map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 8), { animate: false });
    await openIncident(state.incident);
  }

  // The view's box, for tests and for links that share this view.
  const mapEl = document.getElementById('map');
  const showView = () => { mapEl.dataset.bbox = map.getBounds().toBBoxString(); };
  showView();
  let moveTimer = null;
  map.on('moveend', () => {
    showView();
    const c = map.getCenter();
    state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
    save(false);
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => { loadIncidents(); loadList(); }, 120);
  });
  markers.on('popupopen', (e) => { state.incident = e.layer.incidentId; save(true); });
  markers.on('popupclose', (e) => {
    if (state.incident === e.layer.incidentId) { state.incident = null; save(true); }
  });
  window.addEventListener('popstate', async () => {
    const next = readState(cfg, window.location.search);
    applying = true;
    try {
      if (next.filters.toString() !== state.filters.toString()) {
        state.filters = next.filters;
        if (panel) panel.show(next.filters);
        const [s] = await Promise.all([loadStats(), loadIncidents(), loadList()]);
        showStats(s);
      }
      if (next.view) map.setView([next.view.lat, next.view.lon], next.view.zoom, { animate: false });
      setVisible(next.layers);
      map.closePopup();
      if (next.incident) await openIncident(next.incident);
      state = next;
    } finally {
      applying = false;
    }
  });

  window.borderwatchReadyAt = performance.now(); // navigation to markers drawn, in ms
  document.body.dataset.ready = 'true'; // for tests and embedders: markers are drawn
  if (cfg.embed && window.parent !== window) {
    // Tell the page around the iframe that the map is drawn, and what it holds.
    window.parent.postMessage({
      type: 'borderwatch:ready',
      markers: document.querySelectorAll('.incident-marker').length,
      numberMatched: matched,
      cookies: document.cookie.length,
      origins: [...new Set(performance.getEntriesByType('resource').map((r) => new URL(r.name).origin))],
    }, '*');
  }
}

main().catch((err) => {
  console.error(err);
  document.getElementById('map').replaceChildren(el('p', { class: 'map-error', role: 'alert' }, `The map could not load: ${err.message}`));
});
