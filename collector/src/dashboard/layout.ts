import { html, type Html } from './html.js';

/**
 * The document around every dashboard page: no inline script or style anywhere (the CSP forbids
 * both), one stylesheet and one deferred script, both same-origin.
 */
export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
${body}
</body>
</html>
`;
}
