// The map frame shared by every page: tiles (or none), the context layers,
// our own attribution and layer controls (built from DOM, never from HTML
// strings), and the popups of context features.
// Leaflet's minified build, which every map page loads (deferred) before
// its modules: it defines window.L.
const { L } = window;
import { el, km } from './dom.js';
import { lang, rtl, side, t } from './i18n.js';

// nameOf is a feature's name in the reader's language, where the data has it.
const nameOf = (p) => p[`name_${lang}`] || p.name;

const STYLES = {
  basemap: { color: '#8a8478', weight: 1, fillColor: '#f3eee4', fillOpacity: 1, interactive: false },
  border: { color: '#3b3b3b', weight: 2, dashArray: '6 4' },
  barrier: { color: '#b3261e', weight: 4, opacity: 0.9, className: 'barrier-line' },
};

export async function fetchJSON(url) {
  const res = await fetch(url, { headers: { Accept: 'application/geo+json' } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  return res.json();
}


function barrierPopup(p) {
  const reported = p.reported_lengths || [];
  const shortest = Math.min(...reported.map((r) => r.km));
  const diff = shortest - p.measured_length_km;
  return el('div', { class: 'popup barrier-popup', 'data-testid': 'barrier-popup' },
    el('h2', { class: 'popup-title' }, nameOf(p)),
    el('dl', {},
      el('dt', {}, t('js.barrier.reported')),
      el('dd', {}, el('ul', {}, reported.map((r) => el('li', {}, `${km(r.km)} — `, el('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer' }, r.source))))),
      el('dt', {}, t('js.barrier.measured')),
      el('dd', { 'data-testid': 'measured-length' }, t('js.barrier.measured_value', { km: km(p.measured_length_km) })),
      el('dt', {}, t('js.barrier.materials')), el('dd', { lang: 'en' }, p.materials),
      el('dt', {}, t('js.barrier.completion')), el('dd', { lang: 'en' }, p.completion_announced),
    ),
    Number.isFinite(diff) && el('p', { class: 'disagreement', role: 'note' },
      t(diff > 0 ? 'js.barrier.disagree_shorter' : 'js.barrier.disagree_longer', {
        reported: reported.map((r) => km(r.km)).filter((v, i, a) => a.indexOf(v) === i).join(` ${t('js.versus')} `),
        diff: km(Math.abs(diff)), inside: km(p.distance_from_border_km) })),
    p.completion_note && el('p', { class: 'note', lang: 'en' }, p.completion_note));
}

function crossingPopup(p) {
  const history = p.status_history || [];
  return el('div', { class: 'popup crossing-popup' },
    el('h2', { class: 'popup-title' }, nameOf(p), p.alt_name && ` (${p.alt_name})`),
    p.road && el('p', { lang: 'en' }, p.road),
    p.note && el('p', { lang: 'en' }, p.note),
    history.length > 0 && el('ul', { lang: 'en' }, history.map((h) => el('li', {}, `${h.date}: ${h.status}. ${h.note || ''} `,
      h.source && el('a', { href: h.source, target: '_blank', rel: 'noopener noreferrer' }, t('js.source'))))),
    p.moved_to_border_km > 0 && el('p', { class: 'note' }, t('js.crossing.moved', { km: km(p.moved_to_border_km) })));
}

function linePopup(p) {
  return el('div', { class: 'popup' }, el('h2', { class: 'popup-title' }, nameOf(p) || ''),
    p.measured_length_km !== undefined && el('p', {}, t('js.line.length', { km: km(p.measured_length_km) })),
    p.source && el('p', { class: 'note', lang: 'en' }, p.source));
}

// contextLayer turns one collection into a Leaflet layer styled by its kind.
export function contextLayer(info, fc, { tiles = false } = {}) {
  switch (info.kind) {
    case 'basemap':
      // Offline, Tunisia stands out from its neighbours; over tiles only the
      // outlines show, so the coast and borders remain if the tiles fail.
      return L.geoJSON(fc, { style: (f) => ({ ...STYLES.basemap, fillColor: f.properties.iso === 'TN' ? '#fbf8f1' : '#e6e1d6', fillOpacity: tiles ? 0 : 1 }) });
    case 'crossing':
      return L.geoJSON(fc, {
        pointToLayer: (f, latlng) => L.marker(latlng, {
          icon: L.divIcon({ className: 'crossing-icon', iconSize: [14, 14] }),
          title: nameOf(f.properties), alt: nameOf(f.properties), keyboard: true,
        }),
        onEachFeature: (f, layer) => layer.bindPopup(() => crossingPopup(f.properties)),
      });
    case 'places':
      return L.geoJSON(fc, {
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 3, color: '#444', weight: 1, fillColor: '#fff', fillOpacity: 1, interactive: false })
          .bindTooltip(el('span', { 'data-priority': String(f.properties.population || 0) }, nameOf(f.properties)), { permanent: true, direction: rtl ? 'left' : 'right', className: 'place-label', offset: [rtl ? -4 : 4, 0] }),
      });
    case 'barrier':
      return L.geoJSON(fc, {
        style: STYLES.barrier,
        onEachFeature: (f, layer) => {
          layer.bindPopup(() => barrierPopup(f.properties), { maxWidth: 340 });
          // The line says what it is, as the border does in the legend.
          layer.bindTooltip(el('span', {}, t('js.barrier.label')), { permanent: true, direction: rtl ? 'left' : 'right', className: 'line-label barrier-label', offset: [rtl ? -6 : 6, 0] });
        },
      });
    default:
      return L.geoJSON(fc, { style: STYLES.border, onEachFeature: (f, layer) => layer.bindPopup(() => linePopup(f.properties)) });
  }
}

// AttributionControl credits what is on the map, from plain text: one line
// with an ⓘ that opens the full credits (every licence stays reachable).
const AttributionControl = L.Control.extend({
  options: { position: side('bottomright') },
  onAdd() {
    this._box = el('div', { class: 'bw-attribution leaflet-control-attribution collapsed', 'data-testid': 'attribution' });
    this._toggle = el('button', { type: 'button', class: 'attribution-toggle', 'aria-expanded': 'false', 'aria-label': t('js.credits'), 'data-testid': 'attribution-toggle' }, 'i');
    this._list = el('span', { class: 'attribution-list' });
    this._toggle.addEventListener('click', () => {
      const open = this._box.classList.toggle('collapsed') === false;
      this._toggle.setAttribute('aria-expanded', String(open));
    });
    this._box.append(this._toggle, this._list);
    L.DomEvent.disableClickPropagation(this._box);
    this.render();
    return this._box;
  },
  setEntries(entries) { this._entries = entries; if (this._list) this.render(); },
  render() {
    this._list.replaceChildren(...(this._entries || []).flatMap((e, i) => [
      i > 0 ? ' | ' : '',
      // Credits are the data's own words, as their sources give them.
      e.href ? el('a', { href: e.href, target: '_blank', rel: 'noopener noreferrer', lang: e.lang }, e.text) : el('span', { lang: e.lang }, e.text),
    ]));
  },
});

// LayerControl toggles layers with labelled checkboxes, behind a button
// that folds the list away (collapsed: folded at first).
const LayerControl = L.Control.extend({
  options: { position: side('topright') },
  initialize(map, entries, onChange, collapsed) {
    this._mapRef = map; this._entries = entries; this._onChange = onChange; this._collapsed = collapsed;
  },
  sync() {
    for (const [e, input] of this._inputs) input.checked = this._mapRef.hasLayer(e.layer);
  },
  onAdd() {
    const wrap = el('div', { class: 'bw-layers-wrap leaflet-bar' });
    const toggle = el('button', { type: 'button', class: 'layers-toggle', 'aria-expanded': String(!this._collapsed), 'data-testid': 'layer-toggle' }, t('js.layers'));
    const box = el('fieldset', { class: 'bw-layers', 'data-testid': 'layer-control' }, el('legend', {}, t('js.layers')));
    box.hidden = this._collapsed;
    toggle.hidden = !this._collapsed;
    toggle.addEventListener('click', () => {
      box.hidden = !box.hidden;
      toggle.setAttribute('aria-expanded', String(!box.hidden));
    });
    const close = el('button', { type: 'button', class: 'layers-close', 'aria-label': t('js.layers.fold') }, '×');
    close.addEventListener('click', () => { box.hidden = true; toggle.hidden = false; toggle.setAttribute('aria-expanded', 'false'); toggle.focus(); });
    toggle.addEventListener('click', () => { toggle.hidden = !box.hidden; });
    box.appendChild(close);
    this._inputs = [];
    for (const e of this._entries) {
      const id = `layer-${e.id}`;
      const input = el('input', { type: 'checkbox', id, 'data-layer': e.id, checked: this._mapRef.hasLayer(e.layer) });
      this._inputs.push([e, input]);
      input.addEventListener('change', () => {
        if (input.checked) this._mapRef.addLayer(e.layer); else this._mapRef.removeLayer(e.layer);
        this._onChange();
      });
      box.appendChild(el('div', {}, input, el('label', { for: id }, e.title)));
    }
    wrap.append(toggle, box);
    L.DomEvent.disableClickPropagation(wrap);
    L.DomEvent.disableScrollPropagation(wrap);
    return wrap;
  },
});

// declutter places each place label where it overlaps no larger place's
// label, no marker, no line's label and no control: at the right of its dot, else at its left, above or
// below it; a label with no free spot is hidden. Greedy by population,
// after every move and zoom.
export function declutter(container) {
  const boxes = [];
  const frame = container.getBoundingClientRect();
  // A spot must be free and wholly on the map.
  const hits = (r) => r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom
    || boxes.some((b) => r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top);
  for (const m of container.querySelectorAll('.incident-marker, .cluster-marker, .crossing-icon, .leaflet-tooltip.line-label')) boxes.push(m.getBoundingClientRect());
  // The controls too: a label half under a button is no label.
  for (const c of container.querySelectorAll('.leaflet-control')) if (c.getClientRects().length) boxes.push(c.getBoundingClientRect());
  const labels = [...container.querySelectorAll('.leaflet-tooltip.place-label')];
  const priority = (l) => Number((l.querySelector('[data-priority]') || {}).dataset?.priority || 0);
  labels.sort((a, b) => priority(b) - priority(a));
  for (const l of labels) {
    l.style.visibility = '';
    l.style.marginLeft = '';
    l.style.marginTop = '';
    const w = l.getBoundingClientRect().width;
    // As drawn (after the dot in the reading direction), before it, above, below.
    const spots = rtl ? [[0, 0], [w + 14, 0], [w / 2 + 7, -14], [w / 2 + 7, 14]] : [[0, 0], [-(w + 14), 0], [-(w / 2 + 7), -14], [-(w / 2 + 7), 14]];
    let placed = false;
    for (const [dx, dy] of spots) {
      l.style.marginLeft = `${dx}px`;
      l.style.marginTop = `${dy}px`;
      const r = l.getBoundingClientRect();
      if (!hits(r)) {
        boxes.push(r);
        placed = true;
        break;
      }
    }
    if (placed) {
      delete l.dataset.hidden;
    } else {
      l.style.visibility = 'hidden';
      l.dataset.hidden = 'overlap';
    }
  }
}

// foldControls says whether controls start folded: on narrow screens and
// on every small map.
export const foldControls = (small) => small || window.matchMedia('(max-width: 900px)').matches;

// createMap builds the map in container with tiles and context layers.
// Options: extraLayers to add (toggleable), view ({lat, lon, zoom}) to
// start from instead of framing the data, visible (a Set of layer ids, or
// null for the defaults), and onToggle, called when a person toggles a layer.
export async function createMap(container, cfg, { extraLayers = [], view = null, visible = null, onToggle = () => {}, frame: dataFrame = null, small = false } = {}) {
  const map = L.map(container, { attributionControl: false, zoomSnap: 0.5, preferCanvas: false });
  map.zoomControl.setPosition(side('topleft'));
  map.zoomControl.getContainer().querySelector('.leaflet-control-zoom-in').title = t('js.zoom_in');
  map.zoomControl.getContainer().querySelector('.leaflet-control-zoom-out').title = t('js.zoom_out');
  map.setView([33.5, 10.5], 6);
  const attribution = new AttributionControl().addTo(map);
  const entries = [];
  if (cfg.tiles) {
    const tiles = L.tileLayer(cfg.tiles, { maxZoom: 18, crossOrigin: true, referrerPolicy: 'strict-origin-when-cross-origin' });
    entries.push({ id: 'tiles', title: t('js.layers.tiles'), layer: tiles, attribution: { text: cfg.tileAttribution || t('js.layers.tiles'), href: cfg.tileLink } });
  }
  const collections = await Promise.all(cfg.layers.map((info) => fetchJSON(`/collections/${encodeURIComponent(info.id)}/items`)));
  cfg.layers.forEach((info, i) => {
    const layer = contextLayer(info, collections[i], { tiles: Boolean(cfg.tiles) });
    entries.push({ id: info.id, kind: info.kind, title: info.title, layer, attribution: { text: info.attribution } });
  });
  for (const e of extraLayers) entries.push({ kind: 'incidents', ...e });
  for (const e of entries) if (!visible || visible.has(e.id)) e.layer.addTo(map);
  const update = () => {
    const shown = entries.filter((e) => map.hasLayer(e.layer) && e.attribution).map((e) => e.attribution);
    // One entry per credit, however many layers share it.
    const credits = new Map();
    for (const a of shown) for (const part of a.text.split(';')) {
      const text = part.trim();
      if (text && !credits.has(text)) credits.set(text, { text, href: a.href });
    }
    attribution.setEntries([{ text: 'Leaflet', href: 'https://leafletjs.com' }, ...[...credits.values()].map((c) => ({ ...c, lang: 'en' })), { text: cfg.dataAttribution }]);
  };
  const control = new LayerControl(map, entries, () => { update(); onToggle(); declutterSoon(); }, foldControls(small)).addTo(map);
  // Labels make way for larger places' labels and for markers.
  let pending = null;
  const declutterSoon = () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(() => declutter(map.getContainer())); };
  map.on('zoomend moveend layeradd', declutterSoon);
  update();
  if (view) {
    map.setView([view.lat, view.lon], view.zoom, { animate: false });
  } else {
    // The view that frames the data: incidents and the border's context.
    const frame = L.latLngBounds([]);
    if (dataFrame && dataFrame.isValid()) frame.extend(dataFrame);
    for (const e of entries) if (e.kind && e.kind !== 'basemap' && e.kind !== 'places' && e.layer.getBounds && map.hasLayer(e.layer)) {
      const b = e.layer.getBounds();
      if (b.isValid()) frame.extend(b);
    }
    if (frame.isValid()) map.fitBounds(frame, { padding: [24, 24], maxZoom: 10, animate: false });
  }
  return {
    map,
    collections: Object.fromEntries(cfg.layers.map((info, i) => [info.id, { info, fc: collections[i] }])),
    layers: Object.fromEntries(entries.map((e) => [e.id, e.layer])),
    // visibleIds lists the layers on the map; setVisible shows exactly ids
    // (null: every layer, as at the start).
    visibleIds: () => entries.filter((e) => map.hasLayer(e.layer)).map((e) => e.id),
    setVisible: (ids) => {
      for (const e of entries) {
        if (!ids || ids.has(e.id)) map.addLayer(e.layer); else map.removeLayer(e.layer);
      }
      control.sync();
      update();
    },
  };
}

export { L };
