import type { EventBus, VitrineEventName, VitrineEvents } from './events.js';
import { now } from './lib/signals.js';

export type BufferedEvent = { [K in VitrineEventName]: { type: K; at: number; data: VitrineEvents[K] } }[VitrineEventName];

export interface EventLog {
  readonly entries: readonly BufferedEvent[];
  stop(): void;
}

const NAMES: readonly VitrineEventName[] = ['request', 'cache', 'asset', 'vital', 'error', 'breaker'];

/**
 * Records the bus from now on, so code that loads after the first paint (the vitals reporter, the
 * debug overlay) can replay the whole page view without being in the script-tag bundle. Bounded:
 * a page that never loads its consumer cannot grow it without limit.
 */
export function recordEvents(bus: Pick<EventBus, 'on'>, cap = 5000): EventLog {
  const entries: BufferedEvent[] = [];
  const offs = NAMES.map((type) =>
    bus.on(type, (data: VitrineEvents[typeof type]) => {
      if (entries.length < cap) entries.push({ type, at: now(), data } as BufferedEvent);
    }),
  );
  return {
    entries,
    stop: () => offs.forEach((off) => off()),
  };
}
