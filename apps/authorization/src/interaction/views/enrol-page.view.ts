import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { renderPasskeyForm, type PasskeyOffer } from './passkey-form.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface EnrolPageInput {
  readonly chrome: PageChrome;
  readonly formAction: string;
  readonly csrfToken: string;
  /** The QR code of the otpauth:// URI as a `data:image/svg+xml` URL (CSP img-src allows `data:`, nothing more). */
  readonly qrDataUrl: string;
  /** The base32 secret, for typing into an app that cannot scan. */
  readonly secret: string;
  readonly error?: 'failed' | 'locked' | 'passkeyFailed' | undefined;
  /** "Use a passkey instead": registers one as the second factor. */
  readonly passkey?: PasskeyOffer | undefined;
}

const ERROR_TEXT = { failed: 'enrol.failed', locked: 'login.locked', passkeyFailed: 'passkey.failed' } as const;

/** TOTP enrolment: scan or type the key, then prove it with one code. */
export function renderEnrolPage(input: EnrolPageInput): string {
  const { t, brand } = input.chrome;
  const failed = input.error !== undefined;
  const error = failed
    ? markup`<p class="error" id="code-error" role="alert">${t.text(ERROR_TEXT[input.error ?? 'failed'])}</p>\n`
    : EMPTY_HTML;
  const invalid = failed ? markup` aria-invalid="true" aria-describedby="code-error"` : EMPTY_HTML;
  const passkey = input.passkey
    ? markup`\n<p class="divider" data-passkey-divider hidden>${t.text('passkey.instead')}</p>\n${renderPasskeyForm(
        input.chrome,
        input.passkey,
        {
          csrfToken: input.csrfToken,
          button: t.text('passkey.create'),
          secondary: true,
        },
      )}`
    : EMPTY_HTML;
  // Groups of four, as authenticator apps show keys; the spaces are ignored when typed.
  const grouped = input.secret.replace(/(.{4})(?=.)/g, '$1 ');
  return renderPage({
    chrome: input.chrome,
    title: t.text('enrol.title', { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text('enrol.heading')}</h1>
<p class="lead">${t.text('enrol.scan')}</p>
<p><img class="qr" src="${input.qrDataUrl}" alt="${t.text('enrol.qrAlt', { brand: brand.name })}" width="200" height="200"></p>
<p>${t.text('enrol.secret')}: <code id="totp-secret">${grouped}</code></p>
${error}<form method="post" action="${input.formAction}" novalidate>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="code">${t.text('enrol.code')}</label>
  <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required${invalid} autofocus>
  <button type="submit">${t.text('enrol.submit')}</button>
</form>${passkey}`,
  });
}
