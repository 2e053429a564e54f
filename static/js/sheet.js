// On phones the filter panel and the list are a bottom sheet: a bar under
// the timeline shows how many incidents match and opens the sheet over the
// lower part of the map; its ×, Escape or a swipe down on its head fold it
// away again. On wider screens the panel sits beside the map and the bar and
// head are hidden (app.css), so none of this shows.
import { el, fmt } from './dom.js';
import { t } from './i18n.js';

const phone = () => window.matchMedia('(max-width: 700px)').matches;

export class Sheet {
  constructor(panel, toggle) {
    this.panel = panel;
    this.toggle = toggle;
    this.count = el('span', { class: 'sheet-count', 'data-testid': 'sheet-count' }, '');
    toggle.replaceChildren(el('span', { class: 'sheet-grip', 'aria-hidden': 'true' }), `${t('js.sheet')} `, this.count);
    const close = el('button', { type: 'button', class: 'sheet-close', 'aria-label': t('js.sheet.fold'), 'data-testid': 'sheet-close' }, '×');
    const head = el('div', { class: 'sheet-head', 'data-testid': 'sheet-head' },
      el('span', { class: 'sheet-grip', 'aria-hidden': 'true' }), el('strong', {}, t('js.sheet')), close);
    panel.prepend(head);
    toggle.addEventListener('click', () => this.set(!this.isOpen()));
    close.addEventListener('click', () => this.fold());
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.isOpen()) this.fold(); });
    // A swipe down on the head folds the sheet; the sheet follows the finger.
    let y0 = null;
    head.addEventListener('pointerdown', (e) => {
      if (e.target.closest('button')) return;
      y0 = e.clientY;
      head.setPointerCapture(e.pointerId);
    });
    head.addEventListener('pointermove', (e) => {
      if (y0 !== null) panel.style.transform = `translateY(${Math.max(0, e.clientY - y0)}px)`;
    });
    const end = (e) => {
      if (y0 === null) return;
      const moved = e.clientY - y0;
      y0 = null;
      panel.style.transform = '';
      if (moved > 48) this.fold();
    };
    head.addEventListener('pointerup', end);
    head.addEventListener('pointercancel', end);
  }

  isOpen() { return this.panel.classList.contains('open'); }

  set(open) {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.panel.classList.toggle('open', open);
    // The sheet's own × takes the focus: an input would raise the keyboard.
    if (open && phone()) this.panel.querySelector('.sheet-close').focus({ preventScroll: true });
  }

  // fold closes the sheet and gives the focus back to its bar.
  fold() {
    this.set(false);
    this.toggle.focus({ preventScroll: true });
  }

  // shown is called when an incident from the list opens on the map: on a
  // phone the sheet steps aside so that its popup is seen.
  shown() { if (phone() && this.isOpen()) this.set(false); }

  setCount(matched) { this.count.textContent = `(${fmt(matched)})`; }
}
