/**
 * What bench/paint.ts runs inside the page, before any of the page's own scripts (an init script):
 * a requestAnimationFrame poll that sees product cards in light DOM (the incident pages) and in the
 * widgets' shadow roots (Vitrine), so one definition of "painted" serves every client.
 *
 * - first product painted: the first frame in which one product card shows its name (not a skeleton);
 * - all shown: the first frame in which every expected card shows its name and every card's image
 *   is loaded with real pixels (`complete` and `naturalWidth > 0`), or is a product without image
 *   (no `src` on the incident pages; Vitrine's `data-vitrine-placeholder`).
 *
 * Each time is taken after that frame's rendering update (a message posted from the rAF callback
 * runs once style, layout and paint of the frame are done), in `performance.now()` time, whose zero
 * is the navigation start. Self-contained: Playwright serialises the function into the page.
 */

export interface PaintState {
  /** ms after navigation start; -1 until seen. */
  first: number;
  all: number;
  /** The first `vitrine-rendered` event (Vitrine pages only), for reference. */
  renderedEvent: number;
  /** Cards whose image ended as Vitrine's "failed" placeholder (neither host delivered). */
  failedImages: number;
  /** Cards seen at the end, and how many of them had an image to load. */
  cards: number;
  images: number;
}

export function paintMonitor(expected: number): void {
  try {
    // The incident grid alone makes well over 100 requests; the default buffer keeps 250 entries.
    performance.setResourceTimingBufferSize(5000);
  } catch {
    // Not fatal: the count would only be capped.
  }
  const state: PaintState = { first: -1, all: -1, renderedEvent: -1, failedImages: 0, cards: 0, images: 0 };
  (window as unknown as { __paint: PaintState }).__paint = state;
  document.addEventListener('vitrine-rendered', () => {
    if (state.renderedEvent < 0) state.renderedEvent = performance.now();
  });

  const cards = (): Element[] => {
    const out: Element[] = [];
    for (const host of document.querySelectorAll('vitrine-grid, vitrine-product')) {
      host.shadowRoot?.querySelectorAll('.card:not(.skeleton)').forEach((card) => out.push(card));
    }
    // The incident pages: cards in the grid, one slot per embed, filled with an <img> and a <p>.
    document.querySelectorAll('#store > .card, .embed').forEach((card) => out.push(card));
    return out;
  };
  const named = (card: Element): boolean => {
    const name = card.querySelector('.name') ?? card.querySelector('p');
    return !!name && (name.textContent ?? '').trim().length > 0;
  };
  /** true: pixels on screen, or nothing to show; false: still loading. */
  const imageDone = (card: Element): boolean => {
    const img = card.querySelector('img');
    if (!img) return true;
    if (img.hasAttribute('data-vitrine-placeholder')) return true;
    const inShadow = card.getRootNode() !== document;
    // The incident page sets src when it builds the card, or never (no image). Vitrine sets it a
    // little later, after its bad-URL memory is read: until then, the image is still to come.
    if (!img.getAttribute('src') && !img.currentSrc) return !inShadow;
    return img.complete && img.naturalWidth > 0;
  };
  const afterPaint = (record: (t: number) => void) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      record(performance.now());
      channel.port1.close();
    };
    channel.port2.postMessage(0);
  };

  let firstSeen = false;
  const tick = () => {
    const shown = cards().filter(named);
    if (!firstSeen && shown.length > 0) {
      firstSeen = true;
      afterPaint((t) => (state.first = t));
    }
    if (shown.length >= expected && shown.every(imageDone)) {
      state.cards = shown.length;
      state.images = shown.filter((c) => {
        const img = c.querySelector('img');
        return !!img && (!!img.getAttribute('src') || !!img.currentSrc);
      }).length;
      state.failedImages = shown.filter((c) => c.querySelector('img[data-vitrine-placeholder="failed"]')).length;
      afterPaint((t) => (state.all = t));
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

export interface ResourceRow {
  name: string;
  initiatorType: string;
  startTime: number;
  responseStart: number;
  requestStart: number;
  responseEnd: number;
  encodedBodySize: number;
  transferSize: number;
  nextHopProtocol: string;
}

/** Every resource the page fetched (the document itself apart), from Resource Timing. */
export function collectResources(): { resources: ResourceRow[]; document: ResourceRow } {
  const row = (e: PerformanceResourceTiming): ResourceRow => ({
    name: e.name,
    initiatorType: e.initiatorType,
    startTime: e.startTime,
    requestStart: e.requestStart,
    responseStart: e.responseStart,
    responseEnd: e.responseEnd,
    encodedBodySize: e.encodedBodySize,
    transferSize: e.transferSize,
    nextHopProtocol: e.nextHopProtocol,
  });
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  return { resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(row), document: row(nav) };
}
