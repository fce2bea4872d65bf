/**
 * Run-time switchable faults for the simulated backend. Rules are matched in the order they were
 * added; the first matching rule applies to a request. Browser-safe: no Node APIs.
 */
import { fnv1a } from './catalog.js';

export type HostName = 'api' | 'cdn' | 'origin' | 'collector';
export const HOST_NAMES: readonly HostName[] = ['api', 'cdn', 'origin', 'collector'];

export type FaultKind = 'empty' | 'truncate' | 'html' | 'status' | 'retry-after' | 'slow' | 'hang' | 'network' | 'malformed';
export const FAULT_KINDS: readonly FaultKind[] = ['empty', 'truncate', 'html', 'status', 'retry-after', 'slow', 'hang', 'network', 'malformed'];

export interface FaultRule {
  host: HostName;
  fault: FaultKind;
  /** Exact pathname, or a prefix ending with '*' (e.g. '/images/*'); default: every path. */
  path?: string;
  /** For 'status' (required) and 'retry-after' (default 503). */
  status?: number;
  /** Retry-After header value for 'retry-after' (default '1'). */
  retryAfter?: string;
  /** For 'slow'. */
  delayMs?: number;
  /** Only requests whose User-Agent contains this. */
  userAgent?: string;
  /** Only requests whose Accept header contains this. */
  accept?: string;
  /** 0..1: only this share of distinct paths (a deterministic hash of the pathname). */
  share?: number;
  /** Apply at most this many times, then stop matching. */
  times?: number;
}

export type ActiveFault = FaultRule & { id: string; hits: number };

export interface FaultController {
  add(rule: FaultRule): string;
  remove(id: string): void;
  clear(): void;
  list(): ActiveFault[];
}

/** The controller plus the matcher the handlers use (not part of the public surface). */
export interface FaultMatcher extends FaultController {
  /** The first rule matching this request, with its hit counted; undefined when none applies. */
  match(host: HostName, request: Request): ActiveFault | undefined;
}

/** Validates an untrusted rule (e.g. from the HTTP control endpoint); throws an Error saying what is wrong. */
export function validateRule(input: unknown): FaultRule {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('expected a JSON object FaultRule');
  const r = input as Record<string, unknown>;
  if (!HOST_NAMES.includes(r.host as HostName)) throw new Error(`expected "host" to be one of ${HOST_NAMES.join(', ')}`);
  if (!FAULT_KINDS.includes(r.fault as FaultKind)) throw new Error(`expected "fault" to be one of ${FAULT_KINDS.join(', ')}`);
  const rule: FaultRule = { host: r.host as HostName, fault: r.fault as FaultKind };
  const str = (key: 'path' | 'retryAfter' | 'userAgent' | 'accept') => {
    const v = r[key];
    if (v === undefined) return;
    if (typeof v !== 'string' || v.length === 0) throw new Error(`expected "${key}" to be a non-empty string`);
    rule[key] = v;
  };
  const num = (key: 'status' | 'delayMs' | 'share' | 'times', min: number, max: number) => {
    const v = r[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Error(`expected "${key}" to be a number in ${min}..${max}`);
    rule[key] = v;
  };
  str('path');
  str('retryAfter');
  str('userAgent');
  str('accept');
  num('status', 200, 599);
  num('delayMs', 0, 600_000);
  num('share', 0, 1);
  num('times', 0, Number.MAX_SAFE_INTEGER);
  if (rule.path !== undefined && !rule.path.startsWith('/')) throw new Error('expected "path" to start with "/"');
  if (rule.fault === 'status' && rule.status === undefined) throw new Error('a "status" fault needs "status"');
  if (rule.fault === 'slow' && rule.delayMs === undefined) throw new Error('a "slow" fault needs "delayMs"');
  return rule;
}

export function pathMatches(pattern: string | undefined, pathname: string): boolean {
  if (pattern === undefined || pattern === '*') return true;
  return pattern.endsWith('*') ? pathname.startsWith(pattern.slice(0, -1)) : pathname === pattern;
}

/** Whether a path falls in the given share of paths: stable for a given path, ~`share` of all paths. */
export function inShare(share: number | undefined, pathname: string): boolean {
  if (share === undefined) return true;
  return fnv1a(`share:${pathname}`) / 4294967296 < share;
}

export function createFaultController(): FaultMatcher {
  let rules: ActiveFault[] = [];
  let nextId = 1;
  return {
    add(rule) {
      const valid = validateRule(rule);
      const id = `f${nextId++}`;
      rules.push({ ...valid, id, hits: 0 });
      return id;
    },
    remove(id) {
      rules = rules.filter((r) => r.id !== id);
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map((r) => ({ ...r }));
    },
    match(host, request) {
      const { pathname } = new URL(request.url);
      const ua = request.headers.get('user-agent') ?? '';
      const accept = request.headers.get('accept') ?? '';
      for (const rule of rules) {
        if (rule.host !== host) continue;
        if (rule.times !== undefined && rule.hits >= rule.times) continue;
        if (!pathMatches(rule.path, pathname)) continue;
        if (rule.userAgent !== undefined && !ua.includes(rule.userAgent)) continue;
        if (rule.accept !== undefined && !accept.includes(rule.accept)) continue;
        if (!inShare(rule.share, pathname)) continue;
        rule.hits++;
        return { ...rule };
      }
      return undefined;
    },
  };
}
