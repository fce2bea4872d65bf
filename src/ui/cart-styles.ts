/** The cart's CSS (buy row controls, badge, drawer), adopted next to the shared sheet where the cart renders. Lazy. */
const CART_CSS =
  '.buy{display:flex;gap:8px;position:relative}' +
  '.refusal{position:absolute;inset-inline:0;bottom:calc(100% + 4px);margin:0;padding:6px 8px;border-radius:6px;font-size:.87em;z-index:1;' +
  'background:var(--vitrine-refusal-background,#8a1c1c);color:var(--vitrine-refusal-color,#fff)}' +
  '.variant,.add,.badge,.checkout,.close,.remove{font:inherit;border-radius:6px;cursor:pointer;min-width:0}' +
  '.variant{flex:1;border:1px solid var(--vitrine-muted,#55555f);background:var(--vitrine-card-background,#fff);color:inherit}' +
  // Two lines of label fit the 36 px row ("In den / Warenkorb" on a phone's narrow card), never a cut one.
  '.add{flex:1;font-weight:600;border:0;background:var(--vitrine-accent,#1a56db);color:#fff;line-height:1.15;padding:0 6px}' +
  // Out of stock: still readable (7:1), not the accent faded to 2.3:1.
  '.add:disabled{background:var(--vitrine-disabled-background,#d4d4d8);color:var(--vitrine-disabled-color,#3f3f46);cursor:default}' +
  '.badge{display:inline-flex;align-items:center;gap:6px;min-height:2.4em;padding:4px 12px;border:1px solid currentColor;background:var(--vitrine-card-background,#fff);color:var(--vitrine-accent,#1a56db)}' +
  '.count{min-width:1.6em;border-radius:9px;background:var(--vitrine-accent,#1a56db);color:#fff;text-align:center}' +
  'dialog{margin:0;margin-inline-start:auto;height:100%;max-height:100%;width:min(420px,100%);max-width:100%;border:0;padding:0;' +
  'background:var(--vitrine-card-background,#fff);color:var(--vitrine-color,#1b1b1f);font:inherit;box-shadow:0 0 24px rgb(0 0 0/.18)}' +
  'dialog::backdrop{background:rgb(0 0 0/.4)}' +
  '.drawer{display:flex;flex-direction:column;height:100%}' +
  '.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:12px 16px;border-bottom:1px solid var(--vitrine-skeleton,#ececf0)}' +
  '.title{margin:0;font-size:1.2em}' +
  '.lines{list-style:none;margin:0;padding:0 16px;overflow:auto;flex:1}' +
  '.line{display:grid;grid-template-columns:64px 1fr auto;gap:4px 12px;padding:12px 0;border-bottom:1px solid var(--vitrine-skeleton,#ececf0);align-items:center}' +
  '.thumb{grid-row:span 4;align-self:start;width:64px;height:80px;display:flex;align-items:center;justify-content:center;background:var(--vitrine-skeleton,#ececf0);border-radius:4px;overflow:hidden}' +
  '.thumb img{max-width:100%;max-height:100%}' +
  // Its width and side come from the shared sheet's .name (styles.ts): as wide as its text, at the line's start.
  '.line .name{display:block;height:auto;font-weight:600;overflow-wrap:anywhere;grid-column:2/4;color:inherit}' +
  '.line .price{height:auto}.total{font-weight:600;text-align:end}' +
  '.note{grid-column:2/4;font-size:.87em;color:var(--vitrine-out-of-stock,#8a1c1c)}' +
  '.qty,.qty-label{display:flex;align-items:center;gap:8px}.qty{grid-column:2/4}' +
  '.qty input{font:inherit;width:4.5em;padding:6px;border:1px solid var(--vitrine-muted,#55555f);border-radius:6px}' +
  '.foot{padding:16px;border-top:1px solid var(--vitrine-skeleton,#ececf0);display:flex;flex-direction:column;gap:8px}' +
  '.sum{display:flex;justify-content:space-between;font-weight:600}' +
  '.wait,.memory,.empty{color:var(--vitrine-muted,#55555f);font-size:.87em;margin:0}' +
  '.memory{padding:0 16px 16px}.empty{padding:24px 16px;font-size:1em}' +
  '.checkout{display:block;text-align:center;padding:12px;border:0;background:var(--vitrine-accent,#1a56db);color:#fff;text-decoration:none;font-weight:600;width:100%}' +
  '.checkout[aria-disabled=true],.checkout:disabled{opacity:.5;cursor:default}' +
  '.close,.remove{padding:6px 12px;border:1px solid currentColor;background:transparent;color:var(--vitrine-accent,#1a56db)}' +
  '.remove{margin-inline-start:auto}' +
  ':is(.add,.variant,.badge,.checkout,.close,.remove,.qty input,.line .name):focus-visible{outline:3px solid var(--vitrine-focus,#1a56db);outline-offset:2px}';

let sheet: CSSStyleSheet | undefined;

export function adoptCartStyles(root: Node): void {
  if (!(root instanceof ShadowRoot)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CART_CSS);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
