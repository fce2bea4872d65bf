import type { Alarm, AlarmAnswer, AlarmKind } from '../field/types.js';
import { formatTime, iso } from './format.js';
import { html, httpUrl, type Html } from './html.js';

/**
 * Open alarms first, then the recently resolved, each with its evidence as a list of numbers and
 * a link to the support console set up to reproduce it (the console URL is an option; without
 * one, the console's query string is shown to copy).
 */
const KIND_LABEL: Record<AlarmKind, string> = {
  'requests-per-view': 'Requests per page view',
  'blank-variant': 'Blank CDN variant',
  'origin-fallback-rate': 'Origin-fallback rate',
  'error-rate': 'Error rate',
  'vital-regression': 'Web-vital regression',
};

function scalar(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'boolean') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const MAX_ITEMS = 10;

/** A number or a word as text; a list of records (e.g. the URLs of a blank cluster) as a list, one record a line. */
function evidenceValue(v: unknown): Html {
  if (!Array.isArray(v)) return typeof v === 'object' && v !== null ? html`${record(v as Record<string, unknown>)}` : html`${scalar(v)}`;
  if (v.every((x) => typeof x !== 'object' || x === null)) return html`${v.map(scalar).join(', ')}`;
  const more = v.length - MAX_ITEMS;
  return html`<ul class="evidence-list">${v.slice(0, MAX_ITEMS).map((x) => html`<li>${typeof x === 'object' && x !== null ? record(x as Record<string, unknown>) : scalar(x)}</li>`)}${more > 0 ? html`<li>and ${more} more</li>` : html``}</ul>`;
}

/** `viewsElsewhere` → `views elsewhere`: the evidence's keys, as words. */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

const record = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, x]) => `${words(k)} ${scalar(x)}`)
    .join(' · ');

/** The console URL with the alarm's fault toggles merged into its query; undefined unless http(s). */
export function reproduceUrl(consoleUrl: string | undefined, reproduce: string | undefined): string | undefined {
  if (!consoleUrl || !reproduce) return undefined;
  const base = httpUrl(consoleUrl);
  if (!base) return undefined;
  const url = new URL(base);
  for (const [k, v] of new URLSearchParams(reproduce.startsWith('?') ? reproduce.slice(1) : reproduce)) url.searchParams.set(k, v);
  return url.href;
}

function alarm(a: Alarm, consoleUrl: string | undefined, state: 'open' | 'resolved', index: number): Html {
  const id = `alarm-${state}-${index}`;
  const href = reproduceUrl(consoleUrl, a.reproduce);
  const reproduce = href
    ? html`<p><a class="button" href="${href}" rel="noopener noreferrer">Reproduce in the console</a></p>`
    : a.reproduce
      ? html`<p class="hint">Reproduce in the console with <code>${a.reproduce.startsWith('?') ? a.reproduce : `?${a.reproduce}`}</code> (start the collector with a console URL to get a link).</p>`
      : html``;
  const evidence = Object.entries(a.evidence).map(
    ([k, v]) => html`<div${Array.isArray(v) && v.some((x) => typeof x === 'object') ? html` class="wide"` : html``}><dt>${words(k)}</dt><dd>${evidenceValue(v)}</dd></div>`,
  );
  const when = html`Opened <time datetime="${iso(a.openedAt)}">${formatTime(a.openedAt)}</time>${
    a.resolvedAt !== undefined ? html`, resolved <time datetime="${iso(a.resolvedAt)}">${formatTime(a.resolvedAt)}</time>` : html``
  }`;
  return html`<li class="alarm ${state}"><article aria-labelledby="${id}">
<h4 id="${id}"><span class="badge ${state}">${state === 'open' ? 'Open' : 'Resolved'}</span> ${KIND_LABEL[a.kind] ?? a.kind}: ${a.subject}</h4>
<p>${a.summary}</p>
<p class="meta">Store ${a.store} · ${when}</p>
${evidence.length ? html`<dl class="evidence">${evidence}</dl>` : html``}
${reproduce}</article></li>`;
}

export function alarms(answer: AlarmAnswer, consoleUrl: string | undefined): Html {
  const open = answer.open.length ? html`<ul class="alarms">${answer.open.map((a, i) => alarm(a, consoleUrl, 'open', i))}</ul>` : html`<p class="ok">No open alarm.</p>`;
  const resolved = answer.resolved.length
    ? html`<ul class="alarms">${answer.resolved.map((a, i) => alarm(a, consoleUrl, 'resolved', i))}</ul>`
    : html`<p class="empty">None resolved in this range.</p>`;
  return html`<section aria-labelledby="h-alarms"><h2 id="h-alarms">Alarms <span class="count-badge${answer.open.length ? ' hot' : ''}">${answer.open.length} open</span></h2>
<h3>Open</h3>${open}<h3>Recently resolved</h3>${resolved}</section>`;
}
