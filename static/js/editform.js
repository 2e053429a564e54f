// The incident form: a small map to place the incident by click or drag
// (kept in step with the longitude and latitude fields), sub-event types
// that follow the event type, and rows added for more sources. The form
// works without it; nothing here builds HTML from strings.
import { createMap, L } from './basemap.js';
import { readJSON } from './dom.js';

function followEventType() {
  const event = document.getElementById('f-event_type');
  const sub = document.getElementById('f-sub_event_type');
  if (!event || !sub) return;
  const update = () => {
    let firstShown = null;
    for (const opt of sub.options) {
      const show = opt.dataset.event === event.value;
      opt.hidden = !show;
      opt.disabled = !show;
      if (show && !firstShown) firstShown = opt;
    }
    if (sub.selectedOptions.length === 0 || sub.selectedOptions[0].disabled) {
      if (firstShown) firstShown.selected = true;
    }
  };
  event.addEventListener('change', update);
  update();
}

function addRows() {
  for (const button of document.querySelectorAll('button.add-row')) {
    button.addEventListener('click', () => {
      const rows = document.getElementById(button.dataset.rows);
      const last = rows.lastElementChild;
      if (!last) return;
      const copy = last.cloneNode(true);
      for (const input of copy.querySelectorAll('input')) input.value = '';
      for (const err of copy.querySelectorAll('.field-error')) err.remove();
      rows.appendChild(copy);
      const first = copy.querySelector('input');
      if (first) first.focus();
    });
  }
}

async function picker() {
  const el = document.getElementById('picker');
  const lon = document.getElementById('f-lon');
  const lat = document.getElementById('f-lat');
  if (!el || !lon || !lat) return;
  const cfg = readJSON('map-config');
  const { map } = await createMap('picker', cfg, { small: true });
  let marker = null;
  const place = (latlng, pan) => {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: 'The incident' }).addTo(map);
      marker.on('dragend', () => write(marker.getLatLng()));
    } else {
      marker.setLatLng(latlng);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 8), { animate: false });
  };
  const round = (x) => String(Math.round(x * 1e5) / 1e5);
  const write = (latlng) => {
    lon.value = round(latlng.lng);
    lat.value = round(latlng.lat);
    el.dataset.placed = 'true';
  };
  const read = () => {
    const x = parseFloat(lon.value);
    const y = parseFloat(lat.value);
    if (Number.isFinite(x) && Number.isFinite(y)) place(L.latLng(y, x), true);
  };
  map.on('click', (e) => { place(e.latlng, false); write(e.latlng); });
  lon.addEventListener('change', read);
  lat.addEventListener('change', read);
  read();
  el.dataset.ready = 'true';
}

followEventType();
addRows();
picker().catch((err) => console.error(err)).finally(() => { document.body.dataset.ready = 'true'; });
