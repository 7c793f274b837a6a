import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { renderPasskeyForm, type PasskeyOffer } from './passkey-form.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface SecurityPasskey {
  readonly id: string;
  readonly name: string;
  readonly synced: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface SecurityPageInput {
  readonly chrome: PageChrome;
  readonly userName: string;
  readonly csrfToken: string;
  readonly passkeys: readonly SecurityPasskey[];
  readonly totp: boolean;
  /** `${issuerPath}/account/security`: the remove forms post below it. */
  readonly basePath: string;
  readonly add: PasskeyOffer;
  readonly notice?: 'added' | 'removed' | undefined;
  readonly error?: 'passkeyFailed' | undefined;
}

/** Self-service: the signed-in person's passkeys (add, remove) and whether an authenticator app is set up. */
export function renderSecurityPage(input: SecurityPageInput): string {
  const { t, brand } = input.chrome;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const items = input.passkeys.map((passkey) => {
    const used = passkey.lastUsedAt ? t.text('security.lastUsed', { date: day(passkey.lastUsedAt) }) : t.text('security.neverUsed');
    const kind = t.text(passkey.synced ? 'security.synced' : 'security.deviceBound');
    return markup`<li><span><strong>${passkey.name}</strong> (${kind})<br><small>${t.text('security.details', { created: day(passkey.createdAt), used })}</small></span>
<form method="post" action="${input.basePath}/passkeys/${passkey.id}/remove">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit" class="secondary" aria-label="${t.text('security.removeLabel', { name: passkey.name })}">${t.text('security.remove')}</button>
</form></li>`;
  });
  const list = items.length > 0 ? markup`<ul class="passkeys">${items}</ul>` : markup`<p>${t.text('security.none')}</p>`;
  const notice = input.notice ? markup`<p class="notice" role="status">${t.text(`security.${input.notice}`)}</p>\n` : EMPTY_HTML;
  const error = input.error ? markup`<p class="error" role="alert">${t.text('passkey.failed')}</p>\n` : EMPTY_HTML;
  const nameField = markup`<label for="passkey-name">${t.text('security.name')}</label>
  <input type="text" id="passkey-name" name="name" maxlength="100" autocomplete="off">
  `;
  return renderPage({
    chrome: input.chrome,
    title: t.text('security.title', { brand: brand.name }),
    body: markup`<h1>${t.text('security.heading')}</h1>
<p class="lead">${t.text('security.signedInAs', { user: input.userName })}</p>
${notice}${error}<h2>${t.text('security.passkeys')}</h2>
${list}
${renderPasskeyForm(input.chrome, input.add, { csrfToken: input.csrfToken, button: t.text('security.add'), nameField })}
<h2>${t.text('security.totp')}</h2>
<p id="totp-status">${t.text(input.totp ? 'security.totpOn' : 'security.totpOff')}</p>`,
  });
}
