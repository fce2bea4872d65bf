/**
 * The box Vitrine's elements hold before vitrine.js has defined them, so the skeletons that replace
 * them shift nothing. The bootstrap snippet adopts it as a constructable stylesheet (allowed by a
 * strict style-src); merchants using the plain tag paste the same line into their CSS (README).
 *
 * `<vitrine-product>`: exactly its skeleton's box (src/ui/styles.ts), whatever the width: a card at
 * most 416 px wide with 8 px padding, a 4:5 image area over its inner width (the content box here,
 * hence `content-box`: a merchant's `* { box-sizing: border-box }` must not change it), then 6 + 4 + 4
 * + 8 px of gaps and padding under it and the name, price and stock lines (2.8 + 1.4 + 1.4 × .87 =
 * 5.418 em of the widget's font size).
 *
 * `<vitrine-grid>`: about its first row (one card at the smallest column width). Its full height
 * depends on the number of columns, which CSS cannot divide by; a grid written into the HTML above
 * other content is best served by the tag in `<head>` (or `data-target`), where the skeleton comes
 * with the element.
 */
export const RESERVE_CSS =
  'vitrine-product:not(:defined){display:block;box-sizing:content-box;max-width:400px;padding:8px 8px calc(22px + 5.418*var(--vitrine-font-size,15px));aspect-ratio:4/5}' +
  'vitrine-grid:not(:defined){display:block;min-height:320px}';
