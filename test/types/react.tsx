// React 19: `import type {} from 'vitrine/react'` adds the elements to React.JSX.IntrinsicElements.
import type {} from 'vitrine/react';
import { createStorefront } from 'vitrine';
import type { VitrineGridElement } from 'vitrine/ui';
import { useRef, type JSX } from 'react';

const store = createStorefront({ storeId: '1', api: 'https://api.example.com', cdn: 'https://cdn.example.com', origin: 'https://shop.example.com' });

export function Shop(): JSX.Element {
  const ref = useRef<VitrineGridElement>(null);
  return (
    <main>
      <vitrine-grid ref={ref} limit={8} offset="0" category="shoes" className="grid" store={store} />
      <vitrine-grid ids="1,2,3" onvitrine-rendered={(event) => console.log(event.detail, ref.current?.limit)} />
      <vitrine-product product-id="42" onvitrine-error={(event) => console.log(event.detail.pending)} />
      {/* @ts-expect-error limit is a number or a numeric string, not a boolean */}
      <vitrine-grid limit={true} />
      {/* @ts-expect-error the attribute is product-id, not productId */}
      <vitrine-product productId="42" />
      {/* @ts-expect-error store is a Storefront */}
      <vitrine-product store="1" />
      {/* @ts-expect-error vitrine-error's detail has pending, nothing else */}
      <vitrine-product product-id="42" onvitrine-error={(event) => console.log(event.detail.retry)} />
      {/* @ts-expect-error vitrine-rendered's detail is null */}
      <vitrine-grid onvitrine-rendered={(event) => console.log(event.detail.pending)} />
      <vitrine-cart className="cart" />
      <vitrine-cart open-on-add />
      <vitrine-product product-id="42" onvitrine-cart-error={(event) => console.log(event.detail.error.message)} />
      {/* @ts-expect-error the cart badge has no attributes of its own */}
      <vitrine-cart limit={8} />
      {/* @ts-expect-error only the elements Vitrine defines are added */}
      <vitrine-basket />
    </main>
  );
}
