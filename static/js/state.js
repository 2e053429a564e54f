// The map's URL state, read and written in one place: the filters (whose
// names the server hands over in cfg.filterParams, from the same table that
// parses them), and the view's own parameters (cfg.viewParams): position,
// layers, open incident, the legend's state, and an embed's heading and
// caption.

const VIEW = /^(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/;

// readState reads a page's query string.
export function readState(cfg, search) {
  const page = new URLSearchParams(search);
  const m = VIEW.exec(page.get('view') || '');
  return {
    filters: onlyFilters(cfg, page),
    view: m ? { zoom: Number(m[1]), lat: Number(m[2]), lon: Number(m[3]) } : null,
    layers: page.has('layers') ? new Set(page.get('layers').split(',').filter(Boolean)) : null,
    incident: page.get('incident'),
    // The legend as the view was shared: 'open', 'folded', or null for the
    // screen's default.
    legend: ['open', 'folded'].includes(page.get('legend')) ? page.get('legend') : null,
    extra: ['title', 'caption'].filter((k) => page.has(k)).map((k) => [k, page.get(k)]),
  };
}

// writeState is the query string of a state.
export function writeState(state) {
  const q = new URLSearchParams(state.filters);
  if (state.view) q.set('view', `${state.view.zoom}/${state.view.lat.toFixed(4)}/${state.view.lon.toFixed(4)}`);
  if (state.layers) q.set('layers', [...state.layers].join(','));
  if (state.incident) q.set('incident', state.incident);
  if (state.legend) q.set('legend', state.legend);
  for (const [k, v] of state.extra || []) q.set(k, v);
  return q;
}

// onlyFilters keeps the filter parameters of q: what the API, downloads and
// counts take.
export function onlyFilters(cfg, q) {
  const out = new URLSearchParams();
  for (const [k, v] of q) if (cfg.filterParams.includes(k)) out.append(k, v);
  return out;
}

// withParam returns a copy of q with name set to value, or removed when
// value is empty.
export function withParam(q, name, value) {
  const out = new URLSearchParams(q);
  if (value) out.set(name, value); else out.delete(name);
  return out;
}

// bboxOf is a Leaflet bounds as the API's bbox, clamped to the world.
export function bboxOf(bounds) {
  return bounds.toBBoxString().split(',').map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, Number(v)))).join(',');
}

// datetimeParts splits the datetime filter into its two dates.
export function datetimeParts(v) {
  if (!v) return ['', ''];
  const [a, b] = v.includes('/') ? v.split('/') : [v, v];
  const day = (s) => (s && s !== '..' ? s.slice(0, 10) : '');
  return [day(a), day(b)];
}

// datetimeValue is the datetime filter for two dates, either open.
export function datetimeValue(from, to) {
  if (!from && !to) return '';
  return `${from || '..'}/${to || '..'}`;
}

// downloadLinks are the GeoJSON and CSV downloads of the filters of q.
export function downloadLinks(cfg, q) {
  const qs = onlyFilters(cfg, q).toString();
  // The picture shows the view as well as the filters.
  const img = onlyFilters(cfg, q);
  if (q.get('view')) img.set('view', q.get('view'));
  return {
    geojson: `/export/incidents.geojson${qs ? `?${qs}` : ''}`,
    csv: `/export/incidents.csv${qs ? `?${qs}` : ''}`,
    image: `/map.png${img.toString() ? `?${img}` : ''}`,
  };
}
