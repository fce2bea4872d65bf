import { afterEach, describe, expect, it, vi } from 'vitest';
import { addFault, makeStore, removeFaults, sentinelOf, uniq, urls } from './assets-fixture.js';

afterEach(removeFaults);

const g = globalThis as Record<string, unknown>;

describe('a script never runs twice', () => {
  it('a script that hangs on the CDN and arrives after its origin copy ran does not run again', async () => {
    const { store, events } = makeStore({ assets: { timeoutMs: 300 } });
    const guarded = uniq('late');
    const control = uniq('ctrl');
    for (const name of [guarded, control]) await addFault({ host: 'cdn', fault: 'slow', delayMs: 1200, path: `/assets/${name}.js` });

    // The control: a plain <script> taken out of the page while it downloads still runs when it arrives
    // (what the browser does, and what an element merely removed would do).
    const plain = document.createElement('script');
    plain.src = `${urls.cdn}/assets/${control}.js`;
    document.head.append(plain);
    plain.remove();

    const result = await store.assets.script(`/assets/${guarded}.js`, { sentinel: sentinelOf(guarded) });
    expect(result.host).toBe('origin');
    expect(events.map((e) => [e.host, e.outcome])).toEqual([
      ['cdn', 'timeout'],
      ['origin', 'ok'],
    ]);
    expect(g[sentinelOf(guarded)]).toBe(true);
    // Forget the origin copy's run: a second run would set it again.
    delete g[sentinelOf(guarded)];

    // Both late CDN copies were asked for at about the same time with the same delay: once the control has run,
    // the guarded copy has arrived too (plus one task for its own execution).
    await vi.waitFor(() => expect(g[sentinelOf(control)]).toBe(true), { timeout: 10_000, interval: 25 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(g[sentinelOf(guarded)]).toBeUndefined();
    store.destroy();
  });
});
