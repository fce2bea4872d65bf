import type { AssetEvent, RequestEvent, VitrineEventName, VitrineEvents } from '../../src/index.js';

/** One event as the console keeps it: when it started and ended, on the page's clock. */
export type LoggedEvent = {
  [K in VitrineEventName]: { type: K; seq: number; start: number; end: number; data: VitrineEvents[K] };
}[VitrineEventName];

export type LoggedRequest = Extract<LoggedEvent, { type: 'request' }>;
export type LoggedAsset = Extract<LoggedEvent, { type: 'asset' }>;

export interface EventLog {
  readonly events: readonly LoggedEvent[];
  /** When the view started (the waterfall's zero). */
  readonly origin: number;
  add<K extends VitrineEventName>(type: K, data: VitrineEvents[K], at?: number): void;
  requests(): LoggedRequest[];
  assets(): LoggedAsset[];
  clear(): void;
}

/** A bounded log: a page left open with faults flipping must not grow without end. */
export function createEventLog(limit = 2000, now: () => number = () => performance.now()): EventLog {
  let events: LoggedEvent[] = [];
  let seq = 0;
  let origin = now();
  return {
    get origin() {
      return origin;
    },
    get events() {
      return events;
    },
    add(type, data, at = now()) {
      // Events fire when an attempt ends; its duration places the start.
      const ms = (data as Partial<RequestEvent | AssetEvent>).ms;
      const start = typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, at - ms) : at;
      events.push({ type, seq: seq++, start, end: at, data } as LoggedEvent);
      if (events.length > limit) events = events.slice(events.length - limit);
    },
    requests: () => events.filter((e): e is LoggedRequest => e.type === 'request'),
    assets: () => events.filter((e): e is LoggedAsset => e.type === 'asset'),
    clear() {
      events = [];
      origin = now();
    },
  };
}
