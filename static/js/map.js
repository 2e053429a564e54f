// The incident map (and, with cfg.embed, the embed view). Incidents come
// from the server already grouped for the zoom level, so the browser holds a
// few thousand markers at most whatever the data: whole incidents where few,
// clusters with their counts where many. Beside the map (not in embeds): the
// filter panel, the list of incidents in view and the timeline. The whole
// view (filters, position, layers, open incident) lives in the URL
// (state.js); this module wires the pieces together.
import { createMap, fetchJSON, foldControls, L } from './basemap.js';
import { Legend } from './controls.js';
import { el, readJSON } from './dom.js';
import { t } from './i18n.js';
import { Drawing } from './draw.js';
import { recordURL } from './incidents.js';
import { Panel } from './panel.js';
import { ShareControl, shareButton } from './share.js';
import { Sheet } from './sheet.js';
import { bboxOf, datetimeParts, datetimeValue, readState, withParam, writeState } from './state.js';
import { Timeline } from './timeline.js';

// crossingMarks are the crossings' status changes, for the timeline.
function crossingMarks(collections) {
  const marks = [];
  for (const { info, fc } of Object.values(collections)) {
    if (info.kind !== 'crossing') continue;
    for (const f of fc.features) for (const h of f.properties.status_history || []) marks.push({ date: h.date, text: `${f.properties.name}: ${h.status}` });
  }
  return marks;
}

async function main() {
  const cfg = readJSON('map-config');
  let state = readState(cfg, window.location.search);
  const panelEl = document.getElementById('panel');
  const timelineEl = document.getElementById('timeline');
  const mapEl = document.getElementById('map');

  let applying = false; // true while the URL drives the map, so the map does not write it back
  const save = (push) => {
    if (cfg.embed || applying) return; // an iframe's history is the article's: leave it alone
    const q = writeState(state).toString();
    const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
    if (url === `${window.location.pathname}${window.location.search}`) return;
    if (push) window.history.pushState(null, '', url); else window.history.replaceState(null, '', url);
  };

  const stats = await fetchJSON(`/collections/incidents/stats?${state.filters}`);
  const frame = stats.bbox ? L.latLngBounds([[stats.bbox[1], stats.bbox[0]], [stats.bbox[3], stats.bbox[2]]]) : null;
  // Popups fit the map they open on, however small: long ones scroll.
  // Clear of the controls: the zoom buttons at the left (44 px on touch
  // screens, 30 px with a mouse), the layer button above, credits below.
  const left = () => (matchMedia('(pointer: coarse)').matches ? 66 : 56);
  const popupOptions = {
    // The paddings, and the popup's own frame (about 40 px wide, 50 high).
    get maxWidth() { return Math.min(360, drawing.map.getSize().x - left() - 12 - 44); },
    get autoPanPaddingTopLeft() { return [left(), 56]; },
    autoPanPaddingBottomRight: [12, 36],
    get maxHeight() { return Math.max(140, drawing.map.getSize().y - 56 - 36 - 60); },
  };
  const drawing = new Drawing(null, cfg.eventTypes, popupOptions); // its map is set once made
  const { map, visibleIds, setVisible, collections } = await createMap('map', cfg, {
    view: state.view,
    visible: state.layers,
    frame,
    extraLayers: [
      { id: 'incident-uncertainty', title: t('js.layers.uncertainty'), layer: drawing.uncertainty },
      { id: 'incident-shapes', title: t('js.layers.shapes'), layer: drawing.shapes },
      { id: 'incidents', title: t('js.layers.incidents'), layer: drawing.incidents },
    ],
    onToggle: () => { state.layers = new Set(visibleIds()); save(true); },
  });
  drawing.map = map;
  // While a popup is open, the floating boxes step aside so that it is seen
  // whole; they come back when it closes.
  map.on('popupopen', () => mapEl.classList.add('popup-open'));
  map.on('popupclose', () => mapEl.classList.remove('popup-open'));
  drawing.pin = () => state.filters.get('as_of') || '';
  drawing.editable = !cfg.embed;
  const small = window.matchMedia('(max-width: 600px)').matches;
  // Below 900 px the legend starts folded. Downloads are in the panel and
  // the share dialog, never in a box over the map.
  const narrow = foldControls(false);
  // The legend starts as the shared view had it, else folded on small screens.
  const legendFolded = state.legend ? state.legend === 'folded' : narrow || (cfg.embed && small);
  const legend = new Legend(cfg.eventTypes, legendFolded, (how) => { state.legend = how; save(false); }).addTo(map);
  // Share sits on the map, or on phones in the bar under it, beside the
  // sheet's button, to leave the small map clear.
  const sheetBar = document.querySelector('[data-testid=sheet-bar]');
  if (sheetBar && window.matchMedia('(max-width: 700px)').matches) sheetBar.append(shareButton(cfg, () => writeState(state)));
  else if (!cfg.embed) new ShareControl(cfg, () => writeState(state)).addTo(map);
  const marks = crossingMarks(collections);

  const panel = panelEl ? new Panel(panelEl, cfg, () => new URLSearchParams(state.filters), (filters) => setFilters(filters)) : null;
  const sheet = panel ? new Sheet(panelEl, document.querySelector('[data-testid=panel-toggle]')) : null;
  const timeline = timelineEl ? new Timeline(timelineEl, (range) => {
    setFilters(withParam(state.filters, 'datetime', range ? datetimeValue(range[0], range[1]) : ''));
  }) : null;

  // --- loading: clusters for the view, the list in view, the counts
  let matched = stats.numberMatched;
  let loadSeq = 0;
  const loadIncidents = async () => {
    const seq = ++loadSeq;
    const q = new URLSearchParams(state.filters);
    q.set('zoom', String(Math.floor(map.getZoom())));
    q.set('bbox', bboxOf(map.getBounds().pad(0.25)));
    const fc = await fetchJSON(`/collections/incidents/clusters?${q}`);
    if (seq !== loadSeq) return; // a newer view is on its way
    drawing.show(fc);
    mapEl.dataset.shown = String(fc.features.length);
  };

  const loadList = async () => {
    if (!panel) return;
    const q = new URLSearchParams(state.filters);
    q.set('bbox', bboxOf(map.getBounds()));
    q.set('limit', '100');
    const fc = await fetchJSON(`/collections/incidents/items?${q}`);
    panel.setList(fc, {
      newest: q.get('sortby') === '-event_date',
      onHover: (id, on) => drawing.highlight(id, on),
      onOpen: (f) => { sheet.shown(); drawing.open(f); },
    });
  };

  const loadStats = () => fetchJSON(`/collections/incidents/stats?${state.filters}`);

  const showStats = (s) => {
    const byType = {};
    for (const t of cfg.eventTypes) byType[t] = s.byEventType[t] || 0;
    const chosen = (state.filters.get('event_type') || '').split(',').filter(Boolean);
    legend.setCounts(chosen.length ? Object.fromEntries(Object.entries(byType).filter(([t]) => chosen.includes(t))) : byType);
    matched = s.numberMatched;
    if (panel) { panel.setCounts(s, matched, state.filters); sheet.setCount(matched); }
    if (timeline) {
      const [from, to] = datetimeParts(state.filters.get('datetime'));
      timeline.draw(s.unit, s.bins, marks, from, to);
    }
  };

  const reload = async () => {
    const [s] = await Promise.all([loadStats(), loadIncidents(), loadList()]);
    showStats(s);
  };

  const setFilters = async (filters) => {
    state.filters = filters;
    state.incident = null;
    map.closePopup();
    save(true);
    if (panel) panel.show(filters);
    await reload();
  };

  if (panel) {
    panel.show(state.filters);
    panel.sort.addEventListener('click', () => {
      setFilters(withParam(state.filters, 'sortby', state.filters.get('sortby') === '-event_date' ? '' : '-event_date'));
    });
  }

  const openIncident = async (id) => {
    const entry = drawing.byId.get(String(id));
    if (entry) { drawing.open(entry.feature); return; }
    try { // not drawn whole at this zoom: open it where it is
      drawing.open(await fetchJSON(recordURL(id, drawing.pin())));
    } catch (_) { /* a deleted incident: nothing to open */ }
  };

  await Promise.all([loadIncidents(), loadList()]);
  showStats(stats);
  if (state.incident) {
    const entry = drawing.byId.get(String(state.incident));
    if (entry && !state.view) map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 8), { animate: false });
    await openIncident(state.incident);
  }

  // The view's box, for tests and for links that share this view.
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
  drawing.markers.on('popupopen', (e) => { state.incident = e.layer.incidentId; save(true); });
  drawing.markers.on('popupclose', (e) => {
    if (state.incident === e.layer.incidentId) { state.incident = null; save(true); }
  });
  window.addEventListener('popstate', async () => {
    const next = readState(cfg, window.location.search);
    applying = true;
    try {
      if (next.filters.toString() !== state.filters.toString()) {
        state.filters = next.filters;
        if (panel) panel.show(next.filters);
        await reload();
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
  document.getElementById('map').replaceChildren(el('p', { class: 'map-error', role: 'alert' }, t('js.map_error', { error: err.message })));
});
