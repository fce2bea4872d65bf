import { VitrineError, isVitrineError, toVitrineError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Products } from '../data/products.js';
import type { Product } from '../data/schema.js';
import { buildCheckout, parseCheckout, type CheckoutOption } from './checkout.js';
import { cartHintKey, parseCartHint } from './hint.js';
import { applyOp, checkId, checkQuantity, EMPTY_CART, lineKey, resolveLimits, type CartOp, type CartState } from './lines.js';
import { formatMoney, sameMoney } from './money.js';
import { priceLines, type ProductKnowledge } from './pricing.js';
import { createCartSync } from './sync.js';
import type { Cart, CartChange, CartEvent, CartLimits, CartSnapshot, CheckoutTarget, Money } from './types.js';

/**
 * The cart's code, loaded lazily by the storefront's facade: state (sync.ts), prices (pricing.ts
 * from the products layer), checkout (checkout.ts), all reported as `cart` events on the bus.
 */
export interface CartDeps {
  storeId: string;
  /** The storefront's `cache.dbName`: the cart lives in `<dbName>-cart`. */
  dbName: string;
  /** The storefront's `cache.persist`: false keeps the cart in memory (nothing stored, nothing reported). */
  persist: boolean;
  /** The page's products layer: lookups share its one batcher and its cache. */
  products: Products;
  bus: EventBus;
  /**
   * The storefront's `checkout` option as given (a template string or `{ url, method: 'POST', field? }`);
   * undefined: no checkout. Checked again here (INVALID_OPTIONS, field `checkout`): the script-tag
   * build leaves the full check to this lazy file.
   */
  checkout: CheckoutOption | undefined;
  limits?: Partial<CartLimits> | undefined;
  /** For `format()`; the browser's default when absent. */
  locale?: string | undefined;
  /** The storefront's lifetime: aborting it (destroy()) closes the cart, as `close()` does. */
  signal?: AbortSignal | undefined;
  /**
   * Whether to look the lines' products up as soon as the cart loads (default true). The storefront
   * says false when the page made no batch of ids for them to join (a grid page, a page with only the
   * badge), so loading the cart never adds a request of its own. The lines are priced either way from
   * what the page already holds (a grid's answer); the others are asked when the drawer opens
   * (`reprice()`) or a line changes.
   */
  priceAtLoad?: boolean | undefined;
}

/** What createCart returns: the public Cart, plus what the storefront and the UI need around it. */
export interface CartCore extends Cart {
  /** An amount in the page's locale, with the currency's own decimals. */
  format(money: Money): string;
  readonly limits: CartLimits;
  /** Stops listening (bus, tabs, page lifecycle) and closes the database: for destroy(). */
  close(): void;
}

const PRODUCT_KEY = 'p:';
const UNPURCHASABLE = new Set(['gone', 'out-of-stock']);

export function createCart(deps: CartDeps): CartCore {
  const { products, bus } = deps;
  const limits = resolveLimits(deps.limits);
  const checkoutTemplate = parseCheckout(deps.checkout);
  /** What the cart knows of each product id, and whether the API stands behind it (pricing.ts). */
  const known = new Map<string, ProductKnowledge>();
  /** The last cache lookup of each product id: true fresh, false stale. Absent after a miss (the answer then came from the API). */
  const fresh = new Map<string, boolean>();
  /** The unit price this page showed for each line before: a confirmed price that differs is `changed`. */
  const reference = new Map<string, Money>();
  let loaded = false;
  let storageReported = false;
  let closed = false;
  /**
   * After close() (the storefront destroyed) every change is refused as the products layer refuses
   * then, ABORTED: checked inside each commit, so a change begun before destroy writes nothing either.
   */
  const live = () => {
    if (closed) throw deps.signal?.reason ?? new VitrineError('ABORTED', 'The cart was closed');
  };

  const report = (error: VitrineError) =>
    bus.emit('error', { code: error.code, message: error.message, ...(error.field !== undefined && { field: error.field }), ...(error.ids !== undefined && { ids: error.ids }) });

  const sync = createCartSync({
    storeId: deps.storeId,
    dbName: deps.dbName,
    persist: deps.persist,
    limits,
    onFailure(cause) {
      if (storageReported) return;
      storageReported = true;
      report(
        new VitrineError('STORAGE', `The cart cannot be stored on this device (${cause instanceof Error ? cause.message : String(cause)}): it is kept in this page only`, {
          field: 'cart',
          cause,
        }),
      );
      // The snapshot now says persistent: false; the UI says the cart will not be kept.
      if (loaded) publish('reprice', 'this-tab');
    },
    onDropped(dropped) {
      for (const bad of dropped.slice(0, 10)) report(new VitrineError('STORAGE', `${bad.message} (the stored cart was corrupt)`, { field: `cart.${bad.field}` }));
    },
    onRemote(state) {
      if (!loaded) return;
      const [change, detail] = remoteChange(previous, state);
      publish(change, 'other-tab', detail);
      void refresh(state.lines.map((l) => l.productId).filter((id) => !known.has(id)));
    },
  });

  let snapshot: CartSnapshot = priceLines(EMPTY_CART, known, reference, sync.persistent);
  let previous: CartState = EMPTY_CART;

  /** Re-prices the current state, remembers the prices shown, and tells the bus. */
  function publish(change: CartChange, source: CartEvent['source'], detail: Pick<CartEvent, 'productId' | 'variantId' | 'quantity'> = {}): CartSnapshot {
    const before = snapshot;
    snapshot = priceLines(sync.state, known, reference, sync.persistent);
    previous = sync.state;
    // The first price a line is shown at becomes its reference.
    for (const line of snapshot.lines) if (line.unitPrice && !reference.has(line.key)) reference.set(line.key, line.unitPrice);
    for (const key of reference.keys()) if (!snapshot.lines.some((l) => l.key === key)) reference.delete(key);
    if (change !== 'reprice' || !samePrices(before, snapshot)) {
      bus.emit('cart', { snapshot, change, source, ...detail });
    }
    return snapshot;
  }

  // The products layer's cache says, per lookup, whether it answered from a fresh or a stale copy:
  // that is the difference between confirmed and last-known prices (no hook in products.ts needed).
  const offCache = bus.on('cache', (event) => {
    if (!event.key.startsWith(PRODUCT_KEY)) return;
    const id = event.key.slice(PRODUCT_KEY.length);
    if (event.hit) fresh.set(id, !event.stale);
    else fresh.delete(id);
  });

  // A stale copy is revalidated in the background; the answer lands in the cache, not with us. After
  // a 2xx answer naming cart products, the cart reads the memory cache (dehydrate(): no I/O, no
  // request): a new object is the confirmed data; the same old object means the answer did not hold
  // the product (gone, or dropped as malformed) — never a second request to find out.
  // Any other answer (a grid's list, asked by query, names no ids) may hold cart products too: after
  // each, the lines are priced from what the page holds (fromPage).
  let answered = new Set<string>();
  let scheduled = false;
  const offRequest = bus.on('request', (event) => {
    if (event.status < 200 || event.status > 299) return;
    if (!scheduled) setTimeout(afterAnswers, 0);
    scheduled = true;
    if (event.source !== 'network' || !event.ids) return;
    for (const id of event.ids) if (known.has(id) && !known.get(id)!.confirmed) answered.add(id);
  });

  function afterAnswers() {
    const ids = answered;
    answered = new Set();
    scheduled = false;
    const cached = new Map(products.dehydrate().items.map((p) => [p.id, p]));
    for (const id of ids) {
      const was = known.get(id);
      const now = cached.get(id);
      if (!was || was.confirmed) continue;
      if (now && now !== was.product) known.set(id, { product: now, confirmed: true });
      else if (now) known.set(id, { product: now, confirmed: true, gone: true });
    }
    fromPage(
      sync.state.lines.map((l) => l.productId),
      cached,
    );
    if (loaded) publish('reprice', 'this-tab');
  }

  /**
   * Prices lines from the products this page already holds in memory (a grid's answer, a card's
   * lookup, primed data): no I/O, no request. A list is asked by query, so its answer never names
   * the cart's ids; what it brought is known data all the same. Confirmed as the cache says (an
   * answer of this page view, or a copy still fresh); a stale copy is last known (`unconfirmed`)
   * until its revalidation lands. Only a product new to the cart is read (the cache's `peek`, silent:
   * no lookup was made, so no `cache` event), and nothing the API already confirmed here is replaced.
   */
  function fromPage(ids: readonly string[], held?: ReadonlyMap<string, Product>) {
    if (!ids.length) return;
    held ??= new Map(products.dehydrate().items.map((p) => [p.id, p]));
    for (const id of new Set(ids)) {
      const was = known.get(id);
      if (was?.confirmed || !held.has(id) || held.get(id) === was?.product) continue;
      const hit = products._peek(PRODUCT_KEY + id);
      if (hit) known.set(id, { product: hit.value, confirmed: !hit.stale });
    }
  }

  /** Records one lookup's outcome in `known`. */
  function learn(id: string, result: PromiseSettledResult<Product>) {
    const was = known.get(id);
    if (result.status === 'fulfilled') {
      const product = result.value;
      const confirmed = fresh.get(id) !== false;
      // Never downgrade data this page view already confirmed to "last known".
      if (was?.confirmed && !was.gone && was.product === product) return;
      known.set(id, { product, confirmed });
      return;
    }
    const error = result.reason as unknown;
    if (isVitrineError(error, 'NOT_FOUND') || isVitrineError(error, 'INVALID_PRODUCT')) {
      known.set(id, { product: was?.product, confirmed: true, gone: true });
    } else if (!was?.confirmed) {
      // API down and nothing cached: unknown (or, with data from before, unconfirmed).
      known.set(id, { product: was?.product, confirmed: false });
    }
  }

  /** Looks the ids up through the page's batcher (one request with whatever else asks in this task). */
  async function refresh(ids: readonly string[]): Promise<CartSnapshot> {
    const unique = [...new Set(ids)];
    if (unique.length) {
      const results = await Promise.allSettled(unique.map((id) => products.get(id)));
      results.forEach((result, i) => learn(unique[i]!, result));
    }
    return loaded ? publish('reprice', 'this-tab') : snapshot;
  }

  /** One product for add / setQuantity: UNKNOWN_PRODUCT when the API has no such product. */
  async function lookup(productId: string): Promise<Product> {
    const [result] = await Promise.allSettled([products.get(productId)]);
    learn(productId, result!);
    if (result!.status === 'fulfilled') return result!.value;
    const error = toVitrineError(result!.reason, 'NETWORK');
    if (error.code === 'NOT_FOUND' || error.code === 'INVALID_PRODUCT') {
      throw new VitrineError('UNKNOWN_PRODUCT', `No product "${productId}" in store ${deps.storeId}: not added`, { ids: [productId], field: 'productId', cause: error });
    }
    throw error;
  }

  function checkVariant(product: Product, variantId: string | undefined) {
    const variants = product.variants ?? [];
    if (variantId === undefined) {
      if (variants.length) {
        throw new VitrineError(
          'VARIANT_REQUIRED',
          `Product "${product.id}" comes in variants (${variants
            .slice(0, 5)
            .map((v) => v.id)
            .join(', ')}${variants.length > 5 ? ', …' : ''}): choose one`,
          {
            ids: [product.id],
            field: 'variantId',
          },
        );
      }
    } else if (!variants.some((v) => v.id === variantId)) {
      throw new VitrineError('UNKNOWN_VARIANT', `Product "${product.id}" has no variant "${variantId}"`, { ids: [product.id], field: 'variantId' });
    }
  }

  const currencyOf = (productId: string, variantId?: string): string | undefined => {
    const product = known.get(productId)?.product;
    return (variantId === undefined ? undefined : product?.variants?.find((v) => v.id === variantId)?.price.currency) ?? product?.price.currency;
  };

  /** A cart is priced in one currency: refuse a line in another (checked on the state the write applies to). */
  function checkCurrency(state: CartState, productId: string, variantId: string | undefined) {
    const currency = currencyOf(productId, variantId);
    const key = lineKey(productId, variantId);
    for (const line of state.lines) {
      const other = currencyOf(line.productId, line.variantId);
      if (lineKey(line.productId, line.variantId) !== key && other !== undefined && currency !== undefined && other !== currency) {
        throw new VitrineError('CURRENCY_MISMATCH', `Product "${productId}" is priced in ${currency}, the cart in ${other}: a cart holds one currency`, { ids: [productId] });
      }
    }
  }

  async function change(op: Extract<CartOp, { type: 'add' | 'set' }>): Promise<CartSnapshot> {
    const productId = checkId(op.productId, 'productId');
    const variantId = op.variantId === undefined ? undefined : checkId(op.variantId, 'variantId');
    checkQuantity(op.quantity, limits);
    await ready;
    const key = lineKey(productId, variantId);
    // Setting the quantity of a line already in the cart needs no lookup; anything new is looked up first.
    if (op.type === 'add' || !sync.state.lines.some((l) => lineKey(l.productId, l.variantId) === key)) {
      checkVariant(await lookup(productId), variantId);
    }
    await sync.commit((state) => {
      live();
      checkCurrency(state, productId, variantId);
      return applyOp(state, op, limits);
    });
    // The shopper acted on this line at the price shown now: that price is the one they accepted.
    reference.delete(key);
    return publish(op.type, 'this-tab', { productId, ...(variantId !== undefined && { variantId }), quantity: op.quantity });
  }

  // The hint lists the cart's product ids: asking for them now, in the task that created the cart,
  // lets them join whatever the page's widgets ask in this task (one batched request).
  let hinted: string[] = [];
  try {
    hinted = parseCartHint(typeof localStorage === 'undefined' ? undefined : localStorage.getItem(cartHintKey(deps.storeId)))?.ids ?? [];
  } catch {
    // localStorage blocked: the ids are asked once the stored cart is read.
  }
  const priceAtLoad = deps.priceAtLoad !== false;
  const early = priceAtLoad ? refresh(hinted) : Promise.resolve(snapshot);

  const ready: Promise<CartSnapshot> = sync.load().then((state) => {
    loaded = true;
    // A grid's answer (or any product the page shows) may have landed before the cart's code did.
    fromPage(state.lines.map((l) => l.productId));
    const snap = publish('load', 'this-tab');
    if (priceAtLoad) void early.then(() => refresh(state.lines.map((l) => l.productId).filter((id) => !hinted.includes(id) || !known.has(id))));
    return snap;
  });

  const cart: CartCore = {
    limits,
    ready,
    get snapshot() {
      return snapshot;
    },
    get lines() {
      return snapshot.lines;
    },
    get subtotal() {
      return snapshot.subtotal;
    },
    get count() {
      return snapshot.count;
    },
    add: (productId, quantity = 1, variantId) => change({ type: 'add', productId, variantId, quantity }),
    setQuantity: (productId, quantity, variantId) => change({ type: 'set', productId, variantId, quantity }),
    async remove(productId, variantId) {
      checkId(productId, 'productId');
      if (variantId !== undefined) checkId(variantId, 'variantId');
      await ready;
      await sync.commit((state) => (live(), applyOp(state, { type: 'remove', productId, variantId }, limits)));
      return publish('remove', 'this-tab', { productId, ...(variantId !== undefined && { variantId }) });
    },
    async clear() {
      await ready;
      await sync.commit((state) => (live(), applyOp(state, { type: 'clear' }, limits)));
      return publish('clear', 'this-tab');
    },
    async reprice() {
      live();
      await ready;
      return refresh(sync.state.lines.map((l) => l.productId));
    },
    checkout(): CheckoutTarget {
      live();
      if (!checkoutTemplate) throw new VitrineError('CHECKOUT_UNAVAILABLE', 'No checkout is configured: set the storefront’s checkout option', { field: 'checkout' });
      if (!snapshot.lines.length) throw new VitrineError('CART_EMPTY', 'The cart is empty: nothing to check out');
      // Only what the shop can sell goes; it prices the order itself from ids and quantities.
      const lines = snapshot.lines.filter((line) => !UNPURCHASABLE.has(line.status));
      if (!lines.length) throw new VitrineError('CART_EMPTY', 'Nothing in the cart can be bought now (gone or out of stock)');
      return buildCheckout(checkoutTemplate, lines);
    },
    on: (_name, listener) => bus.on('cart', listener),
    format: (money) => formatMoney(money, deps.locale),
    close() {
      closed = true;
      offCache();
      offRequest();
      sync.close();
    },
  };
  if (deps.signal?.aborted) cart.close();
  else deps.signal?.addEventListener('abort', () => cart.close(), { once: true });
  return cart;
}

/** Whether a re-pricing changed anything the shopper sees (no event for a no-op). */
function samePrices(a: CartSnapshot, b: CartSnapshot): boolean {
  return (
    a.persistent === b.persistent &&
    a.confirmed === b.confirmed &&
    sameMoney(a.subtotal, b.subtotal) &&
    a.lines.length === b.lines.length &&
    a.lines.every((line, i) => {
      const other = b.lines[i]!;
      return line.key === other.key && line.quantity === other.quantity && line.status === other.status && line.name === other.name && sameMoney(line.unitPrice, other.unitPrice);
    })
  );
}

/** What another tab did, told from the states before and after (the message carries only the state). */
function remoteChange(before: CartState, after: CartState): [CartChange, Pick<CartEvent, 'productId' | 'variantId' | 'quantity'>] {
  if (!after.lines.length) return ['clear', {}];
  const quantities = new Map(before.lines.map((l) => [lineKey(l.productId, l.variantId), l.quantity]));
  for (const line of after.lines) {
    const was = quantities.get(lineKey(line.productId, line.variantId));
    if (was === line.quantity) continue;
    const detail = { productId: line.productId, ...(line.variantId !== undefined && { variantId: line.variantId }) };
    return was === undefined || line.quantity > was ? ['add', { ...detail, quantity: line.quantity - (was ?? 0) }] : ['set', { ...detail, quantity: line.quantity }];
  }
  const gone = before.lines.find((l) => !after.lines.some((a) => lineKey(a.productId, a.variantId) === lineKey(l.productId, l.variantId)));
  return gone ? ['remove', { productId: gone.productId, ...(gone.variantId !== undefined && { variantId: gone.variantId }) }] : ['reprice', {}];
}
