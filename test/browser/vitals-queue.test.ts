import { afterEach, describe, expect, it } from 'vitest';
import { createReportQueue } from '../../src/vitals/queue.js';
import { freshDbName } from '../helpers/browser-backend.js';

// The unsent-report queue on real Chromium IndexedDB and localStorage. A page that leaves while the
// database is still opening (here: queued behind another connection's blocked upgrade) has no later
// task in which IndexedDB could write, so a push goes to localStorage until the next take moves it in.

/** Holds `name` open at version 1 and asks for version 2, so every other open() waits until release. */
async function blockOpens(name: string) {
  const holder = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('reports');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const upgrade = indexedDB.open(name, 2);
  await new Promise((r) => (upgrade.onblocked = r));
  return () =>
    new Promise<void>((resolve) => {
      upgrade.onsuccess = () => (upgrade.result.close(), resolve());
      upgrade.onerror = () => resolve();
      holder.close();
    });
}

const unsentKeys = (dbName: string) => Object.keys(localStorage).filter((k) => k.startsWith(`${dbName}-vitals:`));

afterEach(() => localStorage.clear());

describe('vitals report queue (real Chromium)', () => {
  it('pushed before the database has opened: kept in localStorage at once (at most max), taken oldest first by the next take', async () => {
    const dbName = freshDbName('vitals-early');
    const release = await blockOpens(`${dbName}-vitals`);
    let t = 1_000;
    const queue = createReportQueue({ dbName, max: 3, now: () => t++ });
    const pushes: Promise<void>[] = [];
    for (let i = 0; i < 4; i++) pushes.push(queue.push({ i }));
    // Written in the task of the push, before any IndexedDB event: what a page that leaves now keeps.
    expect(unsentKeys(dbName)).toHaveLength(3);
    await release();
    // The fourth, over the bound, waited for the open as before and lands in the database.
    await Promise.all(pushes);

    // A fresh page view's queue.
    const next = createReportQueue({ dbName, max: 3 });
    const { reports, dropped } = await next.take();
    expect(unsentKeys(dbName)).toEqual([]);
    expect(dropped).toBe(1);
    expect(reports.map((r) => r.report)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    expect(await next.take()).toEqual({ reports: [], dropped: 0 });
    // With the database open too: localStorage first, as the leaving page cannot tell.
    await next.push({ i: 4 });
    expect(unsentKeys(dbName)).toHaveLength(1);
    expect((await next.take()).reports.map((r) => r.report)).toEqual([{ i: 4 }]);
    expect(unsentKeys(dbName)).toEqual([]);
  });
});
