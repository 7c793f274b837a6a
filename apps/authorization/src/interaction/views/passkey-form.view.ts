import type { PageChrome } from './page-chrome.js';
import { EMPTY_HTML, markup, type SafeHtml } from './safe-html.js';

/** A WebAuthn ceremony the page offers: its options (JSON from the server) and where the result is posted. */
export interface PasskeyOffer {
  readonly ceremony: 'register' | 'authenticate';
  readonly formAction: string;
  /** PublicKeyCredentialCreationOptionsJSON or …RequestOptionsJSON; its challenge is stored server-side. */
  readonly options: string;
  /** The same-origin ceremony script (passkey-script.ts), loaded with the page's CSP nonce. */
  readonly scriptSrc: string;
}

/**
 * A form that stays hidden without JavaScript or WebAuthn: the script reveals it, runs the ceremony
 * on submit, puts the credential's JSON into `response` and posts it like any other form.
 */
export function renderPasskeyForm(
  chrome: PageChrome,
  offer: PasskeyOffer,
  input: { readonly csrfToken: string; readonly button: string; readonly secondary?: boolean; readonly nameField?: SafeHtml },
): SafeHtml {
  const { t } = chrome;
  const buttonClass = input.secondary === true ? markup` class="secondary"` : EMPTY_HTML;
  return markup`<form method="post" action="${offer.formAction}" data-passkey="${offer.ceremony}" data-options="${offer.options}" hidden>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <input type="hidden" name="response" value="">
  ${input.nameField ?? EMPTY_HTML}<button type="submit"${buttonClass}>${input.button}</button>
</form>
<p class="error" role="alert" data-passkey-error hidden>${t.text('passkey.cancelled')}</p>
<script src="${offer.scriptSrc}" nonce="${chrome.nonce}" defer></script>`;
}
