import { createStorefront, toJsonLd, type Product } from 'vitrine';

const store = createStorefront({ storeId: '1', api: 'https://api.example.com', cdn: 'https://cdn.example.com', origin: 'https://shop.example.com' });
export async function render(id: string): Promise<string> {
  const product: Product = await store.products.get(id);
  return JSON.stringify(toJsonLd(product));
}
