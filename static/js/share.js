// The share dialog: the permalink of this view, iframe and responsive embed
// snippets, and the downloads of the same view, optionally pinned to the data
// as it stands now. Snippets are text for the reader to copy: they are put in
// form fields, never into the page as markup.
import { L } from './basemap.js';
import { el } from './dom.js';
import { lang, side, t } from './i18n.js';
import { downloadLinks } from './state.js';

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function copy(field, button) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (_) {
    document.execCommand('copy'); // older browsers, and pages without clipboard permission
  }
  const label = button.textContent;
  button.textContent = t('js.share.copied');
  setTimeout(() => { button.textContent = label; }, 1500);
}

function field(id, label, control, copyable = true) {
  const button = copyable && el('button', { type: 'button', class: 'copy', 'aria-label': t('js.share.copy_label', { what: label }) }, t('js.share.copy'));
  if (button) button.addEventListener('click', () => copy(control, button));
  return el('div', { class: 'share-field' }, el('label', { for: id }, label), control, button);
}

function buildDialog(cfg, query) {
  const origin = window.location.origin;
  const permalink = el('input', { id: 'share-permalink', type: 'text', readonly: true, 'data-testid': 'share-permalink' });
  const pin = el('input', { id: 'share-pin', type: 'checkbox', 'data-testid': 'share-pin' });
  const width = el('input', { id: 'share-width', type: 'number', min: '320', max: '1600', value: '640' });
  const height = el('input', { id: 'share-height', type: 'number', min: '240', max: '1200', value: '480' });
  const title = el('input', { id: 'share-title', type: 'text', value: t('js.share.default_title') });
  const heading = el('input', { id: 'share-heading', type: 'text', placeholder: t('js.share.optional') });
  const caption = el('input', { id: 'share-caption', type: 'text', placeholder: t('js.share.optional') });
  const iframe = el('textarea', { id: 'share-iframe', rows: '3', readonly: true, 'data-testid': 'share-iframe' });
  const responsive = el('textarea', { id: 'share-responsive', rows: '4', readonly: true, 'data-testid': 'share-responsive' });
  const geojson = el('a', { download: '', 'data-testid': 'share-geojson' }, 'GeoJSON');
  const csv = el('a', { download: '', 'data-testid': 'share-csv' }, 'CSV');
  const image = el('a', { download: 'borderwatch-map.png', 'data-testid': 'share-image' }, t('js.share.image'));
  let pinnedAt = null;

  const refresh = () => {
    const q = query();
    if (pin.checked) {
      pinnedAt = pinnedAt || new Date().toISOString();
      q.set('as_of', pinnedAt);
    } else {
      pinnedAt = null;
      q.delete('as_of');
    }
    // The links speak the page's language.
    if (lang !== 'en') q.set('lang', lang); else q.delete('lang');
    permalink.value = `${origin}/?${q}`;
    const e = new URLSearchParams(q);
    if (heading.value.trim()) e.set('title', heading.value.trim()); else e.delete('title');
    if (caption.value.trim()) e.set('caption', caption.value.trim()); else e.delete('caption');
    const src = `${origin}/embed?${e}`;
    const w = Math.min(1600, Math.max(320, Number(width.value) || 640));
    const h = Math.min(1200, Math.max(240, Number(height.value) || 480));
    iframe.value = `<iframe src="${attr(src)}" width="${w}" height="${h}" title="${attr(title.value)}" style="border:0" loading="lazy" allowfullscreen></iframe>`;
    const ratio = ((h / w) * 100).toFixed(2);
    responsive.value = `<div style="position:relative;width:100%;padding-bottom:${ratio}%;height:0;overflow:hidden">`
      + `<iframe src="${attr(src)}" title="${attr(title.value)}" style="position:absolute;top:0;left:0;width:100%;height:100%;border:0" loading="lazy" allowfullscreen></iframe></div>`;
    const links = downloadLinks(cfg, q);
    geojson.href = links.geojson;
    csv.href = links.csv;
    image.href = links.image;
  };
  for (const input of [pin, width, height, title, heading, caption]) input.addEventListener('input', refresh);
  pin.addEventListener('change', refresh);

  const close = el('button', { type: 'button', class: 'share-close', 'aria-label': t('js.close') }, '×');
  const dialog = el('dialog', { class: 'share-dialog', 'aria-labelledby': 'share-heading-text', 'data-testid': 'share-dialog' },
    el('h2', { id: 'share-heading-text' }, t('js.share.heading')), close,
    field('share-permalink', t('js.share.permalink'), permalink),
    el('div', { class: 'share-field share-pin' }, pin, el('label', { for: 'share-pin' }, t('js.share.pin'))),
    el('fieldset', {}, el('legend', {}, t('js.share.embed')),
      el('div', { class: 'share-size' }, field('share-width', t('js.share.width'), width, false), field('share-height', t('js.share.height'), height, false)),
      field('share-title', t('js.share.title'), title, false),
      field('share-heading', t('js.share.heading_above'), heading, false),
      field('share-caption', t('js.share.caption'), caption, false),
      field('share-iframe', t('js.share.iframe'), iframe),
      field('share-responsive', t('js.share.responsive'), responsive)),
    el('p', {}, `${t('js.share.download')} `, geojson, ' · ', csv, ' · ', image));
  close.addEventListener('click', () => dialog.close());
  document.body.appendChild(dialog);
  return { dialog, refresh };
}

// shareButton is a button that opens the share dialog of the view that
// query() gives.
export function shareButton(cfg, query) {
  const button = el('button', { type: 'button', class: 'share-button', 'data-testid': 'share-button', 'aria-haspopup': 'dialog' }, t('js.share'));
  let ui = null;
  button.addEventListener('click', () => {
    ui = ui || buildDialog(cfg, query);
    ui.refresh();
    ui.dialog.showModal();
  });
  return button;
}

// ShareControl is the share button on the map.
export const ShareControl = L.Control.extend({
  options: { position: side('topleft') },
  initialize(cfg, query) { this._cfg = cfg; this._query = query; },
  onAdd() {
    const button = shareButton(this._cfg, this._query);
    button.classList.add('leaflet-bar');
    L.DomEvent.disableClickPropagation(button);
    return button;
  },
});
