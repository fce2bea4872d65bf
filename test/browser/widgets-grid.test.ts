import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import axe from 'axe-core';
import type { Storefront, StorefrontOptions } from '../../src/index.js';
import { mount } from '../../src/ui/mount.js';
import { ERROR_EVENT, RENDERED_EVENT } from '../../src/ui/widget-base.js';
import { backend, backendStore, backendUrls } from '../helpers/browser-backend.js';

let store: Storefront | undefined;
let host: HTMLElement;

function open(extra: Partial<StorefrontOptions> = {}) {
  store = backendStore('widgets', extra);
  return store;
}

const shadow = () => host.querySelector('vitrine-grid, vitrine-product')?.shadowRoot ?? null;
const cards = () => [...(shadow()?.querySelectorAll('.card:not(.skeleton)') ?? [])] as HTMLElement[];
const rendered = () => new Promise<void>((resolve) => host.addEventListener(RENDERED_EVENT, () => resolve(), { once: true }));
const apiCalls = async () => (await backend.counts()).log.filter((e) => e.host === 'api');

beforeEach(async () => {
  await backend.reset();
  host = document.createElement('div');
  document.body.append(host);
});
afterEach(() => {
  store?.destroy();
  host.remove();
  document.querySelectorAll('[data-test-merchant]').forEach((n) => n.remove());
  document.adoptedStyleSheets = [];
});

describe('<vitrine-grid> in Chromium', () => {
  it('shows skeletons at once, then a list of product cards with name, price, stock and a link, from one API request', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 6 });
    // Skeletons are there before any answer: the final boxes, hidden from screen readers.
    const skeletons = shadow()!.querySelectorAll('.card.skeleton[aria-hidden="true"]');
    expect(skeletons).toHaveLength(6);
    await done;
    const list = shadow()!.querySelector('ul[part="list"]')!;
    expect(list.getAttribute('role')).toBe('list');
    expect(cards()).toHaveLength(6);
    const page = await s.products.list({ limit: 6 });
    cards().forEach((card, i) => {
      const product = page.items[i]!;
      expect(card.tagName).toBe('LI');
      expect(card.querySelector('.name')!.textContent).toBe(product.name);
      expect(card.querySelector('.price')!.textContent).toBe(
        new Intl.NumberFormat(document.documentElement.lang || navigator.language, { style: 'currency', currency: product.price.currency }).format(product.price.amount),
      );
      expect(card.querySelector('.stock')!.textContent).toBe(product.inStock ? 'In stock' : 'Out of stock');
      expect(card.querySelector('a')!.getAttribute('href')).toBe(product.url);
      const img = card.querySelector('img')!;
      // The name is the link text; an alt repeating it would be announced twice.
      expect(img.getAttribute('alt')).toBe(product.image?.alt && product.image.alt !== product.name ? product.image.alt : '');
    });
    expect(await apiCalls()).toHaveLength(1);
  });

  it('card images arrive from the CDN with width and height reserved, the first row eager, the rest lazy, with a srcset', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 4 });
    await done;
    const withImage = cards()
      .map((c) => c.querySelector('img')!)
      .filter((img) => !img.hasAttribute('data-vitrine-placeholder'));
    expect(withImage.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(withImage.every((img) => img.complete && img.naturalWidth > 0)).toBe(true), { timeout: 10_000 });
    const firstRow = cards().filter((c) => c.offsetTop === cards()[0]!.offsetTop).length;
    for (const img of withImage) {
      expect(img.getAttribute('width')).toBeTruthy();
      expect(img.getAttribute('height')).toBeTruthy();
      expect(img.loading).toBe(cards().indexOf(img.closest('li')!) < firstRow ? 'eager' : 'lazy');
      expect(img.srcset).toContain(backendUrls().cdn);
    }
  });

  it('an API outage shows an error with a retry button that brings the products back', async () => {
    await backend.addFault({ host: 'api', fault: 'status', status: 500 });
    const s = open({ retry: { attempts: 1 } });
    mount(s, host, { view: 'grid', limit: 3 });
    await vi.waitFor(() => expect(shadow()?.querySelector('[role="alert"]')).toBeTruthy(), { timeout: 10_000 });
    const retry = shadow()!.querySelector('button[part="retry"]') as HTMLButtonElement;
    expect(retry.textContent).toBe('Try again');
    await backend.clearFaults();
    const done = rendered();
    retry.click();
    await done;
    expect(cards()).toHaveLength(3);
  });

  it('a category with no products shows an empty state instead of a blank box', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', category: 'no-such-category' });
    await done;
    expect(shadow()!.querySelector('[part="status"]')!.textContent).toBe('No products found.');
  });

  it('the page language sets the price format', async () => {
    const before = document.documentElement.lang;
    document.documentElement.lang = 'de-DE';
    try {
      const s = open();
      const done = rendered();
      mount(s, host, { view: 'grid', limit: 2 });
      await done;
      const product = (await s.products.list({ limit: 2 })).items[0]!;
      expect(cards()[0]!.querySelector('.price')!.textContent).toBe(
        new Intl.NumberFormat('de-DE', { style: 'currency', currency: product.price.currency }).format(product.price.amount),
      );
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('hostile merchant CSS (display:none, 1px images, 2px fonts, all !important) leaves the widget intact', async () => {
    const hostile = new CSSStyleSheet();
    hostile.replaceSync(`
      body * { display: none !important; }
      body > div, body > div > * { display: block !important; }
      vitrine-grid, vitrine-product { display: none !important; visibility: hidden !important; font-size: 2px !important; color: transparent !important; }
      img { width: 1px !important; height: 1px !important; }
      li, ul, a, span { display: none !important; }
      * { font-size: 2px !important; line-height: 0 !important; }`);
    document.adoptedStyleSheets = [hostile];
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 4 });
    await done;
    const grid = host.querySelector('vitrine-grid')!;
    expect(getComputedStyle(grid).display).toBe('block');
    expect(getComputedStyle(grid).visibility).toBe('visible');
    expect(parseFloat(getComputedStyle(grid).fontSize)).toBeGreaterThan(10);
    for (const card of cards()) {
      expect(card.getBoundingClientRect().width).toBeGreaterThan(100);
      const name = card.querySelector('.name')!;
      expect(name.getBoundingClientRect().height).toBeGreaterThan(10);
      expect(card.querySelector('img')!.getBoundingClientRect().width).toBeGreaterThan(50);
    }
  });

  it('no layout shift: the grid is the same height before and after the products arrive', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 8 });
    const before = host.getBoundingClientRect().height;
    await done;
    expect(host.getBoundingClientRect().height).toBe(before);
  });

  it('keyboard users reach every product link and the retry button, with a visible focus ring', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 3 });
    await done;
    const link = shadow()!.querySelector('a') as HTMLAnchorElement;
    expect(link.tabIndex).toBe(0);
    link.focus();
    expect(shadow()!.activeElement).toBe(link);
    const sheet = shadow()!.adoptedStyleSheets[0]!;
    expect([...sheet.cssRules].some((r) => r.cssText.includes(':focus-visible') && r.cssText.includes('outline'))).toBe(true);
  });

  it('axe-core finds no accessibility violations in the loaded grid', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 6 });
    await done;
    const result = await axe.run(host, { resultTypes: ['violations'] });
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('styles come only from an adopted stylesheet: no <style> and no style attributes are added to the page', async () => {
    const s = open();
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 3 });
    await done;
    expect(document.querySelectorAll('style')).toHaveLength(document.querySelectorAll('style').length);
    expect(shadow()!.querySelectorAll('style, [style]')).toHaveLength(0);
    expect(host.querySelectorAll('[style]')).toHaveLength(0);
    expect(shadow()!.adoptedStyleSheets).toHaveLength(1);
  });

  it('limit and offset are decimal digits: "0x3", "3e0", "3.0", "+3", "-0" are the attribute error, not a count; " 3 " is 3', async () => {
    const s = open();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const grid = (attributes: Record<string, string>) => {
        const el = document.createElement('vitrine-grid') as HTMLElement & { store: Storefront };
        for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
        el.store = s;
        return el;
      };
      mount(s, host, { view: 'grid', limit: 1 }); // defines the elements
      const bad = [{ limit: '0x3' }, { limit: '3e0' }, { limit: '3.0' }, { limit: '+3' }, { limit: '-0' }, { offset: '0x1' }, { offset: '1e1' }].map(grid);
      const outcomes = bad.map(
        (el) =>
          new Promise<string>((resolve) => {
            el.addEventListener(ERROR_EVENT, () => resolve('error'), { once: true });
            el.addEventListener(RENDERED_EVENT, () => resolve('rendered'), { once: true });
          }),
      );
      host.append(...bad);
      expect(await Promise.all(outcomes)).toEqual(bad.map(() => 'error'));
      expect(consoleError.mock.calls.map((c) => c[0])).toEqual(
        ['limit "0x3"', 'limit "3e0"', 'limit "3.0"', 'limit "+3"', 'limit "-0"', 'offset "0x1"', 'offset "1e1"'].map((what) => {
          const [name, raw] = what.split(' ');
          return `[vitrine] <vitrine-grid>: attribute ${name}: expected a whole number, got ${raw}`;
        }),
      );
      for (const el of bad) expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent).toBe('This product list is misconfigured.');
      const good = grid({ limit: ' 3 ', offset: '02' });
      const done = new Promise<void>((resolve) => good.addEventListener(RENDERED_EVENT, () => resolve(), { once: true }));
      host.append(good);
      await done;
      expect(good.shadowRoot!.querySelectorAll('.card:not(.skeleton)')).toHaveLength(3);
      expect((await apiCalls()).map((e) => e.search)).toContain('?limit=3&offset=2');
    } finally {
      consoleError.mockRestore();
    }
  });

  it('unmount removes the widget and leaves the merchant element as it was', async () => {
    host.append(document.createTextNode('merchant text'));
    const s = open();
    const done = rendered();
    const unmount = mount(s, host, { view: 'grid', limit: 2 });
    await done;
    unmount();
    expect(host.childNodes).toHaveLength(1);
    expect(host.textContent).toBe('merchant text');
  });
});

/** The real backend's answer, edited on its way in (a hostile API, over real HTTP). */
function editedAnswers(edit: (items: Record<string, unknown>[]) => unknown[]): typeof fetch {
  return async (input, init) => {
    const answer = await fetch(input, init);
    const body = (await answer.json()) as { items: Record<string, unknown>[] };
    body.items = edit(body.items) as Record<string, unknown>[];
    return new Response(JSON.stringify(body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

describe('<vitrine-grid> fed a hostile answer', () => {
  it('an id twice in the answer is one card, the first copy', async () => {
    const s = open({ fetch: editedAnswers((items) => items.flatMap((item) => [item, { ...item, name: 'Impostor' }])) });
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 3 });
    await done;
    expect(cards().map((c) => c.dataset['productId'])).toEqual(['1', '2', '3']);
    expect(cards().map((c) => c.querySelector('.name')!.textContent)).not.toContain('Impostor');
  });

  it('a name with a right-to-left override shows as sent, in order, without the control', async () => {
    const s = open({ fetch: editedAnswers((items) => items.map((item, i) => (i ? item : { ...item, name: 'Kettle \u202E$9.00' }))) });
    const done = rendered();
    mount(s, host, { view: 'grid', limit: 2 });
    await done;
    const name = cards()[0]!.querySelector('.name') as HTMLElement;
    expect(name.textContent).toBe('Kettle $9.00');
    // Laid out as written: "$" left of "9" (reversed, "00.9$" would put it last).
    const text = name.firstChild!;
    const left = (at: number) => {
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      return range.getBoundingClientRect().left;
    };
    const at = name.textContent!.indexOf('$');
    expect(left(at)).toBeLessThan(left(at + 1));
  });

  it('an answer whose every product is malformed is the error state with "Try again", and one console line naming the cause, not "No products found"', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const s = open({ retry: { attempts: 1 }, fetch: editedAnswers((items) => items.map((item) => ({ ...item, name: '' }))) });
      mount(s, host, { view: 'grid', limit: 3 });
      await vi.waitFor(() => expect(shadow()?.querySelector('[part="status"]')).toBeTruthy(), { timeout: 10_000 });
      expect(shadow()!.textContent).not.toContain('No products found');
      expect(shadow()!.querySelector('[part="status"]')!.getAttribute('role')).toBe('alert');
      expect(shadow()!.querySelector('button[part="retry"]')).toBeTruthy();
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('[vitrine] <vitrine-grid>'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[vitrine\] <vitrine-grid>: INVALID_RESPONSE: .*name: expected a non-blank name/);
    } finally {
      warn.mockRestore();
    }
  });

  it('a grid of listed ids whose every product comes malformed is the error state too, each named on the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const s = open({ retry: { attempts: 1 }, fetch: editedAnswers((items) => items.map((item) => ({ ...item, price: 'free' }))) });
      mount(s, host, { view: 'grid', ids: ['7', '8'] });
      await vi.waitFor(() => expect(shadow()?.querySelector('[part="status"]')).toBeTruthy(), { timeout: 10_000 });
      expect(shadow()!.querySelector('[part="status"]')!.getAttribute('role')).toBe('alert');
      expect(shadow()!.textContent).not.toContain('No products found');
      const named = error.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('[vitrine] <vitrine-grid>'));
      expect(named).toHaveLength(2);
      expect(named.join('\n')).toMatch(/"7".*price/);
      expect(named.join('\n')).toMatch(/"8".*price/);
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
  });
});
