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

/** `url` when it lies under an allowed base; throws otherwise (before assignment, and again inside the policy). */
export function allowedScriptUrl(url: string): string {
  for (const base of allowed) if (url.startsWith(base)) return url;
  throw new TypeError(`[vitrine] refusing script URL outside the configured cdn/origin: ${url}`);
}

/** The value to assign to `script.src`: a TrustedScriptURL where supported; throws for a URL outside the allowed bases. */
export function trustedScriptUrl(url: string): string {
  allowedScriptUrl(url);
  // The bootstrap snippet (scripts/snippet.mjs) created the policy and hands it over as
  // `VitrinePolicy`: asking for the name again would be refused and reported as a CSP violation.
  policy ??= (globalThis as { VitrinePolicy?: PolicyLike }).VitrinePolicy;
  if (policy === undefined) {
    try {
      policy = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes?.createPolicy(POLICY_NAME, { createScriptURL: allowedScriptUrl }) ?? null;
    } catch {
      // The name is taken, or the CSP refuses it: the plain string is left to the page.
      policy = null;
    }
  }
  return (policy?.createScriptURL(url) ?? url) as string;
}
