/**
 * The request pattern of the incident Vitrine is built against, reproduced as a client of the same
 * simulated backend: every product is fetched on its own, and every product request triggers three
 * more — one per image variant (image, thumbnail, small thumbnail) — to learn that variant's URL.
 *
 * The backend has no image-URL endpoint, so each image-URL request is a product lookup carrying the
 * variant (`?ids=42&variant=thumbnail`): the same work a server does to resolve an image URL (find
 * the product, read its image key), a distinct URL so no cache merges it, counted as an API request.
 * For a grid the ids are taken as known, so the incident pays no list request: the comparison is
 * generous to it.
 *
 * Self-contained (no imports, fetch only) so the same file runs in Node for the load benchmark and
 * in Chromium, transpiled, for the request-budget scenarios.
 */

export type IncidentVariant = 'image' | 'thumbnail' | 'smallThumbnail';

export const INCIDENT_VARIANTS: readonly IncidentVariant[] = ['image', 'thumbnail', 'smallThumbnail'];
const WIDTHS: Record<IncidentVariant, number> = { image: 1200, thumbnail: 400, smallThumbnail: 160 };

export interface IncidentProduct {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  url: string;
  inStock: boolean;
  image?: { key: string; width: number; height: number; alt?: string };
}

export interface IncidentResult {
  product: IncidentProduct;
  /** Image URLs on the CDN, one per variant, as the incident client learned them. */
  images: Partial<Record<IncidentVariant, string>>;
}

export interface IncidentPageViewOptions {
  api: string;
  cdn: string;
  storeId: string;
  ids: readonly string[];
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** One page view the incident's way; resolves with the products and their image URLs, in order. */
export async function incidentPageView(options: IncidentPageViewOptions): Promise<IncidentResult[]> {
  const fetchImpl = options.fetch ?? fetch;
  const base = `${options.api.replace(/\/+$/, '')}/stores/${encodeURIComponent(options.storeId)}/products`;
  const cdn = options.cdn.replace(/\/+$/, '');

  async function lookup(id: string, variant?: IncidentVariant): Promise<IncidentProduct> {
    const url = `${base}?ids=${encodeURIComponent(id)}${variant ? `&variant=${variant}` : ''}`;
    const init: RequestInit = options.signal ? { signal: options.signal } : {};
    const response = await fetchImpl(url, init);
    if (!response.ok) throw new Error(`incident client: GET ${url} answered ${response.status}`);
    const body = (await response.json()) as { items?: IncidentProduct[] };
    const product = body.items?.[0];
    if (!product) throw new Error(`incident client: GET ${url} returned no product`);
    return product;
  }

  return Promise.all(
    options.ids.map(async (id) => {
      const product = await lookup(id);
      const images: Partial<Record<IncidentVariant, string>> = {};
      // The incident: three more requests after every product request, one per variant.
      await Promise.all(
        INCIDENT_VARIANTS.map(async (variant) => {
          const resolved = await lookup(id, variant);
          if (resolved.image) images[variant] = `${cdn}/images/${encodeURIComponent(options.storeId)}/${encodeURIComponent(resolved.image.key)}/${WIDTHS[variant]}.webp`;
        }),
      );
      return { product, images };
    }),
  );
}

/** Requests one incident page view of n products costs the API: one per product plus three image-URL requests. */
export const incidentRequestsPerPageView = (products: number) => products * (1 + INCIDENT_VARIANTS.length);
