import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storefront } from '../../src/index.js';
import { defineElements } from '../../src/ui/define-elements.js';
import { ERROR_EVENT, RENDERED_EVENT } from '../../src/ui/widget-base.js';
import { backend, backendStore } from '../helpers/browser-backend.js';

let store: Storefront | undefined;
let host: HTMLElement;

/** A fetch whose first `hangs` API calls never answer (until aborted by the timeout); later ones reach the backend. */
function hangingFetch(hangs: number): { fetch: typeof fetch; calls: () => number; firstCallAt: () => number } {
  let calls = 0;
  let firstCallAt = Number.NaN;
  const impl: typeof fetch = (input, init) => {
    if (calls++ === 0) firstCallAt = performance.now();
    if (calls > hangs) return fetch(input, init);
    return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
  };
  return { fetch: impl, calls: () => calls, firstCallAt: () => firstCallAt };
}

function open(fetchImpl: typeof fetch, attempts = 3): Storefront {
  store = backendStore('deadline', {
    timeoutMs: 300,
    retry: { attempts, baseDelayMs: 1, maxDelayMs: 5 },
    fetch: fetchImpl,
  });
  return store;
}

const nextEvent = <T extends Event>(target: EventTarget, name: string) => new Promise<T>((resolve) => target.addEventListener(name, (e) => resolve(e as T), { once: true }));
const statusOf = (el: Element) => ({
  text: el.shadowRoot!.querySelector('[part="status"]')?.firstChild?.textContent ?? null,
  retry: !!el.shadowRoot!.querySelector('button.retry'),
  cards: el.shadowRoot!.querySelectorAll('.card:not(.skeleton)').length,
});

beforeEach(async () => {
  await backend.reset();
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  store?.destroy();
  host.remove();
});

describe('errors in seconds: the widget deadline', () => {
  it('a hanging API: the error state with "Try again" at the deadline, while the retry goes on and then fills the widget', async () => {
    const api = hangingFetch(1);
    defineElements(open(api.fetch));
    const el = document.createElement('vitrine-product');
    el.setAttribute('product-id', '5');
    const errored = nextEvent<CustomEvent<{ pending: boolean }>>(el, ERROR_EVENT);
    const rendered = nextEvent(el, RENDERED_EVENT);
    host.append(el);
    const deadline = await errored;
    // The deadline fired while the first request was still hanging: one call made, a retry still to come.
    expect(deadline.detail.pending).toBe(true);
    // A figure for the record, not an assertion: from the request's start to the error state, by the events' clocks.
    console.log(`[figure] hang: request start → error state ${Math.round(deadline.timeStamp - api.firstCallAt())} ms (timeoutMs 300)`);
    expect(statusOf(el)).toEqual({ text: 'Products could not be loaded.', retry: true, cards: 0 });
    await rendered;
    expect(statusOf(el)).toMatchObject({ text: null, retry: false, cards: 1 });
    expect(api.calls()).toBe(2);
  });

  it('a grid whose every try hangs: the error state at the deadline, then the final failure keeps it (and "Try again" works)', async () => {
    const api = hangingFetch(2);
    defineElements(open(api.fetch, 2));
    const el = document.createElement('vitrine-grid');
    el.setAttribute('limit', '4');
    const events: boolean[] = [];
    el.addEventListener(ERROR_EVENT, (e) => events.push((e as CustomEvent<{ pending: boolean }>).detail.pending));
    const failed = new Promise<void>((resolve) => el.addEventListener(ERROR_EVENT, (e) => (e as CustomEvent<{ pending: boolean }>).detail.pending || resolve()));
    host.append(el);
    await failed;
    expect(events).toEqual([true, false]);
    expect(api.calls()).toBe(2);
    expect(statusOf(el)).toMatchObject({ text: 'Products could not be loaded.', retry: true });
    const rendered = nextEvent(el, RENDERED_EVENT);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry')!.click();
    await rendered;
    expect(statusOf(el).cards).toBe(4);
  });

  it('a healthy API never shows the error state', async () => {
    defineElements(open(fetch.bind(globalThis)));
    const el = document.createElement('vitrine-product');
    el.setAttribute('product-id', '5');
    let errors = 0;
    el.addEventListener(ERROR_EVENT, () => errors++);
    const rendered = nextEvent(el, RENDERED_EVENT);
    host.append(el);
    await rendered;
    expect(errors).toBe(0);
  });
});
