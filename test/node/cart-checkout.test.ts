import { describe, expect, it } from 'vitest';
import { buildCheckout, linesParam, parseCheckout } from '../../src/cart/checkout.js';
import { isVitrineError } from '../../src/errors.js';

const refusal = (option: unknown) => {
  try {
    parseCheckout(option);
  } catch (error) {
    if (isVitrineError(error, 'INVALID_OPTIONS') && error.field === 'checkout') return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(option)}`);
};

describe('checkout template: checked at creation', () => {
  it.each([
    'https://shop.example.com/cart/{lines}',
    'http://localhost:8080/cart/{lines}',
    'https://shop.example.com/checkout?items={lines}&ref=vitrine',
    'HTTPS://Shop.Example.com/cart/{lines}',
  ])('accepts %s', (template) => {
    expect(parseCheckout(template)).toMatchObject({ method: 'GET' });
  });

  it('no option, no checkout', () => {
    expect(parseCheckout(undefined)).toBeUndefined();
  });

  it.each([
    ['javascript:', 'javascript:alert(1)//{lines}'],
    ['javascript: with spaces', ' javascript:alert(1)//{lines}'],
    ['data:', 'data:text/html,<script>{lines}</script>'],
    ['protocol-relative', '//evil.test/cart/{lines}'],
    ['relative', '/cart/{lines}'],
    ['ftp', 'ftp://shop.example.com/{lines}'],
    ['credentials', 'https://user:pass@shop.example.com/cart/{lines}'],
    ['a disguised host', 'https://shop.example.com@evil.test/cart/{lines}'],
    ['an empty user', 'https://@evil.test/cart/{lines}'],
    ['no {lines}', 'https://shop.example.com/cart/'],
    ['{lines} twice', 'https://shop.example.com/{lines}/{lines}'],
    ['{lines} in the host', 'https://{lines}.example.com/cart'],
    ['{lines} in the fragment', 'https://shop.example.com/cart#{lines}'],
    ['{lines} in the port', 'https://shop.example.com:{lines}/cart'],
    ['a host spelling the marker', 'https://VITRINELINES0PLACEHOLDER.example.com/{lines}'],
    ['a host percent-spelling the marker', 'https://%76itrinelines0placeholder.example.com/{lines}'],
    ['a backslash', 'https:\\\\evil.test/{lines}'],
    ['a newline', 'https://shop.example.com/\ncart/{lines}'],
    ['leading whitespace', ' https://shop.example.com/cart/{lines}'],
    ['no host', 'https:///cart/{lines}'],
    ['too long', `https://shop.example.com/${'a'.repeat(2048)}{lines}`],
    ['a number', 42],
    ['null', null],
    ['an array', ['https://shop.example.com/cart/{lines}']],
  ])('refuses %s', (_, option) => {
    expect(refusal(option)).toMatch(/^\[vitrine\] Invalid checkout: /);
  });

  it('a POST form: { url, method: "POST", field? }', () => {
    expect(parseCheckout({ url: 'https://shop.example.com/cart/add', method: 'POST' })).toEqual({ method: 'POST', action: 'https://shop.example.com/cart/add', field: 'lines' });
    expect(parseCheckout({ url: 'https://shop.example.com/cart', method: 'POST', field: 'items[]' })).toMatchObject({ field: 'items[]' });
  });

  it.each([
    ['a javascript: action', { url: 'javascript:alert(1)', method: 'POST' }],
    ['a GET object', { url: 'https://shop.example.com/cart/{lines}', method: 'GET' }],
    ['no method', { url: 'https://shop.example.com/cart' }],
    ['{lines} in a POST URL', { url: 'https://shop.example.com/cart/{lines}', method: 'POST' }],
    ['a bad field name', { url: 'https://shop.example.com/cart', method: 'POST', field: 'a b' }],
    ['an unknown key', { url: 'https://shop.example.com/cart', method: 'POST', target: '_blank' }],
    ['credentials', { url: 'https://a:b@shop.example.com/cart', method: 'POST' }],
  ])('refuses a form with %s', (_, option) => {
    expect(refusal(option)).toMatch(/Invalid checkout/);
  });
});

describe('checkout target: only ids and quantities, escaped', () => {
  const lines = [
    { productId: '12', quantity: 2 },
    { productId: 'shirt', variantId: '4001', quantity: 1 },
  ];

  it('a Shopify-style permalink, variants by their variant id', () => {
    const template = parseCheckout('https://shop.example.com/cart/{lines}')!;
    expect(buildCheckout(template, lines)).toEqual({ method: 'GET', href: 'https://shop.example.com/cart/12:2,4001:1' });
  });

  it('in the query', () => {
    const template = parseCheckout('https://shop.example.com/checkout?items={lines}&ref=x')!;
    expect(buildCheckout(template, lines)).toEqual({ method: 'GET', href: 'https://shop.example.com/checkout?items=12:2,4001:1&ref=x' });
  });

  it('a POST form carries one field with the same lines', () => {
    const template = parseCheckout({ url: 'https://shop.example.com/cart', method: 'POST' })!;
    expect(buildCheckout(template, lines)).toEqual({ method: 'POST', action: 'https://shop.example.com/cart', fields: [['lines', '12:2,4001:1']] });
  });

  it('escapes every id (were the pattern ever to let hostile ones through)', () => {
    const hostile = [
      { productId: 'a/../b?x=1#y', quantity: 1 },
      { productId: 'p', variantId: 'v&admin=1,9:99', quantity: 3 },
      { productId: '<script>"', quantity: 1 },
    ];
    expect(linesParam(hostile)).toBe('a%2F..%2Fb%3Fx%3D1%23y:1,v%26admin%3D1%2C9%3A99:3,%3Cscript%3E%22:1');
    const { href } = buildCheckout(parseCheckout('https://shop.example.com/cart/{lines}')!, hostile) as { href: string };
    const url = new URL(href);
    expect(url.host).toBe('shop.example.com');
    expect(url.pathname.split('/')).toHaveLength(3);
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });

  it('nothing but ids and quantities leaves', () => {
    const template = parseCheckout('https://shop.example.com/cart/{lines}')!;
    const withPrice = [{ productId: '1', quantity: 1, unitPrice: { minor: 1, currency: 'EUR', exponent: 2 }, name: 'Secret' }];
    expect(JSON.stringify(buildCheckout(template, withPrice))).not.toMatch(/EUR|Secret|minor/);
  });
});
