// Drawing incidents: whole incidents as markers (with their uncertainty
// radius and, for lines and areas, their shape), clusters as counts. Each
// feature comes with its marker point from the server.
import { L } from './basemap.js';
import { el, fmtShort } from './dom.js';
import { tn } from './i18n.js';
import { incidentPopup, markerPoint, typeClass } from './incidents.js';

// Honest places: near a town (precision 2) or only the region (3) is drawn
// as a translucent radius, not a precise pin alone.
const UNCERTAINTY_M = { 2: 5000, 3: 25000 };
const SHAPE_STYLE = { color: '#6b3fa0', weight: 2, dashArray: '2 8', opacity: 0.9 };

function clusterIcon(count) {
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
  return L.divIcon({ className: 'cluster-marker', html: el('span', {}, fmtShort(count)), iconSize: [size, size] });
}

export class Drawing {
  constructor(map, eventTypes, popupOptions) {
    this.map = map;
    this.eventTypes = eventTypes;
    this.popupOptions = popupOptions;
    this.markers = L.featureGroup(); // incidents, whole
    this.clusters = L.featureGroup();
    this.uncertainty = L.featureGroup();
    this.shapes = L.geoJSON(null, { style: SHAPE_STYLE, interactive: false });
    this.incidents = L.featureGroup([this.markers, this.clusters]);
    this.byId = new Map();
    this.pin = () => ''; // the time a pinned view shows
    this.editable = false; // popups link to the edit form (not in embeds)
  }

  // show draws a FeatureCollection of clusters and incidents, keeping the
  // markers already drawn that it still holds.
  show(fc) {
    const keep = new Set();
    this.clusters.clearLayers();
    for (const f of fc.features) {
      if (f.properties.cluster) this.addCluster(f);
      else { keep.add(String(f.id)); this.addIncident(f); }
    }
    for (const id of [...this.byId.keys()]) if (!keep.has(id)) this.removeIncident(id);
  }

  addCluster(f) {
    const [lon, lat] = f.geometry.coordinates;
    const n = f.properties.count;
    const m = L.marker([lat, lon], { icon: clusterIcon(n), keyboard: true, title: tn('js.cluster.title', n), alt: tn('js.cluster.alt', n) });
    m.on('click', () => {
      const [x1, y1, x2, y2] = f.properties.bbox;
      if (x1 === x2 && y1 === y2) this.map.setView([lat, lon], Math.min(this.map.getMaxZoom(), this.map.getZoom() + 3));
      else this.map.fitBounds([[y1, x1], [y2, x2]], { padding: [40, 40] });
    });
    m.on('add', () => { m.getElement().dataset.count = String(n); });
    this.clusters.addLayer(m);
  }

  addIncident(f) {
    const id = String(f.id);
    if (this.byId.has(id)) return;
    const [lon, lat] = markerPoint(f);
    const p = f.properties;
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({ className: `incident-marker ${typeClass(this.eventTypes, p.event_type)} precision-${p.geo_precision}`, iconSize: [16, 16] }),
      title: p.title, alt: p.title, keyboard: true, riseOnHover: true,
    });
    marker.bindPopup(() => incidentPopup(f, this.pin(), this.editable), this.popupOptions);
    marker.on('add', () => { marker.getElement().dataset.id = id; });
    marker.incidentId = id;
    const extras = [];
    if (UNCERTAINTY_M[p.geo_precision]) {
      const circle = L.circle([lat, lon], { radius: UNCERTAINTY_M[p.geo_precision], className: `uncertainty precision-${p.geo_precision}`, interactive: false, weight: 1 });
      this.uncertainty.addLayer(circle);
      extras.push(circle);
    }
    if (f.geometry.type !== 'Point') {
      const shape = L.geoJSON(f, { style: SHAPE_STYLE, interactive: false });
      this.shapes.addLayer(shape);
      extras.push(shape);
    }
    this.markers.addLayer(marker);
    this.byId.set(id, { marker, extras, feature: f });
  }

  removeIncident(id) {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.markers.removeLayer(entry.marker);
    for (const x of entry.extras) { this.uncertainty.removeLayer(x); this.shapes.removeLayer(x); }
    this.byId.delete(id);
  }

  // open opens an incident's popup: on its marker when drawn whole, else
  // where it is (inside a cluster at this zoom).
  open(f) {
    const entry = this.byId.get(String(f.id));
    if (entry && this.map.hasLayer(this.incidents)) { entry.marker.openPopup(); return; }
    const [lon, lat] = markerPoint(f);
    L.popup(this.popupOptions).setLatLng([lat, lon]).setContent(incidentPopup(f, this.pin(), this.editable)).openOn(this.map);
  }

  highlight(id, on) {
    const entry = this.byId.get(String(id));
    if (entry && entry.marker.getElement()) entry.marker.getElement().classList.toggle('highlight', on);
  }
}
