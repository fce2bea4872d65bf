import { describe, expect, it, vi } from 'vitest';
import { createBackend, DEFAULT_BASES } from '../../demo/backend/handlers.js';
import { connectSimulatedStore, createInPageFaultControl, FAULTS_STORAGE_KEY } from '../../demo/console/backend-adapter.js';

const LOOPBACK = { api: 'http://127.0.0.1:1', cdn: 'http://127.0.0.1:2', origin: 'http://127.0.0.1:3', collector: 'http://127.0.0.1:4' };

/** A page server that publishes a loopback store (or not), and a worker starter that records it ran. */
function page(published: boolean) {
  const fetch = vi.fn(async (input: RequestInfo | URL) =>
    String(input) === '/__vitrine/backend.json' && published ? Response.json(LOOPBACK) : new Response('Not found', { status: 404 }),
  );
  const backend = createBackend();
  const startWorker = vi.fn(async () => backend);
  return { fetch: fetch as unknown as typeof globalThis.fetch, startWorker, backend };
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

describe('console backend selection', () => {
  it('uses the loopback store `npm run demo` publishes, without starting a service worker', async () => {
    const p = page(true);
    const store = await connectSimulatedStore('', p);
    expect(store).toMatchObject({ mode: 'loopback', bases: LOOPBACK });
    expect(p.startWorker).not.toHaveBeenCalled();
  });

  it('starts the in-page store on a plain static server (nothing published)', async () => {
    const p = page(false);
    const store = await connectSimulatedStore('', p);
    expect(store).toMatchObject({ mode: 'worker', bases: DEFAULT_BASES });
    expect(p.startWorker).toHaveBeenCalledOnce();
  });

  it('?backend=worker starts the in-page store even where a loopback store is published', async () => {
    const p = page(true);
    expect((await connectSimulatedStore('?backend=worker', p))?.mode).toBe('worker');
    expect(p.fetch).not.toHaveBeenCalled();
  });

  it('?backend=loopback on a static server gives no simulated store rather than a worker', async () => {
    const p = page(false);
    expect(await connectSimulatedStore('?backend=loopback', p)).toBeUndefined();
    expect(p.startWorker).not.toHaveBeenCalled();
  });

  it('a support link to a real store on a static server starts no worker', async () => {
    const p = page(false);
    expect(await connectSimulatedStore('?store=9&api=https://api.shop.example', p)).toBeUndefined();
    expect(p.startWorker).not.toHaveBeenCalled();
  });
});

describe('in-page fault switches', () => {
  it('switch the in-page backend, and a rule switched on is back after a reload (same session)', async () => {
    const storage = memoryStorage();
    const first = createBackend();
    const control = createInPageFaultControl(first.faults, storage);
    const id = await control.add({ host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1 });
    expect(first.faults.list()).toEqual([expect.objectContaining({ id, host: 'cdn', fault: 'empty', share: 0.1 })]);

    const reloaded = createBackend();
    await createInPageFaultControl(reloaded.faults, storage).list();
    expect(reloaded.faults.list()).toEqual([expect.objectContaining({ host: 'cdn', fault: 'empty', path: '/images/*', share: 0.1, hits: 0 })]);

    await control.clear();
    const afterClear = createBackend();
    createInPageFaultControl(afterClear.faults, storage);
    expect(afterClear.faults.list()).toEqual([]);
  });

  it('a corrupt or tampered saved entry starts without those faults instead of breaking the console', () => {
    const storage = memoryStorage();
    storage.setItem(
      FAULTS_STORAGE_KEY,
      JSON.stringify([
        { host: 'cdn', fault: 'explode' },
        { host: 'api', fault: 'status', status: 500 },
      ]),
    );
    const backend = createBackend();
    createInPageFaultControl(backend.faults, storage);
    expect(backend.faults.list()).toEqual([expect.objectContaining({ host: 'api', fault: 'status', status: 500 })]);

    storage.setItem(FAULTS_STORAGE_KEY, '{not json');
    const other = createBackend();
    expect(() => createInPageFaultControl(other.faults, storage)).not.toThrow();
    expect(other.faults.list()).toEqual([]);
  });

  it("an invalid rule is refused with the backend's message, as the HTTP switch refuses it", async () => {
    const control = createInPageFaultControl(createBackend().faults, memoryStorage());
    await expect(control.add({ host: 'cdn', fault: 'status' })).rejects.toThrow('a "status" fault needs "status"');
  });
});
