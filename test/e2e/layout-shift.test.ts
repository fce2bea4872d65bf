/**
 * The first paint in real headless Chromium (the built dist/vitrine.js; run `npm run build` first):
 * layout shift caused by Vitrine, measured with the Layout Instability API, and the LCP image first.
 *
 * Pages: the request-budget fixtures (test/load/fixtures: the 24-product grid, eight embeds with the
 * tag in `<head>`), the same eight embeds with the tag at the end of `<body>` (with the merchant's
 * reserve line from scripts/reserve-css.mjs, and without it to show what it is for), and the support
 * console's live storefront. On the fixture pages nothing but Vitrine changes the layout (static
 * text, system fonts, no other images), so every shift reported is Vitrine's; on the console, whose
 * own panels fill in as events arrive (each holding its final height), a shift counts as Vitrine's when one of its `sources` is a node of
 * a Vitrine element (or, since Chromium hides shadow-tree nodes as `null`, a source lying on one), and
 * the console's own shifts must be none either.
 * On every page, no Vitrine element may change height after its first layout (a ResizeObserver),
 * which is what pushes the content after it. Every page view is cold (a fresh context) and slowed where it matters: the bundle
 * by 400 ms (so the page paints before it runs, as on a real network), the API by 300 ms (skeletons on
 * screen before the cards) and the images by 200 ms (cards before their images).
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../demo/backend/index.js';
import { startServer, type RunningServer } from '../../demo/backend/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vitest.config.js';
import { allImagesShown, openConsole, useConsoleServer } from '../helpers/console-page.js';

const FIXTURES = fileURLToPath(new URL('../load/fixtures/', import.meta.url));
const { RESERVE_CSS } = (await import(new URL('../../scripts/reserve-css.mjs', import.meta.url).href)) as { RESERVE_CSS: string };

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };

/** What slows a cold view down to a real network's order of events. */
const SLOW: readonly FaultRule[] = [
  { host: 'cdn', fault: 'slow', delayMs: 400, path: '/sdk/*' },
  { host: 'api', fault: 'slow', delayMs: 300, path: '/stores/*' },
  { host: 'cdn', fault: 'slow', delayMs: 200, path: '/images/*' },
];

interface Shift {
  value: number;
  hadRecentInput: boolean;
  /** Some source is a Vitrine element or inside one. */
  vitrine: boolean;
  sources: string[];
}

interface Measured {
  shifts: Shift[];
  /** Each Vitrine element's distinct border-box heights, from its first layout on. */
  heights: Record<string, number[]>;
}

/**
 * Runs before the page: records every layout shift (buffered, so none before the observer is lost)
 * and every height each `vitrine-*` element has had since it was first laid out.
 */
function watchLayout(): void {
  const w = window as unknown as { __shifts: Shift[]; __heights: Record<string, number[]> };
  w.__shifts = [];
  w.__heights = {};
  const inVitrine = (node: Node | null): boolean => {
    for (let n: Node | null = node; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null)) {
      if (n instanceof Element && n.localName.startsWith('vitrine-')) return true;
    }
    return false;
  };
  const describeNode = (node: Node | null) => {
    if (!node) return '(node not exposed)';
    const el = node instanceof Element ? node : node.parentElement;
    return el ? `${el.localName}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''}` : node.nodeName;
  };
  const rect = (r: DOMRectReadOnly) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}`;
  // Chromium does not expose nodes in shadow trees (`node` is null), so a source without a node
  // counts as Vitrine's when it lies on a Vitrine element.
  const overlaps = (a: DOMRectReadOnly, b: DOMRect) => a.width > 0 && a.height > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const onVitrine = (r: DOMRectReadOnly) => [...document.querySelectorAll('vitrine-grid, vitrine-product')].some((el) => overlaps(r, el.getBoundingClientRect()));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as Array<
      PerformanceEntry & { value: number; hadRecentInput: boolean; sources: Array<{ node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }> }
    >) {
      w.__shifts.push({
        value: entry.value,
        hadRecentInput: entry.hadRecentInput,
        vitrine: entry.sources.some((s) => inVitrine(s.node) || (!s.node && (onVitrine(s.previousRect) || onVitrine(s.currentRect)))),
        sources: entry.sources.map((s) => `${describeNode(s.node)} ${rect(s.previousRect)} → ${rect(s.currentRect)}`),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const keys = new WeakMap<Element, string>();
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const el = entry.target;
      if (!keys.has(el)) keys.set(el, `${el.localName}[${el.getAttribute('product-id') ?? ''}]#${Object.keys(w.__heights).length}`);
      const key = keys.get(el)!;
      const height = entry.borderBoxSize[0]!.blockSize;
      const seen = (w.__heights[key] ??= []);
      // Sub-pixel noise (fractional em heights) is not a shift; Chromium ignores far more than this.
      if (!seen.some((h) => Math.abs(h - height) < 0.5)) seen.push(height);
    }
  });
  const watch = (root: ParentNode) => {
    for (const el of root.querySelectorAll('vitrine-grid, vitrine-product')) sizes.observe(el);
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) n.localName.startsWith('vitrine-') ? sizes.observe(n) : watch(n);
  }).observe(document, { childList: true, subtree: true });
}

/** Scrolls to the end and back so every lazy image loads, then waits for all of them and two frames. */
async function settleImages(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await frame();
    }
    const images = () =>
      [...document.querySelectorAll('vitrine-grid, vitrine-product')].flatMap((el) => [...(el.shadowRoot?.querySelectorAll('img[src]') ?? [])] as HTMLImageElement[]);
    for (let i = 0; i < 200 && !images().every((img) => img.complete); i++) await new Promise((r) => setTimeout(r, 50));
    scrollTo(0, 0);
    await frame();
    await frame();
  });
}

const measured = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __shifts: Shift[]; __heights: Record<string, number[]> };
    return { shifts: w.__shifts, heights: w.__heights } as Measured;
  });

const total = (shifts: readonly Shift[]) => shifts.filter((s) => !s.hadRecentInput).reduce((sum, s) => sum + s.value, 0);
/** Elements whose height changed after their first layout (each pushes what follows). */
const resized = (m: Measured) => Object.entries(m.heights).filter(([, h]) => h.length > 1);

describe('layout shift caused by Vitrine (Layout Instability API, Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let site: string;
  const figures: string[] = [];

  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), 'vitrine-cls-'));
    server = await startServer({ distDir: 'dist', site: { root: site } });
    const { api, cdn, origin } = server.urls;
    const fill = (text: string) => text.replaceAll('{{api}}', api).replaceAll('{{cdn}}', cdn).replaceAll('{{origin}}', origin);
    for (const name of await readdir(FIXTURES)) await writeFile(join(site, name), fill(await readFile(join(FIXTURES, name), 'utf8')));
    const embeds = fill(await readFile(join(FIXTURES, 'embeds.html'), 'utf8'));
    const tag = /\s*<script src="[^"]*\/sdk\/vitrine\.js"[^>]*><\/script>/.exec(embeds)![0];
    const tagLast = embeds.replace(tag, '').replace('</body>', `${tag}\n</body>`);
    await writeFile(join(site, 'embeds-last-bare.html'), tagLast);
    // The merchant's one line, pasted into their own stylesheet.
    await writeFile(join(site, 'reserve.css'), `${RESERVE_CSS}\n`);
    await writeFile(
      join(site, 'embeds-last.html'),
      tagLast.replace('<link rel="stylesheet" href="/common.css">', '<link rel="stylesheet" href="/common.css">\n  <link rel="stylesheet" href="/reserve.css">'),
    );
    // Content below the grid, for it to push if its height changed.
    const grid = fill(await readFile(join(FIXTURES, 'grid.html'), 'utf8'));
    await writeFile(join(site, 'grid-footer.html'), grid.replace('</body>', '  <footer><p>Free returns within 30 days. Questions? Write to us.</p></footer>\n</body>'));
    // The same in Arabic (the tag's data-locale; the page itself left to right): the widget is right to
    // left from its skeleton on, not flipped when the Arabic table arrives.
    await writeFile(
      join(site, 'grid-footer-ar.html'),
      grid.replace('data-store-id=', 'data-locale="ar" data-store-id=').replace('</body>', '  <footer><p>الإرجاع مجاني خلال 30 يومًا.</p></footer>\n</body>'),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    if (figures.length) console.log(`layout shift per cold page view:\n${figures.join('\n')}`);
    await browser?.close();
    await server?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.backend.faults.clear();
    server.backend.resetCounts();
  });

  async function view(file: string, viewport: { width: number; height: number }, renders: number, cart = false, faults: readonly FaultRule[] = SLOW): Promise<Measured> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.addInitScript(watchLayout);
      for (const rule of faults) server.backend.faults.add(rule);
      await page.goto(`${server.urls.site}/${file}`);
      await page.waitForFunction((n) => ((window as { __vitrineRendered?: number }).__vitrineRendered ?? 0) >= n, renders, { timeout: 30_000 });
      await settleImages(page);
      // A store with a checkout: its buy rows fill when the cart's file arrives, after the cards.
      if (cart)
        await page.waitForFunction(
          () =>
            (window as { __vitrineCart?: unknown }).__vitrineCart !== undefined &&
            [...document.querySelectorAll('vitrine-product')].every((e) => e.shadowRoot?.querySelector('.buy .add')),
          undefined,
          { timeout: 30_000 },
        );
      const m = await measured(page);
      figures.push(`  ${file} at ${viewport.width}×${viewport.height}: ${total(m.shifts).toFixed(4)}${m.shifts.length ? ` (${m.shifts.length} shifts)` : ''}`);
      return m;
    } finally {
      await context.close();
    }
  }

  const cases = [
    { file: 'grid-footer.html', title: 'the 24-product grid (data-target, tag after the target, content below)', renders: 1 },
    {
      file: 'grid-footer-ar.html',
      title: 'the same grid in Arabic (data-locale), its table in before the products: right to left from the skeleton on',
      renders: 1,
      // The skeleton is on screen when the Arabic table arrives: a left-to-right one would flip then.
      faults: [SLOW[0]!, { ...SLOW[1]!, delayMs: 1500 }, SLOW[2]!],
    },
    { file: 'embeds.html', title: 'eight <vitrine-product> with the tag in <head>', renders: 8 },
    { file: 'embeds-last.html', title: "eight <vitrine-product> with the tag at the end of <body> and the merchant's reserve line", renders: 8 },
    {
      file: 'embeds-cart.html',
      title: 'eight <vitrine-product> of a store with a checkout and a <vitrine-cart> badge, the tag in <head> (buy rows filled, badge drawn)',
      renders: 8,
      cart: true,
    },
  ];
  for (const c of cases) {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`${c.title}, ${name}: 0`, async () => {
        const m = await view(c.file, viewport, c.renders, 'cart' in c && c.cart, 'faults' in c ? c.faults : SLOW);
        expect(
          m.shifts.flatMap((s) => s.sources),
          'layout shift sources',
        ).toEqual([]);
        expect(total(m.shifts)).toBe(0);
        expect(resized(m), 'Vitrine elements whose height changed').toEqual([]);
        // Every Vitrine element was measured: the grid, or the eight embeds (and the cart badge).
        expect(Object.keys(m.heights).length).toBe((c.renders === 1 ? 1 : 8) + ('cart' in c && c.cart ? 1 : 0));
      });
    }
  }

  it("the LCP image first: the first row's image requests go out at High priority, the rest lazily and later (DevTools protocol)", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const priority = new Map<string, string>();
      cdp.on('Network.requestWillBeSent', (e) => e.request.url.includes('/images/') && priority.set(e.request.url, e.request.initialPriority));
      await cdp.send('Network.enable');
      await page.goto(`${server.urls.site}/grid-footer.html`);
      await page.waitForFunction(() => ((window as { __vitrineRendered?: number }).__vitrineRendered ?? 0) >= 1);
      const cards = await page.evaluate(() => {
        const root = document.querySelector('vitrine-grid')!.shadowRoot!;
        return [...root.querySelectorAll<HTMLElement>('.card')].map((card) => {
          const img = card.querySelector('img')!;
          return {
            top: card.offsetTop,
            loading: img.getAttribute('loading'),
            fetchpriority: img.getAttribute('fetchpriority'),
            photo: !img.hasAttribute('data-vitrine-placeholder'),
            url: img.currentSrc || img.src,
          };
        });
      });
      const firstRow = cards.filter((c) => c.top === cards[0]!.top).length;
      expect(firstRow).toBe(6); // the fixture's 1,208 px column: six 180 px+ columns
      const photos = cards.map((c, i) => ({ ...c, first: i < firstRow })).filter((c) => c.photo);
      expect(photos.filter((c) => c.first).map((c) => [c.loading, c.fetchpriority])).toEqual(Array(photos.filter((c) => c.first).length).fill(['eager', 'high']));
      expect(photos.filter((c) => !c.first).map((c) => [c.loading, c.fetchpriority])).toEqual(Array(photos.filter((c) => !c.first).length).fill(['lazy', null]));
      await expect.poll(() => photos.filter((c) => c.first).every((c) => priority.has(c.url))).toBe(true);
      for (const c of photos.filter((p) => p.first)) expect(priority.get(c.url), c.url).toBe('High');
      for (const [url, p] of priority) if (!photos.some((c) => c.first && c.url === url)) expect(p, url).not.toBe('High');
    } finally {
      await context.close();
    }
  });

  it("the README's line for merchants is RESERVE_CSS", async () => {
    expect(await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')).toContain(`\n${RESERVE_CSS}\n`);
  });

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`without the reserve line, a tag at the end of <body> shifts the page, ${name} (what the line is for, and proof the measure sees it)`, async () => {
      const m = await view('embeds-last-bare.html', viewport, 8);
      expect(total(m.shifts)).toBeGreaterThan(0.01);
      // Each element painted at 0 px (an undefined inline element), then at its skeleton's height; never again.
      expect(resized(m).length).toBeGreaterThan(0);
      for (const [, heights] of resized(m)) expect(heights).toEqual([0, expect.any(Number)]);
    });
  }
});

describe('layout shift caused by Vitrine on the console storefront', () => {
  const env = useConsoleServer();

  it("the console's live grid shifts nothing of its own, and keeps its height from skeleton to images; nor does the console page", async () => {
    await fetch(`${env.server.urls.api}/__control/reset`, { method: 'POST' });
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.addInitScript(watchLayout);
      for (const rule of SLOW.slice(1)) await fetch(`${env.server.urls.api}/__control/faults`, { method: 'POST', body: JSON.stringify(rule) });
      await openConsole(page, `${env.server.urls.site}/`);
      await allImagesShown(page);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const m = await measured(page);
      const ours = m.shifts.filter((s) => s.vitrine);
      console.log(`console storefront: Vitrine's shifts ${total(ours).toFixed(4)} of the page's ${total(m.shifts).toFixed(4)} (${m.shifts.length} shifts)`);
      expect(
        ours.flatMap((s) => s.sources),
        "shifts of Vitrine's nodes",
      ).toEqual([]);
      expect(total(ours)).toBe(0);
      expect(resized(m), 'Vitrine elements whose height changed').toEqual([]);
      expect(Object.keys(m.heights)).toHaveLength(1);
      // Nor does the console's own layout (its panels hold their final height from the start): the CLS
      // its Web vitals panel shows support staff is then the storefront's, not the console page's.
      expect(
        m.shifts.flatMap((s) => s.sources),
        "shifts of the console's own nodes",
      ).toEqual([]);
    } finally {
      await fetch(`${env.server.urls.api}/__control/reset`, { method: 'POST' });
      await context.close();
    }
  });
});
