import { createStorefront, toJsonLd, type Product } from 'vitrine';

const store = createStorefront({ storeId: '1', api: 'https://api.example.com', cdn: 'https://cdn.example.com', origin: 'https://shop.example.com' });
export async function render(id: string): Promise<string> {
  const product: Product = await store.products.get(id);
  return JSON.stringify(toJsonLd(product));
}

// The cart file's internal hook is not part of the published types (stripInternal).
// @ts-expect-error _peek is @internal
void store.products._peek;
