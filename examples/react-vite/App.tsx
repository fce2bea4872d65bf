// React 19 knows <vitrine-grid> and <vitrine-product> (props, `store`, onvitrine-* events) from this import.
import type {} from 'vitrine/react';
import type { Product } from 'vitrine';
import { useEffect, useState } from 'react';
import { store } from './store.ts';

const GRID = ['1', '2', '3', '4', '5', '6'];
const FEATURED = '42';

export function App() {
  const [rendered, setRendered] = useState(0);
  const [featured, setFeatured] = useState<Product>();

  // Data without a widget: this lookup is made in the same task as the elements' own, so it joins
  // their batch (one API request for all of it).
  useEffect(() => {
    let live = true;
    store.products.get(FEATURED).then(
      (product) => live && setFeatured(product),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <main>
      <h1>Kitchen favourites</h1>
      <p data-testid="status">
        {rendered ? `${rendered} widgets rendered` : 'Loading…'}
        {featured && ` · featured: ${featured.name}`}
      </p>
      <vitrine-grid ids={GRID.join(',')} store={store} onvitrine-rendered={() => setRendered((n) => n + 1)} />
      <h2>Featured</h2>
      <vitrine-product
        product-id={FEATURED}
        store={store}
        onvitrine-rendered={() => setRendered((n) => n + 1)}
        onvitrine-error={(event) => console.warn('featured product failed', event.detail.pending ? '(retrying)' : '')}
      />
    </main>
  );
}
