/**
 * The dashboard's only way to make markup: `html` escapes everything interpolated into it, so a
 * page path like `/"><img src=x onerror=…>` arrives as text; `raw()` marks a fragment as already
 * safe (another `html` result, or a constant). Attribute values are always written quoted
 * (`attr="${v}"`), and the escaping covers both quote characters, so a value cannot close one.
 */
import { parseHttpUrl } from '../http-url.js';
const SAFE = Symbol('safe-html');

export interface Html {
  readonly [SAFE]: true;
  readonly text: string;
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** A trusted fragment: only for constants and the output of `html`. */
export function raw(text: string): Html {
  return { [SAFE]: true, text };
}

export const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && (v as Html)[SAFE] === true;

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return raw(out);
}

/** The URL when it is an absolute http(s) URL, else undefined: anything else is shown as text, never linked. */
export function httpUrl(value: string): string | undefined {
  return parseHttpUrl(value)?.href;
}

/** A link when `href` is http(s), else the label as text. */
export function linkOrText(href: string, label: Interpolation = href): Html {
  const safe = httpUrl(href);
  return safe ? html`<a href="${safe}" rel="noopener noreferrer">${label}</a>` : html`${label}`;
}
