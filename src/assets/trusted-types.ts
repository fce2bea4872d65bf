/**
 * One Trusted Types policy, `vitrine`, for the only script URLs Vitrine ever assigns: those under a
 * configured CDN or origin. Pages enforcing `require-trusted-types-for 'script'` then accept our
 * `<script src>` as long as they list `vitrine` in `trusted-types`; nothing else passes through it.
 * Feature-detected: without Trusted Types the URL string is used as is.
 */
interface PolicyLike {
  createScriptURL(url: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): PolicyLike;
}

// Page-wide on purpose: a policy name can be created once per page, and several storefronts
// (different CDNs) share it; each adds its bases.
const allowed = new Set<string>();
let policy: PolicyLike | null | undefined;

export const POLICY_NAME = 'vitrine';

export function allowScriptBases(...bases: string[]): void {
  for (const base of bases) allowed.add(base.endsWith('/') ? base : `${base}/`);
}

export function isAllowedScriptUrl(url: string): boolean {
  for (const base of allowed) if (url.startsWith(base)) return true;
  return false;
}

/** The value to assign to `script.src`: a TrustedScriptURL where supported; throws for a URL outside the allowed bases. */
export function trustedScriptUrl(url: string): string {
  if (!isAllowedScriptUrl(url)) throw new TypeError(`[vitrine] refusing script URL outside the configured cdn/origin: ${url}`);
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = tt?.createPolicy
        ? tt.createPolicy(POLICY_NAME, {
            createScriptURL(candidate) {
              if (!isAllowedScriptUrl(candidate)) throw new TypeError(`[vitrine] script URL not allowed: ${candidate}`);
              return candidate;
            },
          })
        : null;
    } catch {
      // The name is taken: by the bootstrap snippet (scripts/snippet.mjs), which hands its policy over
      // as `VitrinePolicy`; otherwise the CSP refuses it, and the plain string is left to the page.
      policy = (globalThis as { VitrinePolicy?: PolicyLike }).VitrinePolicy ?? null;
    }
  }
  return (policy ? policy.createScriptURL(url) : url) as string;
}
