/**
 * Generators of hostile API answers for the property tests. Answers are built as JSON *text*, the
 * way they arrive on the wire: `__proto__` then becomes an own key after JSON.parse (the shape that
 * pollutes prototypes through naive merges), and numbers like 1e999 parse to Infinity.
 */
import fc from 'fast-check';
import type { Product } from '../../src/data/schema.js';

/** A value serialised verbatim into the JSON text (deep nesting, 1e999, …). */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text for a value that may contain Raw pieces and own `__proto__` keys. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0000RAW${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_, i: string) => raws[Number(i)] ?? 'null');
}

/** An own, enumerable `__proto__` (or any) key, as JSON.parse would produce it. */
export function withOwnKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

const idChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split(''));
const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._~-'.split(''));

/** Product text that a shop might really send: unicode of every plane, RTL, emoji, lone surrogates. */
const shopText = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: Math.min(max, 60) }),
    fc.string({ unit: 'grapheme', maxLength: Math.min(max, 30) }),
    fc.string({ unit: 'binary', maxLength: Math.min(max, 30) }),
    fc.constantFrom('Ünïcödé ☕', 'مرحبا', '日本語の商品', '\u202Eevil\u202C', '<script>alert(1)</script>', '"}]},{"id":"x'),
  );

/** The bidi embedding, override and isolate controls no text a shopper sees may keep. */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Shop text as the schema keeps it: bidi controls stripped (what was sent with them comes back without). */
const shownText = (max: number) => shopText(max).filter((text) => !BIDI_CONTROL.test(text));

export const validProductArb: fc.Arbitrary<Product> = fc
  .record(
    {
      // A name is never blank (white space or invisible characters only) and carries no bidi controls (the schema strips those: not what was sent).
      name: shopText(500).filter((name) => /[^\s\u200b-\u200f\u2060\u00ad]/.test(name) && !BIDI_CONTROL.test(name)),
      price: fc.record({
        // A price is 0 to 10¹² (-0 is read as 0, so it is generated as 0).
        amount: fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e12 }).map((n) => n + 0),
        currency: fc.stringMatching(/^[A-Z]{3}$/),
      }),
      url: shopText(2048),
      inStock: fc.boolean(),
      description: shownText(5000),
      image: fc.record(
        {
          key: fc.string({ unit: keyChar, minLength: 1, maxLength: 128 }).filter((k) => k !== '.' && k !== '..'),
          width: fc.integer({ min: 1, max: 20_000 }),
          height: fc.integer({ min: 1, max: 20_000 }),
          alt: shownText(500),
        },
        { requiredKeys: ['key', 'width', 'height'] },
      ),
    },
    { requiredKeys: ['name', 'price', 'url', 'inStock'] },
  )
  .map((p) => ({ id: 'placeholder', ...p }) as Product)
  // -0 survives the schema but not a JSON round trip; compare what the wire can carry.
  .map((p) => JSON.parse(JSON.stringify(p)) as Product);

export const validIdArb = fc.string({ unit: idChar, minLength: 1, maxLength: 64 });

const deep = (depth: number, open: string, close: string, leaf = '1') => new Raw(open.repeat(depth) + leaf + close.repeat(depth));

/** Values of the wrong type for any product field (none is accepted by any field). */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant(new Raw('1e999')),
  fc.constant(new Raw('-1e999')),
  fc.integer({ min: 1, max: 3 }).map((n) => deep(n * 3000, '[', ']')),
  fc.integer({ min: 1, max: 3 }).map((n) => deep(n * 2000, '{"a":', '}')),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

export type Mutation = { kind: string; apply(p: Product): unknown };

/** Ways to make one product certainly invalid. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ field: fc.constantFrom('id', 'name', 'price', 'url', 'inStock'), value: wrongValue }).map(({ field, value }) => ({
    kind: `wrong type ${field}`,
    apply: (p: Product) => ({ ...p, [field]: value }),
  })),
  fc.constantFrom('id', 'name', 'price', 'url', 'inStock').map((field) => ({
    kind: `missing ${field}`,
    apply: (p: Product) => {
      const copy: Record<string, unknown> = { ...p };
      delete copy[field];
      return copy;
    },
  })),
  fc.record({ field: fc.constantFrom(['name', 500], ['url', 2048], ['description', 5000]), extra: fc.integer({ min: 1, max: 200_000 }) }).map(({ field, extra }) => ({
    kind: `huge ${field[0]}`,
    apply: (p: Product) => ({ ...p, [field[0]]: 'x'.repeat(field[1] + extra) }),
  })),
  fc.constantFrom('', ' ', '\n\t', '\u3000', '\u202E', '\u2066 \u2069', '\u200B\u00AD').map((name) => ({ kind: 'blank name', apply: (p: Product) => ({ ...p, name }) })),
  fc.constantFrom('eur', 'EURO', '', '€', 'E1R').map((currency) => ({ kind: 'bad currency', apply: (p: Product) => ({ ...p, price: { ...p.price, currency } }) })),
  fc
    .constantFrom(new Raw('1e999'), '12.50', null, true, -0.01, -1e12, 1e12 + 1, -5e-324)
    .map((amount) => ({ kind: 'bad amount', apply: (p: Product) => ({ ...p, price: { ...p.price, amount } }) })),
  fc.constantFrom('../../etc/passwd', '..', '.', 'a/b', 'a%2F..', 'k\u0000', 'k?x=1', 'k#frag', 'ü', '', 'x'.repeat(129), 'javascript:alert(1)').map((key) => ({
    kind: 'hostile image key',
    apply: (p: Product) => ({ ...p, image: { key, width: 10, height: 10 } }),
  })),
  fc.constantFrom(0, -1, 1.5, 20_001, new Raw('1e999')).map((width) => ({
    kind: 'bad image width',
    apply: (p: Product) => ({ ...p, image: { key: 'k', width, height: 10 } }),
  })),
  fc.constantFrom('1 2', '', 'x'.repeat(65), '../1', 'ü', '<img>').map((id) => ({ kind: 'bad id', apply: (p: Product) => ({ ...p, id }) })),
  // Two variants with one id (anywhere in the list): the buy row's choice and checkout's line would be ambiguous.
  fc.record({ ids: fc.uniqueArray(validIdArb, { minLength: 1, maxLength: 5 }), copy: fc.nat(), at: fc.nat() }).map(({ ids, copy, at }) => ({
    kind: 'duplicate variant id',
    apply: (p: Product) => {
      const variants = ids.map((id) => ({ id, name: `Size ${id}`, price: p.price, inStock: true }));
      variants.splice(at % (variants.length + 1), 0, { ...variants[copy % variants.length]!, name: 'Another size' });
      return { ...p, variants };
    },
  })),
  wrongValue.map((value) => ({
    kind: 'item not an object',
    apply: () => (typeof value === 'object' && value !== null && !(value instanceof Raw) && !Array.isArray(value) ? 'str' : value),
  })),
);

/** Keys that pollute prototypes through naive merges, attached to an otherwise valid product. */
export const pollutionArb = fc.constantFrom<[string, unknown]>(
  ['__proto__', { polluted: 'yes', inStock: false }],
  ['constructor', { prototype: { polluted: 'yes' } }],
  ['prototype', { polluted: 'yes' }],
);

export interface GeneratedItem {
  id: string;
  valid: boolean;
  product: Product;
  raw: unknown;
  kind: string;
}

/** An answer's items: valid, malformed and polluted ones mixed, each with a unique id. */
export const itemsArb: fc.Arbitrary<GeneratedItem[]> = fc
  .array(
    fc.record({
      product: validProductArb,
      mutation: fc.option(mutationArb, { freq: 2 }),
      pollution: fc.option(pollutionArb, { freq: 3 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows) =>
    rows.map(({ product, mutation, pollution }, i) => {
      const id = `p${i}`;
      const good = { ...product, id };
      let raw = mutation ? mutation.apply(good) : good;
      if (pollution && raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Raw)) {
        raw = withOwnKey({ ...(raw as object) }, pollution[0], pollution[1]);
      }
      return { id, valid: !mutation, product: good, raw, kind: mutation?.kind ?? (pollution ? `polluted ${pollution[0]}` : 'valid') };
    }),
  );

/** Envelopes that are wrong as a whole: the answer cannot be trusted at all. */
export const badEnvelopeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.constant(deep(5000, '[', ']')),
  fc.constant(deep(5000, '{"items":', '}', '[]')),
  fc.record({ products: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }) }),
  fc.record({ items: fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 })) }),
  fc.record({ items: fc.constant([]), total: fc.oneof(fc.constant(-1), fc.constant(1.5), fc.string(), fc.constant(null), fc.constant(new Raw('1e999'))) }),
  fc.constant({ items: new Raw(`[${Array.from({ length: 1001 }, () => '{}').join(',')}]`) }),
  fc.constant(withOwnKey({}, '__proto__', { items: [] })),
);
