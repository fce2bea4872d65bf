#!/usr/bin/env node
/**
 * Post-build: the SRI script tag, and the bootstrap snippet that loads dist/vitrine.js from the CDN
 * with SRI and, when that copy is blank, truncated or fails its integrity check, from the origin.
 * Writes dist/sri.json (hashes, sizes, the snippet and its CSP hash) and dist/embed-snippet.html
 * (what merchants paste). The snippet's text never varies per merchant (their settings are data-*
 * attributes, outside the hashed text), so one CSP hash serves every store on a release.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { RESERVE_CSS } from './reserve-css.mjs';

const DIST = new URL('../dist/', import.meta.url);
export const SDK_PATH = '/sdk/vitrine.js';
export const SNIPPET_LIMIT = 1800;

const bundle = readFileSync(new URL('vitrine.js', DIST));
const integrity = `sha384-${createHash('sha384').update(bundle).digest('base64')}`;

// Hand-minified ES5 on purpose (runs before anything else, on any browser). `p` is the page's one
// `vitrine` Trusted Types policy, admitting only URLs under the tag's CDN and origin; it is handed to
// the bundle as `VitrinePolicy` because a policy name can be created only once per page.
// While vitrine.js downloads, the snippet also preconnects to the CDN (for the images; the API needs
// no preconnect: its request starts right here) and adopts RESERVE_CSS, so elements not yet defined
// already hold their box. And it starts the page's product request (`VitrinePrefetch[url]`, adopted
// by the SDK's transport: src/data/prefetch.ts) unless the localStorage hint says IndexedDB still
// holds that answer fresh or the page inlined its products, so a warm view still makes none. The URL
// is spelled exactly as src/data/products.ts spells it: the grid's list, or the sorted unique ids of
// `data-ids` or of the `<vitrine-product>` elements already in the document (one batch: ≤ 50), with
// the cart's products from its localStorage hint (`<count>|<ids>`, src/cart/hint.ts): the SDK adds
// them to the page's first batch of ids too, so the cart is re-priced by the same one request.
// `.catch(String)` only keeps a failed early request from being an unhandled rejection; the SDK
// still sees the failure and retries. The AbortController lets the SDK cancel it at its deadline: a
// hung request left open would hold Chromium's cache lock on its URL, and the SDK's retry of that
// same URL would wait behind it.
const snippet =
  '(function(d,w){var E=encodeURIComponent,s=d.currentScript,a=s.dataset,c=a.cdn,o=a.origin,t=w.trustedTypes,' +
  'p=t&&t.createPolicy("vitrine",{createScriptURL:function(u){if(u.indexOf(c+"/")&&u.indexOf(o+"/"))throw Error(u);return u}}),' +
  'b=(a.api||"").replace(/\\/+$/,""),u=b+"/stores/"+E(a.storeId)+"/products?",r=[],L,y=d.createElement("link");' +
  'w.VitrinePolicy=p;y.rel="preconnect";y.href=c;d.head.appendChild(y);' +
  `try{y=new CSSStyleSheet;y.replaceSync(${JSON.stringify(RESERVE_CSS)});d.adoptedStyleSheets=d.adoptedStyleSheets.concat(y)}catch(e){}` +
  'function g(x){x=(x||"").trim();/^[\\w-]{1,64}$/.test(x)&&r.indexOf(x)<0&&r.push(x)}' +
  'try{L=localStorage;if(a.target&&!a.ids)u=a.view!="product"&&u+"limit="+(+a.limit||24)+"&offset="+(+a.offset||0)+(a.category!=null?"&category="+E(a.category):"");' +
  'else a.ids?a.ids.split(",").forEach(g):d.querySelectorAll("vitrine-product").forEach(function(e){g(e.getAttribute("product-id"))}),(L["vitrine-cart:"+a.storeId]||"").split(/^\\d+\\||,/).forEach(g),u=r.length<51&&r.length&&u+"ids="+r.sort().join(",");' +
  'b&&u&&!d.querySelector("[data-vitrine-products]")&&!(L["vitrine-fresh:"+u]>Date.now())&&(y=new AbortController,(w.VitrinePrefetch=w.VitrinePrefetch||{})[u]={r:t=fetch(u,{signal:y.signal}),a:y},t.catch(String))}catch(e){}' +
  'function l(b,f){var e=d.createElement("script"),u=b+"' +
  SDK_PATH +
  '",k;for(k in a)e.dataset[k]=a[k];' +
  `e.integrity="${integrity}";e.crossOrigin="anonymous";` +
  'e.onload=function(){w.Vitrine||f&&f()};if(f)e.onerror=f;e.src=p?p.createScriptURL(u):u;s.after(e)}' +
  'l(c,function(){l(o)})})(document,window)';
const snippetHash = `sha256-${createHash('sha256').update(snippet).digest('base64')}`;
const snippetBytes = Buffer.byteLength(snippet);
if (snippetBytes > SNIPPET_LIMIT) {
  console.error(`snippet.mjs: the bootstrap snippet is ${snippetBytes} bytes, over its ${SNIPPET_LIMIT}-byte limit`);
  process.exit(1);
}

const sri = {
  file: 'vitrine.js',
  path: SDK_PATH,
  integrity,
  bytes: bundle.length,
  gzipBytes: gzipSync(bundle, { level: 9 }).length,
  snippet,
  snippetBytes,
  snippetHash,
};
writeFileSync(new URL('sri.json', DIST), `${JSON.stringify(sri, null, 2)}\n`);

const attrs = 'data-store-id="YOUR_STORE_ID" data-api="https://api.example.com" data-cdn="https://cdn.example.com" data-origin="https://origin.example.com" data-target="#store"';
writeFileSync(
  new URL('embed-snippet.html', DIST),
  `<!-- Vitrine embed, generated by scripts/snippet.mjs. Replace the data-* values with your store's. -->

<!-- Option 1: the plain tag, pinned with Subresource Integrity. -->
<div id="store"></div>
<script src="https://cdn.example.com${SDK_PATH}" integrity="${integrity}" crossorigin="anonymous"
        ${attrs}></script>
<!-- Optional with the plain tag, in <head>: the same head start the snippet gives.
     The preload starts a fixed grid's product request with the HTML (the SDK adopts the answer:
     still one request; spell the URL exactly so, with your data-limit/data-offset). Unlike the
     snippet it cannot tell a warm view, so every view makes that one request: use the snippet to
     keep warm views at 0. The style rule holds the widgets' box before vitrine.js runs (under a
     strict style-src, put it in your own stylesheet instead). -->
<link rel="preload" as="fetch" crossorigin href="https://api.example.com/stores/YOUR_STORE_ID/products?limit=24&offset=0">
<link rel="preconnect" href="https://cdn.example.com">
<style>${RESERVE_CSS}</style>

<!-- Option 2: the bootstrap snippet (${snippetBytes} bytes). Loads the same file from the CDN with SRI and,
     if that copy is blank or corrupt, from the origin; meanwhile starts the page's product request
     (only on a cold or stale view), preconnects to the CDN and reserves the widgets' box. Put it
     first in <head>, before any stylesheet (an inline script waits for the stylesheets above it),
     with your <vitrine-product> ids in data-ids (in <head> they are not parsed yet). With a CSP, allow it by its hash:
     Content-Security-Policy: script-src '${snippetHash}' 'strict-dynamic'; style-src 'self';
                              require-trusted-types-for 'script'; trusted-types vitrine -->
<div id="store"></div>
<script ${attrs}>${snippet}</script>
`,
);
console.log(`snippet.mjs: vitrine.js ${sri.bytes} B (${sri.gzipBytes} B gzip), ${integrity}; snippet ${snippetBytes} B, '${snippetHash}'`);
