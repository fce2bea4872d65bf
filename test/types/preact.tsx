/** @jsxImportSource preact */
// Preact: `import type {} from 'vitrine/preact'` adds the elements to preact's JSX.IntrinsicElements.
import type {} from 'vitrine/preact';
import type { VitrineGridElement } from 'vitrine/ui';
import { createRef, type JSX } from 'preact';

export function Shop(): JSX.Element {
  const ref = createRef<VitrineGridElement>();
  return (
    <main>
      <vitrine-grid ref={ref} limit={8} class="grid" onvitrine-rendered={() => console.log(ref.current?.limit)} />
      <vitrine-product product-id="42" onvitrine-error={(event) => console.log(event.detail.pending)} />
      <vitrine-cart class="cart" />
      {/* @ts-expect-error limit is a number or a numeric string, not a boolean */}
      <vitrine-grid limit={true} />
      {/* @ts-expect-error the attribute is product-id, not productId */}
      <vitrine-product productId="42" />
      {/* @ts-expect-error vitrine-error's detail has pending, nothing else */}
      <vitrine-product onvitrine-error={(event) => console.log(event.detail.retry)} />
    </main>
  );
}
