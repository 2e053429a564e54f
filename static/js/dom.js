import { locale, t } from './i18n.js';

// Building DOM from data without HTML strings: text always goes through
// textContent, links through a checked href. Nothing here parses markup.

// el creates an element with attributes and children (nodes or text).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'href') node.href = safeHref(v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

// safeHref lets through http(s) and same-site links only.
export function safeHref(v) {
  try {
    const u = new URL(String(v), window.location.href);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch (_) { /* fall through */ }
  return '#';
}

// readJSON reads a <script type="application/json"> block by id.
export function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

// fmt writes a count for people, in the page's locale (1,000,000; 1 000 000).
const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
export const fmt = (n) => whole.format(n);

// fmtShort writes a count for a small label (84,874 as 85K).
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });

// km writes a distance: 12.3 km, 12,3 km.
const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
export const km = (n) => t('js.km', { n: decimal.format(Number(n)) });
export const fmtShort = (n) => (n < 10000 ? fmt(n) : compact.format(n));
