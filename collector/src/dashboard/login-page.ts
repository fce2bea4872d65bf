import { html, type Html } from './html.js';
import { layout } from './layout.js';

/** The token form: POSTs to /login, which sets the HttpOnly cookie and sends the browser back to `next`. */
export function loginPage(o: { error?: string; next: string }): Html {
  const error = o.error ? html`<p class="error" role="alert" id="login-error">${o.error}</p>` : html``;
  return layout(
    'Sign in · Vitrine field',
    html`<header class="top"><div class="brand"><p class="name">Vitrine field</p></div></header>
<main id="main" class="narrow">
<h1>Sign in</h1>
<p>The field dashboard needs the collector's token (the <code>--token</code> it was started with).</p>
${error}
<form class="login" method="post" action="/login">
<input type="hidden" name="next" value="${o.next}">
<input type="text" name="username" value="vitrine" autocomplete="username" hidden>
<label for="token">Token</label>
<input id="token" name="token" type="password" required autocomplete="current-password" autofocus${o.error ? html` aria-describedby="login-error" aria-invalid="true"` : html``}>
<button type="submit">Sign in</button>
</form>
</main>`,
  );
}
