import { afterEach, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../src/errors.js';
import { addFault, CDN_FAULTS, countRequests, fixtureBody, makeStore, sentinelOf, removeFaults, ruleFor, sri, uniq } from './assets-fixture.js';

afterEach(removeFaults);

const g = globalThis as Record<string, unknown>;

type Mode = { kind: 'script' | 'style' | 'json'; label: string; integrity: boolean };
const MODES: Mode[] = [
  { kind: 'script', label: 'script proven by its sentinel', integrity: false },
  { kind: 'script', label: 'script with SRI', integrity: true },
  { kind: 'style', label: 'stylesheet checked for rules', integrity: false },
  { kind: 'style', label: 'stylesheet with SRI', integrity: true },
  { kind: 'json', label: 'JSON', integrity: false },
];

async function load(store: ReturnType<typeof makeStore>['store'], mode: Mode, name: string) {
  const ext = mode.kind === 'script' ? 'js' : mode.kind === 'style' ? 'css' : 'json';
  const path = `/assets/${name}.${ext}`;
  if (mode.kind === 'json') return { path, result: await store.assets.json<{ name: string; ok: boolean }>(path) };
  const integrity = mode.integrity ? await sri(fixtureBody(name, ext as 'js' | 'css')) : undefined;
  if (mode.kind === 'script') {
    return { path, result: await store.assets.script(path, integrity ? { integrity } : { sentinel: sentinelOf(name) }) };
  }
  return { path, result: await store.assets.style(path, integrity ? { integrity } : {}) };
}

/** The shopper got the real thing: the script ran, the rules apply, the data parsed. */
function expectReal(mode: Mode, name: string, value: unknown) {
  if (mode.kind === 'script') expect(g[sentinelOf(name)]).toBe(true);
  if (mode.kind === 'json') expect(value).toEqual({ name, ok: true });
  if (mode.kind === 'style') {
    const probe = document.createElement('div');
    probe.className = `vitrine-fixture-${name}`;
    document.body.appendChild(probe);
    expect(getComputedStyle(probe).color).toBe('rgb(1, 2, 3)');
    probe.remove();
  }
}

for (const mode of MODES) {
  describe(`${mode.label}: a CDN serving blanks`, () => {
    it('loads from the CDN with zero origin requests when the CDN is healthy', async () => {
      const { store, events } = makeStore();
      const name = uniq('a');
      const { path, result } = await load(store, mode, name);
      expect(result.host).toBe('cdn');
      expectReal(mode, name, result.value);
      expect(await countRequests(path)).toMatchObject({ cdn: 1, origin: 0 });
      expect(events.map((e) => [e.kind, e.host, e.outcome])).toEqual([[mode.kind, 'cdn', 'ok']]);
      store.destroy();
    });

    const cases = CDN_FAULTS.filter((c) => !(c.needsIntegrity && mode.kind !== 'json' && !mode.integrity));
    for (const c of cases) {
      it(`gets the real asset from the origin when the CDN answers ${c.name}, at 1 CDN + 1 origin request`, async () => {
        const { store, events } = makeStore();
        const name = uniq('a');
        const ext = mode.kind === 'script' ? 'js' : mode.kind === 'style' ? 'css' : 'json';
        await addFault(ruleFor(c, `/assets/${name}.${ext}`));
        const { path, result } = await load(store, mode, name);
        expect(result.host).toBe('origin');
        expect(result.url).toBe(`${store.options.origin}${path}`);
        expectReal(mode, name, result.value);
        const counts = await countRequests(path);
        expect(counts.cdn).toBeGreaterThanOrEqual(1);
        expect(counts.cdn).toBeLessThanOrEqual(c.wireCdn ?? 1);
        expect(counts.origin).toBe(1);
        expect(events.map((e) => [e.kind, e.host])).toEqual([
          [mode.kind, 'cdn'],
          [mode.kind, 'origin'],
        ]);
        expect(c.cdnOutcome).toContain(events[0]?.outcome);
        expect(events[1]?.outcome).toBe('ok');
        store.destroy();
      });
    }

    it('rejects with ASSET_FAILED after a bounded number of tries when the origin is down too', async () => {
      const { store, events } = makeStore();
      const name = uniq('a');
      const ext = mode.kind === 'script' ? 'js' : mode.kind === 'style' ? 'css' : 'json';
      const path = `/assets/${name}.${ext}`;
      await addFault({ host: 'cdn', fault: 'empty', path });
      await addFault({ host: 'origin', fault: 'status', status: 503, path });
      const error = await load(store, mode, name).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVitrineError(error, 'ASSET_FAILED')).toBe(true);
      const counts = await countRequests(path);
      // 1 CDN + 1 origin + at most retry.attempts − 2 budgeted origin retries (default attempts 3).
      expect(counts.cdn).toBe(1);
      expect(counts.origin).toBeGreaterThanOrEqual(1);
      expect(counts.origin).toBeLessThanOrEqual(2);
      expect(events.filter((e) => e.host === 'origin').length).toBe(counts.origin);
      store.destroy();
    });
  });
}
