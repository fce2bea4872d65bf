import { html, type Html, type Interpolation } from './html.js';

/**
 * A table in its own horizontally scrolling region (so a wide table never widens the page at
 * 375 px), captioned, with `scope` on every header; the region is focusable so a keyboard can
 * scroll it, and named by the caption.
 */
export interface TableOptions {
  id: string;
  caption: Interpolation;
  head: Interpolation[];
  /** The first cell of each row is its header (`<th scope="row">`). */
  rows: Interpolation[][];
  /** Columns (by index) holding numbers: right-aligned. */
  numeric?: number[];
  empty?: string;
}

export function dataTable(o: TableOptions): Html {
  const num = new Set(o.numeric ?? []);
  const cls = (i: number) => (num.has(i) ? html` class="num"` : html``);
  if (o.rows.length === 0) return html`<p class="empty" id="${o.id}">${o.empty ?? 'No rows.'}</p>`;
  const body = o.rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td${cls(i)}>${c}</td>`))}</tr>`);
  return html`<div class="scroll" role="region" aria-labelledby="${o.id}-caption" tabindex="0"><table id="${o.id}">
<caption id="${o.id}-caption">${o.caption}</caption>
<thead><tr>${o.head.map((h, i) => html`<th scope="col"${cls(i)}>${h}</th>`)}</tr></thead>
<tbody>${body}</tbody></table></div>`;
}

/** A missing number (a cell under the minimum sample): a dash, and words for a screen reader. */
export const missing = (): Html => html`<span aria-hidden="true">—</span><span class="visually-hidden">not enough data</span>`;
