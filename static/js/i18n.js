// The reader's language: the page's catalog (a JSON block the server
// writes from the same files it speaks from), plural forms chosen by
// Intl.PluralRules (Arabic has six), numbers and dates by Intl.
const data = (() => {
  const node = document.getElementById('i18n');
  return node ? JSON.parse(node.textContent) : { lang: 'en', locale: 'en', dir: 'ltr', messages: {} };
})();

export const lang = data.lang;
export const locale = data.locale;
export const rtl = data.dir === 'rtl';

const rules = new Intl.PluralRules(locale);
const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

// t is the message key, its {placeholders} filled from vars; a key the
// catalog lacks shows as itself, so that tests find it.
export function t(key, vars = {}) {
  const m = data.messages[key];
  if (m === undefined) return key;
  return fill(typeof m === 'string' ? m : m.other, vars);
}

// tn is the plural message key for the count n ({n} in the locale).
export function tn(key, n, vars = {}) {
  const m = data.messages[key];
  if (m === undefined) return key;
  const s = typeof m === 'string' ? m : (m[rules.select(n)] ?? m.other);
  return fill(s, { n: whole.format(n), ...vars });
}

// label is a vocabulary word (an event type, a precision) in the reader's
// language, or the word itself when the catalog has none.
export function label(prefix, word) {
  const m = data.messages[`${prefix}.${word}`];
  return typeof m === 'string' ? m : word;
}

// side mirrors a Leaflet control position for right-to-left pages.
export const side = (pos) => (rtl ? pos.replace(/left|right/, (s) => (s === 'left' ? 'right' : 'left')) : pos);
