/**
 * The widgets' CSS, adopted into each shadow root through one constructable stylesheet: no `<style>`
 * element in the merchant's page and no inline styles, so `style-src 'self'` needs no exception.
 *
 * The host's own box is declared `!important`: inside a shadow tree's cascade context, important
 * declarations beat the outer page's important ones (CSS Cascade 4), so `* { display: none !important }`
 * or `font-size: 2px !important` in the merchant's CSS cannot reach the widget. `all: initial` stops
 * inherited merchant styles; custom properties still inherit, which is how theming works.
 *
 * Theming (set on the element or any ancestor):
 *   --vitrine-font, --vitrine-font-size, --vitrine-color, --vitrine-muted, --vitrine-accent,
 *   --vitrine-background, --vitrine-card-background, --vitrine-radius, --vitrine-gap,
 *   --vitrine-card-min (smallest card width in the grid), --vitrine-focus (focus ring colour),
 *   --vitrine-skeleton (placeholder colour), --vitrine-in-stock, --vitrine-out-of-stock.
 * Parts (`vitrine-grid::part(card)`): list, card, link, media, image, name, price (its currency
 *   symbol, when Intl marks the price right to left: currency), stock, status, retry; with a checkout, buy, variant, add; `<vitrine-cart>`: badge, count (the drawer: dialog,
 *   title, close, line, quantity, remove, checkout).
 *
 * Direction: every side is logical (`margin-inline-start`, `inline-size`, …), so a host with
 * `dir="rtl"` (the widgets set it for Arabic and Hebrew) mirrors the layout; no left or right here.
 *
 * Boxes: a card's height depends only on its width (≤ 416 px) and the font size, never on its data, so
 * the skeleton is the card's exact box (scripts/reserve-css.mjs holds the same box before the elements
 * are defined): the image area is 4:5 of the card's inner width for every product, and the photo sits
 * inside it at its own ratio (the `<img>` width/height from `product.image`; `.tall` when narrower
 * than 4:5), so a square photo shows no grey bands and a mis-sized one cannot grow the card. A longer
 * name is clamped inside its two lines with an ellipsis (the link's accessible name keeps all of it).
 */
export const CSS =
  ':host{all:initial!important;display:block!important;' +
  'font:var(--vitrine-font-size,15px)/1.4 var(--vitrine-font,system-ui,sans-serif)!important;' +
  'color:var(--vitrine-color,#1b1b1f)!important;background:var(--vitrine-background,transparent)!important;' +
  'contain:layout style!important}' +
  ':host([hidden]){display:none!important}' +
  '*{box-sizing:border-box}' +
  '.list{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,var(--vitrine-card-min,min(180px,40vw))),1fr));gap:var(--vitrine-gap,16px);margin:0;padding:0}' +
  '.card{display:flex;flex-flow:column;gap:4px;padding:8px;background:var(--vitrine-card-background,#fff);border-radius:var(--vitrine-radius,8px);max-inline-size:416px}' +
  '.link{display:flex;flex-flow:column;gap:6px;color:inherit;text-decoration:none;border-radius:var(--vitrine-radius,8px);outline-offset:2px}' +
  '.link:focus-visible,.retry:focus-visible{outline:3px solid var(--vitrine-focus,#1a56db)}' +
  '.link:hover .name{text-decoration:underline}' +
  '.media{display:flex;align-items:center;justify-content:center;aspect-ratio:4/5;overflow:hidden;border-radius:calc(var(--vitrine-radius,8px) - 2px)}' +
  '.image{width:100%;height:auto;max-width:100%;max-height:100%;object-fit:contain;border-radius:inherit}' +
  '.tall{width:auto;height:100%}' +
  '.image[data-vitrine-placeholder]{visibility:hidden}' +
  '.image,.skeleton .media,.skeleton .name,.skeleton .price,.skeleton .stock,.skeleton .buy{background:var(--vitrine-skeleton,#ececf0)}' +
  '.media:has(>[data-vitrine-placeholder]){background:var(--vitrine-skeleton,#ececf0)}' +
  // A name is as wide as its text (never wider than the card) and sits at the card's start: a box
  // of definite width is not stretched, and flex and grid place it on their own start side, whatever
  // the name's direction. Its lines keep the text's own start, so an English name on an Arabic card
  // shows at the right, an Arabic one on an English card at the left. Not text-align: on any side
  // but the text's own start (-webkit-match-parent, or right/left from the host's dir), Chromium
  // clips the clamp's "…" off a long name's last line. The drawer's names (cart-styles.ts) too, and the
  // stock label: a language with no table (Hebrew) shows English on a right-to-left card.
  '.name{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;height:2.8em;overflow:hidden;font-weight:600;width:fit-content;max-width:100%}' +
  '.price{height:1.4em;font-variant-numeric:tabular-nums}' +
  '.stock{height:1.4em;font-size:.87em;color:var(--vitrine-in-stock,#116b2f);width:fit-content;max-width:100%}' +
  '.stock.out{color:var(--vitrine-out-of-stock,#8a1c1c)}' +
  // The skeleton's name has no text: its bar is the card's width.
  '.skeleton .name,.skeleton .price,.skeleton .stock{border-radius:4px;width:auto}' +
  '.skeleton .price{inline-size:40%}.skeleton .stock{inline-size:30%}' +
  '.status{padding:16px;color:var(--vitrine-muted,#55555f)}' +
  '.retry{font:inherit;margin-inline-start:8px;padding:6px 14px;border:1px solid;border-radius:6px;background:var(--vitrine-card-background,#fff);color:var(--vitrine-accent,#1a56db);cursor:pointer}' +
  // Boxes held before the cart's file arrives: the cards' buy row and the <vitrine-cart> badge.
  '.buy{height:36px}.skeleton .buy{border-radius:6px}' +
  ':host(vitrine-cart){display:inline-block!important;min-width:6.5em!important;min-height:2.4em!important}' +
  '@media (prefers-reduced-motion:no-preference){.skeleton .media{animation:vitrine-pulse 1.2s ease-in-out infinite alternate}}' +
  '@keyframes vitrine-pulse{to{opacity:.55}}';

let shared: CSSStyleSheet | undefined;

/** Adopts the shared sheet into a shadow root (created on first use, never at import time). */
export function adoptStyles(root: ShadowRoot): void {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(CSS);
  }
  if (!root.adoptedStyleSheets.includes(shared)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, shared];
}
