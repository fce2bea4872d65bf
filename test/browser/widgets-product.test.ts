import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import axe from 'axe-core';
import type { Product, Storefront } from '../../src/index.js';
import { defineElements } from '../../src/ui/define-elements.js';
import { mount } from '../../src/ui/mount.js';
import { RENDERED_EVENT } from '../../src/ui/widget-base.js';
import { backend, backendStore } from '../helpers/browser-backend.js';

let store: Storefront | undefined;
let host: HTMLElement;

function open(fetchImpl?: typeof fetch) {
  store = backendStore('product', fetchImpl && { fetch: fetchImpl });
  return store;
}

const apiCalls = async () => (await backend.counts()).log.filter((e) => e.host === 'api');
const allRendered = (n: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    host.addEventListener(RENDERED_EVENT, () => ++seen === n && resolve());
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

describe('<vitrine-product> in Chromium', () => {
  it('eight product elements on one page make exactly one API request', async () => {
    const s = open();
    defineElements(s);
    const ids = ['11', '12', '13', '14', '15', '16', '17', '18'];
    const done = allRendered(8);
    for (const id of ids) {
      const el = document.createElement('vitrine-product');
      el.setAttribute('product-id', id);
      el.addEventListener(RENDERED_EVENT, () => undefined);
      host.append(el);
    }
    await done;
    const calls = await apiCalls();
    expect(calls).toHaveLength(1);
    expect(new URLSearchParams(calls[0]!.search).get('ids')!.split(',')).toEqual([...ids].sort());
    const names = [...host.querySelectorAll('vitrine-product')].map((el) => el.shadowRoot!.querySelector('.name')!.textContent);
    const products = await s.products.getMany(ids);
    expect(names).toEqual(products.map((p) => p.name));
  });

  it('an unknown product id shows "not available" without a retry loop', async () => {
    const s = open();
    mount(s, host, { view: 'product', ids: ['99999'] });
    const el = host.querySelector('vitrine-product')!;
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[part="status"]')?.textContent).toBe('This product is not available.'));
    expect(el.shadowRoot!.querySelector('button')).toBeNull();
  });

  it('changing product-id re-renders the card for the new product', async () => {
    const s = open();
    mount(s, host, { view: 'product', ids: ['21'] });
    const el = host.querySelector('vitrine-product')!;
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('.name')).toBeTruthy());
    el.setAttribute('product-id', '22');
    const p22 = await s.products.get('22');
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('.name')?.textContent).toBe(p22.name));
  });

  it('mount() rejects bad options at once with INVALID_OPTIONS naming the field', () => {
    const s = open();
    expect(() => s.mount(host, { view: 'list' as 'grid' })).toThrow(/view/);
    expect(() => s.mount(host, { view: 'product' })).toThrow(/ids/);
    expect(() => s.mount(null as unknown as Element, { view: 'grid' })).toThrow(/element/);
  });

  it('store.mount renders lazily-loaded UI and its unmount removes it', async () => {
    const s = open();
    const done = allRendered(1);
    const unmount = s.mount(host, { view: 'grid', limit: 2 });
    await done;
    expect(host.querySelector('vitrine-grid')!.shadowRoot!.querySelectorAll('li.card')).toHaveLength(2);
    unmount();
    expect(host.children).toHaveLength(0);
  });
});

/** Product data that tries every way into the DOM. */
const XSS: Partial<Product>[] = [
  { name: '<img src=x onerror="window.__xss=1">', description: '<script>window.__xss=2</script>', url: 'javascript:window.__xss=3' },
  { name: '"><svg onload="window.__xss=4">', url: 'JaVaScRiPt:window.__xss=5', image: { key: 'p1-x', width: 1200, height: 1200, alt: '" onerror="window.__xss=6' } },
  { name: "'><iframe src=javascript:window.__xss=7>", url: 'data:text/html,<script>parent.__xss=8</script>' },
  { name: '{{constructor.constructor("window.__xss=9")()}}', url: ' java\tscript:window.__xss=10' },
];

describe('safe by construction (Chromium)', () => {
  it('hostile product names, alts and URLs show as text, run nothing, and leave no unsafe link', async () => {
    const g = window as unknown as { __xss?: number };
    delete g.__xss;
    const products: Product[] = XSS.map((x, i) => ({ id: `x${i}`, price: { amount: 1, currency: 'EUR' }, inStock: true, ...x }) as Product);
    const fetchImpl: typeof fetch = async () => new Response(JSON.stringify({ items: products, total: products.length }), { headers: { 'content-type': 'application/json' } });
    const s = open(fetchImpl);
    const done = allRendered(1);
    mount(s, host, { view: 'grid', limit: 4 });
    await done;
    const root = host.querySelector('vitrine-grid')!.shadowRoot!;
    await new Promise((r) => setTimeout(r, 200)); // give any injected handler a chance to fire
    expect(g.__xss).toBeUndefined();
    expect(root.querySelectorAll('script, iframe, svg, [onerror], [onload]')).toHaveLength(0);
    expect([...root.querySelectorAll('.name')].map((n) => n.textContent)).toEqual(products.map((p) => p.name));
    for (const a of root.querySelectorAll('a')) expect(new URL(a.href).protocol).toMatch(/^https?:$/);
    expect(root.querySelectorAll('a')).toHaveLength(0); // every URL in the corpus is hostile: no link at all
    expect(root.querySelectorAll('img')[1]!.getAttribute('alt')).toBe('" onerror="window.__xss=6');
  });

  it('axe-core finds no violations in a product card and its error state', async () => {
    const s = open();
    const done = allRendered(1);
    mount(s, host, { view: 'product', ids: ['31'] });
    await done;
    expect((await axe.run(host, { resultTypes: ['violations'] })).violations.map((v) => v.id)).toEqual([]);
  });
});
