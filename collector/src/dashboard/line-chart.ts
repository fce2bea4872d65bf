import { html, type Html } from './html.js';

/**
 * A server-rendered SVG line chart: axes, tick labels, optional guide lines (the CrUX thresholds)
 * and one line per series, gaps where a value is missing (a cell under the minimum sample). It
 * needs neither JavaScript nor inline styles (colours come from the `s0…s7` classes in
 * dashboard.css); `/dashboard.js` reads the points' `data-head` / `data-tip` for hover tooltips,
 * and each point's `<title>` is the tooltip without it.
 */
export interface ChartPoint {
  x: number;
  y: number | undefined;
  /** One line for the tooltip: the exact value. */
  tip?: string;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export interface LineChartOptions {
  id: string;
  title: string;
  /** The numbers in a sentence, for people who cannot see the chart (the table has them all). */
  summary: string;
  series: ChartSeries[];
  /** The x range to draw (ms since the epoch). */
  xDomain: [number, number];
  /** The tooltip's first line for a given x. */
  head: (x: number) => string;
  formatY: (v: number) => string;
  yLabel: string;
  guides?: { y: number; label: string; kind: 'good' | 'poor' }[];
}

const W = 480;
const H = 260;
const M = { top: 26, right: 14, bottom: 30, left: 52 };
const HOUR = 3_600_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const r1 = (n: number) => Math.round(n * 10) / 10;

/** 0 to a round number at or above `max`, in 3–6 round steps (1, 2, 2.5 or 5 × 10^k). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * pow >= rough) ?? 10) * pow;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Hour-aligned ticks (UTC), at most five, labelled by the clock or, past two days, by the date. */
export function timeTicks(from: number, to: number): { x: number; label: string }[] {
  const span = to - from;
  const step = [1, 2, 3, 6, 12, 24, 48, 72, 168, 336].map((h) => h * HOUR).find((s) => span / s <= 5) ?? 720 * HOUR;
  const out: { x: number; label: string }[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    const d = new Date(t);
    const label = step >= 24 * HOUR ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : `${String(d.getUTCHours()).padStart(2, '0')}:00`;
    out.push({ x: t, label });
  }
  return out;
}

export function lineChart(o: LineChartOptions): Html {
  const values = o.series.flatMap((s) => s.points.map((p) => p.y)).filter((v): v is number => v !== undefined);
  if (values.length === 0) return html`<p class="empty">No data for this chart in the selected range (or every hour is under the minimum sample).</p>`;
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  const x0 = Math.min(o.xDomain[0], ...xs);
  const x1 = Math.max(o.xDomain[1], ...xs, x0 + HOUR);
  const guides = o.guides ?? [];
  const dataMax = Math.max(...values);
  // The good threshold is always in view, so a flat line reads against what "good" means.
  const good = guides.find((g) => g.kind === 'good')?.y ?? 0;
  const yTicks = niceTicks(Math.max(dataMax, good) * 1.05);
  const yMax = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => r1(M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right));
  const sy = (y: number) => r1(H - M.bottom - (y / yMax) * (H - M.top - M.bottom));
  const bottom = H - M.bottom;

  const grid = yTicks.map(
    (t) =>
      html`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${sy(t)}" y2="${sy(t)}"/><text class="tick" x="${M.left - 6}" y="${sy(t)}" dy="0.32em" text-anchor="end">${o.formatY(t)}</text>`,
  );
  const xTicks = timeTicks(x0, x1).map(
    (t) =>
      html`<line class="axis" x1="${sx(t.x)}" x2="${sx(t.x)}" y1="${bottom}" y2="${bottom + 5}"/><text class="tick" x="${sx(t.x)}" y="${bottom + 18}" text-anchor="middle">${t.label}</text>`,
  );
  const guideLines = guides
    .filter((g) => g.y <= yMax)
    .map(
      (g) =>
        html`<line class="threshold ${g.kind}" x1="${M.left}" x2="${W - M.right}" y1="${sy(g.y)}" y2="${sy(g.y)}" stroke-dasharray="5 4"/><text class="threshold-label ${g.kind}" x="${W - M.right - 4}" y="${sy(g.y) - 4}" text-anchor="end">${g.label}</text>`,
    );

  const lines = o.series.map((s, i) => {
    const cls = `s${i % 8}`;
    const points = [...s.points].sort((a, b) => a.x - b.x);
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p.y === undefined) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(p.x)},${sy(p.y)}`;
      pen = true;
    }
    const dots = points
      .filter((p) => p.y !== undefined)
      .map((p) => {
        const tip = p.tip ?? `${s.name}: ${o.formatY(p.y!)}`;
        return html`<circle class="pt ${cls}" cx="${sx(p.x)}" cy="${sy(p.y!)}" r="3" data-x="${p.x}" data-head="${o.head(p.x)}" data-tip="${tip}"><title>${o.head(p.x)} · ${tip}</title></circle>`;
      });
    return html`<g class="series"><path class="line ${cls}" d="${d}" fill="none"/>${dots}</g>`;
  });

  const legend = o.series.map((s, i) => html`<li><span class="swatch s${i % 8}" aria-hidden="true"></span>${s.name}</li>`);
  return html`<figure class="chart-figure">
<svg class="chart" id="${o.id}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" tabindex="0" data-top="${M.top}" data-bottom="${bottom}" data-left="${M.left}" data-right="${W - M.right}">
<title id="${o.id}-title">${o.title}</title><desc id="${o.id}-desc">${o.summary}</desc>
<g class="grid-lines">${grid}</g>
<text class="axis-label" x="4" y="13" text-anchor="start">${o.yLabel}</text>
<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${bottom}" y2="${bottom}"/>
<g class="x-ticks">${xTicks}</g>
<g class="thresholds">${guideLines}</g>
${lines}
</svg>
<figcaption><ul class="legend">${legend}</ul></figcaption>
</figure>`;
}
