import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config.js';
import { createStorefront } from '../../src/storefront.js';
import { isVitrineError, type VitrineError } from '../../src/errors.js';
import { withOwnKey } from './properties-arbitraries.js';

let tried = 0;
afterAll(() => console.info(`[properties-options] generated options tried: ${tried}`));

const valid = () => ({ storeId: '1003', api: 'https://api.example.com', cdn: 'https://cdn.example.com', origin: 'https://origin.example.com', cache: { persist: false } });

/** Either a valid result or INVALID_OPTIONS; anything else escaping is the bug this looks for. */
function outcome(input: unknown): { ok: true } | { ok: false; error: VitrineError } {
  try {
    createStorefront(input as never).destroy();
    resolveOptions(input);
    return { ok: true };
  } catch (err) {
    expect(isVitrineError(err, 'INVALID_OPTIONS'), `non-INVALID_OPTIONS error: ${String(err)}`).toBe(true);
    const error = err as VitrineError;
    expect(typeof error.field).toBe('string');
    expect(error.message.length).toBeLessThan(500);
    return { ok: false, error };
  }
}

/** Options fields with values none of them accepts, and the field each must be reported as. */
const brokenField = fc.oneof(
  fc.record({
    path: fc.constantFrom(['storeId'], ['api'], ['cdn'], ['origin'], ['collector']),
    value: fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.constant(''),
      fc.constantFrom('javascript:alert(1)', 'ftp://x', 'data:text/html,x', ' http://x', 'https://'),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.object({ maxDepth: 1 }),
    ),
  }),
  fc.record({
    path: fc.constantFrom(['batch', 'maxSize'], ['retry', 'attempts'], ['timeoutMs'], ['assets', 'breakerThreshold'], ['images', 'widths', 'image']),
    value: fc.oneof(
      fc.constant(0),
      fc.constant(-1),
      fc.constant(1.5),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.string(),
      fc.constant(null),
      fc.boolean(),
    ),
  }),
  fc.record({
    path: fc.constantFrom(['sampleRate'], ['retry', 'budget']),
    value: fc.oneof(fc.double({ min: 1.0001, max: 1e9, noNaN: true }), fc.double({ max: -0.0001, min: -1e9, noNaN: true }), fc.constant(Number.NaN), fc.string()),
  }),
  fc.record({ path: fc.constantFrom(['fetch'], ['beforeSend']), value: fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 1 }), fc.constant(null)) }),
  fc.record({ path: fc.constant(['images', 'template']), value: fc.constantFrom('{base}/x.webp', '', '{key}', 42) }),
);

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? { ...(node[key] as object) } : {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

describe('options validation under generated input', () => {
  it('answers any value at all with a storefront or INVALID_OPTIONS, never another exception', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true, withObjectString: true }),
        (input) => {
          tried++;
          outcome(input);
          outcome({ ...valid(), ...(typeof input === 'object' && input !== null ? input : { extra: input }) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the broken field when one option is wrong, so the developer knows what to fix', () => {
    fc.assert(
      fc.property(brokenField, ({ path, value }) => {
        tried++;
        const input: Record<string, unknown> = valid();
        setPath(input, path, value);
        const result = outcome(input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.field).toBe(path.join('.'));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects unknown and prototype-polluting keys by name without polluting Object.prototype', () => {
    fc.assert(
      fc.property(fc.constantFrom('__proto__', 'constructor', 'prototype', 'storeID', 'cdnUrl'), fc.constantFrom('', 'batch', 'retry', 'assets'), (key, under) => {
        tried++;
        const input = JSON.parse(JSON.stringify(valid())) as Record<string, unknown>;
        const host = under ? ((input[under] = {}), input[under] as object) : input;
        withOwnKey(host, key, { polluted: 'yes', storeId: 'evil' });
        const result = outcome(input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.field).toBe(under ? under : '(root)');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
