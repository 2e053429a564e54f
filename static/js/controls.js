// The map's own control: the legend.
import { L } from './basemap.js';
import { el, fmt } from './dom.js';
import { label, side, t } from './i18n.js';
import { typeClass } from './incidents.js';

export const Legend = L.Control.extend({
  options: { position: side('bottomleft') },
  // onToggle hears 'open' or 'folded' when a person opens or folds it.
  initialize(types, collapsed, onToggle = () => {}) { this._types = types; this._collapsed = collapsed; this._onToggle = onToggle; },
  onAdd() {
    const toggle = el('button', { type: 'button', class: 'legend-toggle', 'aria-expanded': String(!this._collapsed), 'aria-controls': 'legend-list' }, t('js.legend'));
    this._list = el('ul', { id: 'legend-list' });
    this._list.hidden = this._collapsed;
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      this._list.hidden = !open;
      this._onToggle(open ? 'open' : 'folded');
    });
    const box = el('section', { class: 'bw-legend leaflet-bar', 'data-testid': 'legend', 'aria-label': t('js.legend') }, toggle, this._list);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },
  setCounts(counts) {
    this._list.replaceChildren(
      ...this._types.filter((type) => counts[type]).map((type) =>
        el('li', {}, el('span', { class: `swatch ${typeClass(this._types, type)}`, 'aria-hidden': 'true' }), `${label('type', type)} (${fmt(counts[type])})`)),
      el('li', {}, el('span', { class: 'swatch swatch-cluster', 'aria-hidden': 'true' }), t('js.legend.cluster')),
      el('li', {}, el('span', { class: 'swatch swatch-uncertain', 'aria-hidden': 'true' }), t('js.legend.rough')),
      el('li', {}, el('span', { class: 'swatch swatch-barrier', 'aria-hidden': 'true' }), t('js.legend.barrier')),
      el('li', {}, el('span', { class: 'swatch swatch-border', 'aria-hidden': 'true' }), t('js.legend.border')),
      el('li', {}, el('span', { class: 'swatch crossing-icon', 'aria-hidden': 'true' }), t('js.legend.crossing')));
  },
});
