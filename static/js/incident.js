// The small map on an incident's page.
import { createMap, L } from './basemap.js';
import { readJSON } from './dom.js';
import { t } from './i18n.js';

async function main() {
  const cfg = readJSON('map-config');
  const f = readJSON('incident-feature');
  const layer = L.geoJSON(f, {
    pointToLayer: (_, latlng) => L.marker(latlng, {
      icon: L.divIcon({ className: `incident-marker precision-${f.properties.geo_precision}`, iconSize: [16, 16] }),
      title: f.properties.title, alt: f.properties.title,
    }),
    style: { color: '#6b3fa0', weight: 4 },
  });
  const { map } = await createMap('map', cfg, { extraLayers: [{ id: 'incident', title: t('js.layers.this_incident'), layer }], small: true });
  map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20], animate: false });
  document.body.dataset.ready = 'true';
}

main().catch((err) => console.error(err));
