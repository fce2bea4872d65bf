/**
 * A server-rendered shop page with Node's own http module (no framework): the server looks the
 * products up with a storefront of its own, inlines them with `dehydrate()` and `toScriptJson()`,
 * adds schema.org JSON-LD with `toJsonLd()`, and the browser's storefront starts from that data:
 * the first client view makes 0 API requests.
 *
 *   GET /            the catalogue grid and two embeds, for the script tag: the data goes in a
 *                    <script type="application/json" data-vitrine-products> block the tag reads
 *   GET /product/:id one product, for code: createStorefront({ initialData }) in the page's script
 *
 * Run it with `node --import tsx examples/run.ts ssr` (the simulated store on loopback).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStorefront, isVitrineError, toJsonLd, toScriptJson, type Product, type Storefront } from 'vitrine';

export interface SsrOptions {
  storeId: string;
  api: string;
  cdn: string;
  origin: string;
  /** Default 127.0.0.1; port 0 (any free one) unless given. */
  host?: string;
  port?: number;
}

export interface RunningSsr {
  url: string;
  close(): Promise<void>;
}

const GRID_LIMIT = 8;
const EMBEDS = ['42', '7'];

/** Text for HTML element content and attribute values. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const jsonLd = (products: readonly Product[], store: Storefront) =>
  products.map((p) => `<script type="application/ld+json">${toScriptJson(toJsonLd(p, store))}</script>`).join('\n  ');

function page(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${escapeHtml(title)}</title>
  <style>body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 64rem; padding: 1rem; color: #222; }</style>
  ${head}
</head>
<body>
${body}
</body>
</html>
`;
}

export async function startSsrServer(options: SsrOptions): Promise<RunningSsr> {
  const { storeId, api, cdn, origin } = options;
  const sdk = `${cdn.replace(/\/+$/, '')}/sdk/vitrine.js`;

  /**
   * A storefront per page view: what it dehydrates is exactly what this page looked up. No
   * IndexedDB in Node (`persist: false`); Node 20's global fetch.
   */
  const serverStore = () => createStorefront({ storeId, api, cdn, origin, cache: { persist: false } });

  async function catalogue(): Promise<string> {
    const store = serverStore();
    try {
      // Lookups in the same task share one request: the grid's page, and the embeds' ids in another.
      const [grid, embeds] = await Promise.all([store.products.list({ limit: GRID_LIMIT, offset: 0 }), store.products.getMany(EMBEDS)]);
      const head = `<!-- The products this page shows, as the server looked them up: the script tag primes its storefront from this block before any lookup. -->
  <script type="application/json" data-vitrine-products="${escapeHtml(storeId)}">${toScriptJson(store.products.dehydrate())}</script>
  ${jsonLd([...grid.items, ...embeds], store)}`;
      const body = `<h1>Shop</h1>
<p>${grid.total} products; the first ${grid.items.length} below, rendered from the data in this page.</p>
<div id="store"></div>
<h2>Staff picks</h2>
${EMBEDS.map((id) => `<vitrine-product product-id="${escapeHtml(id)}"></vitrine-product>`).join('\n')}
<p><a href="product/${EMBEDS[0]}">One product, through createStorefront({ initialData })</a></p>
<script src="${escapeHtml(sdk)}" data-store-id="${escapeHtml(storeId)}" data-api="${escapeHtml(api)}" data-cdn="${escapeHtml(cdn)}" data-origin="${escapeHtml(origin)}" data-target="#store" data-limit="${GRID_LIMIT}"></script>`;
      return page('Shop (server-rendered)', head, body);
    } finally {
      store.destroy();
    }
  }

  async function product(id: string): Promise<string | undefined> {
    const store = serverStore();
    try {
      const item = await store.products.get(id);
      const settings = { storeId, api, cdn, origin };
      const head = `<script type="application/json" id="vitrine-data">${toScriptJson(store.products.dehydrate())}</script>
  ${jsonLd([item], store)}`;
      // The script tag without data-* only provides window.Vitrine (createStorefront, mount): the
      // npm package's createStorefront, for a page without a bundler. With a bundler, import it.
      const body = `<p><a href="../">All products</a></p>
<h1>${escapeHtml(item.name)}</h1>
<div id="product"></div>
<script src="${escapeHtml(sdk)}"></script>
<script>
  const data = JSON.parse(document.getElementById('vitrine-data').textContent);
  const store = Vitrine.createStorefront({ ...${toScriptJson(settings)}, initialData: data });
  Vitrine.mount(store, document.getElementById('product'), { view: 'product', ids: [${toScriptJson(item.id)}] });
</script>`;
      return page(`${item.name} (server-rendered)`, head, body);
    } catch (error) {
      if (isVitrineError(error, 'NOT_FOUND')) return undefined;
      throw error;
    } finally {
      store.destroy();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://ssr').pathname;
    const match = /^\/product\/([\w-]{1,64})$/.exec(path);
    const html = path === '/' ? await catalogue() : match ? await product(match[1]!) : undefined;
    const status = html === undefined ? 404 : 200;
    const body = html ?? page('Not found', '', '<h1>Not found</h1>');
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The API failed for good (after Vitrine's retries): a real shop would render without data
      // and let the widgets fetch; the example says so.
      const body = `Server rendering failed: ${error instanceof Error ? error.message : String(error)}\n`;
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(body);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
