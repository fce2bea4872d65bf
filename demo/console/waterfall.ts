import type { EventLog, LoggedAsset, LoggedRequest } from './event-log.js';
import { fmtMs, svg } from './dom.js';

/** Colours by who answered; failures are marked by shape (a cross and a dashed outline), not colour alone. */
export const WATERFALL_COLOURS = { api: '#7c3aed', cdn: '#2563eb', origin: '#ea580c', failed: '#dc2626' } as const;

const ROW = 14;
const LABEL_W = 230;
const WIDTH = 900;
const AXIS_H = 22;
const MAX_ROWS = 200;

type Row = { kind: 'api' | 'cdn' | 'origin'; start: number; end: number; label: string; failed: boolean; title: string };

function requestRow(e: LoggedRequest): Row {
  const d = e.data;
  // A blank 2xx is a failure too: the CDN's cached copy of the API answer was empty.
  const failed = d.status === 0 || d.status >= 400 || d.blank === true;
  const what = d.ids ? `API ×${d.ids.length} ids` : `API ${new URL(d.url, location.href).search.slice(0, 24) || 'list'}`;
  // An API answer asked of the API origin (apiOrigin) is an origin fallback, and drawn as one.
  const fromOrigin = d.host === 'origin';
  const label = `${fromOrigin ? 'origin ' : ''}${what}${d.attempt > 1 ? ` (try ${d.attempt})` : ''}${d.source === 'cache' ? ' cache' : ''}`;
  return {
    kind: fromOrigin ? 'origin' : 'api',
    start: e.start,
    end: e.end,
    label,
    failed,
    title: `${d.url} → ${d.status || 'no answer'}${d.blank ? ' (blank)' : ''} in ${fmtMs(d.ms)}`,
  };
}

function assetRow(e: LoggedAsset): Row {
  const d = e.data;
  const path = new URL(d.url, location.href).pathname;
  const failed = d.outcome !== 'ok';
  return {
    kind: d.host,
    start: e.start,
    end: e.end,
    label: `${d.host} ${path.split('/').slice(-2).join('/')}`,
    failed,
    title: `${d.url} (${d.host}) → ${d.outcome}${d.reason ? ` (${d.reason})` : ''} in ${fmtMs(d.ms)}`,
  };
}

/** A tick step giving ~8 labelled ticks over the span. */
export function tickStep(spanMs: number): number {
  const raw = spanMs / 8;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
}

/**
 * The request waterfall as an SVG picture: one row per API call (with its batch size) and per asset
 * attempt, on a shared time axis from the first event; CDN in one colour, origin fallbacks in
 * another, failures crossed out.
 */
export function renderWaterfall(container: Element, log: EventLog): void {
  const rows = log.events
    .filter((e): e is LoggedRequest | LoggedAsset => (e.type === 'request' && e.data.source === 'network') || (e.type === 'asset' && e.data.outcome !== 'skipped'))
    .slice(0, MAX_ROWS)
    .map((e) => (e.type === 'request' ? requestRow(e) : assetRow(e)))
    .sort((a, b) => a.start - b.start);
  const t0 = Math.min(...rows.map((r) => r.start), log.origin);
  const t1 = Math.max(...rows.map((r) => r.end), t0 + 100);
  const span = t1 - t0;
  const plotW = WIDTH - LABEL_W - 10;
  const x = (t: number) => LABEL_W + ((t - t0) / span) * plotW;
  const height = AXIS_H + Math.max(rows.length, 1) * ROW + 6;

  const picture = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: WIDTH,
    height,
    role: 'img',
    'aria-label': `Request waterfall: ${rows.length} requests`,
    class: 'waterfall',
  });
  const step = tickStep(span);
  for (let t = 0; t <= span; t += step) {
    const tx = LABEL_W + (t / span) * plotW;
    picture.append(svg('line', { x1: tx, x2: tx, y1: AXIS_H - 4, y2: height, class: 'tick' }), svg('text', { x: tx + 2, y: 12, class: 'axis' }, fmtMs(t)));
  }
  if (rows.length === 0) picture.append(svg('text', { x: LABEL_W, y: AXIS_H + 11, class: 'empty' }, 'No requests yet'));
  rows.forEach((row, i) => {
    const y = AXIS_H + i * ROW;
    const bx = x(row.start);
    const bw = Math.max(3, x(row.end) - bx);
    const colour = WATERFALL_COLOURS[row.kind];
    const g = svg('g', { class: `row ${row.kind}${row.failed ? ' failed' : ''}`, 'data-host': row.kind, 'data-failed': String(row.failed) }, svg('title', {}, row.title));
    g.append(svg('text', { x: 4, y: y + 10, class: 'label' }, row.label));
    g.append(
      svg('rect', {
        x: bx,
        y: y + 2,
        width: bw,
        height: ROW - 4,
        fill: row.failed ? 'none' : colour,
        stroke: row.failed ? WATERFALL_COLOURS.failed : colour,
        'stroke-dasharray': row.failed ? '3 2' : undefined,
        rx: 2,
      }),
    );
    if (row.failed) {
      const cx = bx + bw + 6;
      g.append(svg('path', { d: `M${cx - 4} ${y + 3} l8 8 m0 -8 l-8 8`, stroke: WATERFALL_COLOURS.failed, 'stroke-width': 2, class: 'fail-mark' }));
    }
    picture.append(g);
  });
  container.replaceChildren(picture, legend());
}

function legend(): HTMLElement {
  const p = document.createElement('p');
  p.className = 'legend';
  for (const [name, colour] of Object.entries({
    'API call': WATERFALL_COLOURS.api,
    CDN: WATERFALL_COLOURS.cdn,
    'origin fallback': WATERFALL_COLOURS.origin,
    'failed (crossed)': WATERFALL_COLOURS.failed,
  })) {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.setProperty('--swatch', colour);
    p.append(swatch, ` ${name}  `);
  }
  return p;
}
