import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStorefront, type AssetEvent } from '../../src/index.js';
import { createKeyValueStore } from '../../src/lib/storage.js';
import { backend, backendUrls, freshDbName } from '../helpers/browser-backend.js';

// The key-value store's "never written here" hint (lib/storage.ts), in real Chromium: a profile that
// never wrote to a database does not open it to read nothing (30–55 ms on a fresh profile, which the
// bad-URL memory used to add before every page's first image).

const exists = async (name: string) => (await indexedDB.databases()).some((d) => d.name === name);

beforeEach(async () => {
  await backend.reset();
});
afterEach(() => {
  for (const img of document.querySelectorAll('img')) img.remove();
});

describe('the key-value store with a hint', () => {
  it('answers reads empty without opening the database until its first write; then every store over it reads the data', async () => {
    const name = freshDbName('hint');
    const kv = createKeyValueStore(name, 'entries', { hint: name });
    // Another tab's store, made before the write: the hint is looked up at each read, not once.
    const otherTab = createKeyValueStore(name, 'entries', { hint: name });
    expect(await kv.getMany(['a'])).toEqual([undefined]);
    expect(await kv.entries()).toEqual([]);
    expect(await otherTab.getMany(['a'])).toEqual([undefined]);
    expect(await exists(name)).toBe(false);
    expect(localStorage.getItem(`vitrine-cached:${name}`)).toBeNull();

    await kv.setMany([['a', 1]]);
    expect(localStorage.getItem(`vitrine-cached:${name}`)).toBe('1');
    expect(await exists(name)).toBe(true);
    expect(await otherTab.getMany(['a'])).toEqual([1]);
    // The next page view.
    const next = createKeyValueStore(name, 'entries', { hint: name });
    expect(await next.entries()).toEqual([['a', 1]]);
  });

  it('without a hint, reads open the database as they always did', async () => {
    const name = freshDbName('no-hint');
    const kv = createKeyValueStore(name, 'entries');
    expect(await kv.getMany(['a'])).toEqual([undefined]);
    expect(await exists(name)).toBe(true);
  });
});

describe('the bad-URL memory', () => {
  const open = (dbName: string) => {
    const urls = backendUrls();
    const store = createStorefront({ storeId: 'hint', api: urls.api, cdn: urls.cdn, origin: urls.origin, cache: { dbName } });
    const assets: AssetEvent[] = [];
    store.on('asset', (e) => assets.push(e));
    return { store, assets };
  };
  const show = async (store: ReturnType<typeof open>['store'], id: string) => {
    const img = document.createElement('img');
    document.body.append(img);
    return store.assets.image(img, await store.products.get(id), 'thumbnail');
  };

  it('is never opened on a profile that never met a bad CDN URL; the first blank writes it, and the next view reads it back', async () => {
    const dbName = freshDbName('memory');
    const first = open(dbName);
    expect(await show(first.store, '1')).toMatchObject({ host: 'cdn', outcome: 'ok' });
    expect(await exists(`${dbName}-assets`)).toBe(false);

    // A blank thumbnail for product 2 on the CDN: shown from the origin, and remembered.
    await backend.addFault({ host: 'cdn', fault: 'empty', path: '/images/hint/p2-*' });
    expect(await show(first.store, '2')).toMatchObject({ host: 'origin', outcome: 'ok' });
    await expect.poll(() => exists(`${dbName}-assets`), { timeout: 5000 }).toBe(true);
    expect(localStorage.getItem(`vitrine-cached:${dbName}-assets`)).toBe('1');
    first.store.destroy();

    // The next page view goes to the origin for it at once, the CDN copy skipped as remembered bad.
    await backend.reset();
    const next = open(dbName);
    await expect
      .poll(
        async () => {
          const img = document.createElement('img');
          document.body.append(img);
          return (await next.store.assets.image(img, await next.store.products.get('2'), 'thumbnail')).host;
        },
        { timeout: 5000 },
      )
      .toBe('origin');
    expect(next.assets.find((e) => e.host === 'cdn')).toMatchObject({ outcome: 'skipped', reason: 'remembered-bad' });
    next.store.destroy();
  });
});
