// The map on collection item pages: the page's features over the context layers.
import { createMap, L } from './basemap.js';
import { el, readJSON } from './dom.js';
import { t } from './i18n.js';
import { incidentPopup, typeClass } from './incidents.js';

function propertiesPopup(f) {
  const rows = Object.entries(f.properties || {}).filter(([, v]) => typeof v !== 'object');
  return el('div', { class: 'popup' }, el('h2', { class: 'popup-title' }, f.properties.name || f.properties.title || t('js.feature', { id: f.id })),
    el('dl', {}, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))])));
}

async function main() {
  const cfg = readJSON('map-config');
  const data = readJSON('items-features');
  const asOf = new URLSearchParams(window.location.search).get('as_of') || '';
  const isIncident = (f) => f.properties && f.properties.event_type !== undefined;
  const layer = L.geoJSON(data, {
    pointToLayer: (f, latlng) => L.marker(latlng, {
      icon: L.divIcon({ className: `incident-marker ${isIncident(f) ? typeClass(cfg.eventTypes, f.properties.event_type) : ''}`, iconSize: [16, 16] }),
      title: f.properties.title || f.properties.name || '', keyboard: true,
    }),
    style: { color: '#6b3fa0', weight: 3 },
    onEachFeature: (f, l) => l.bindPopup(() => (isIncident(f) ? incidentPopup(f, asOf) : propertiesPopup(f)), { maxWidth: 360 }),
  });
  const { map } = await createMap('map', cfg, { extraLayers: [{ id: 'these', title: t('js.layers.these'), layer }], small: true });
  if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20], animate: false });
  document.body.dataset.ready = 'true';
}

main().catch((err) => console.error(err));
