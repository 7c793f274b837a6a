import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface DeviceCodePageInput {
  readonly chrome: PageChrome;
  readonly formAction: string;
  readonly csrfToken: string;
  /** What the person typed (or the verification_uri_complete carried), shown again after a refusal. */
  readonly userCode?: string | undefined;
  readonly error?: 'invalid' | 'tooMany' | undefined;
}

/** RFC 8628 §3.3: where the person types the code their device shows. */
export function renderDeviceCodePage(input: DeviceCodePageInput): string {
  const { t, brand } = input.chrome;
  const error = input.error
    ? markup`<p class="error" id="device-error" role="alert">${t.text(input.error === 'invalid' ? 'device.invalid' : 'device.tooMany')}</p>\n`
    : EMPTY_HTML;
  const invalid = input.error ? markup` aria-invalid="true" aria-describedby="device-error"` : EMPTY_HTML;
  return renderPage({
    chrome: input.chrome,
    title: t.text('device.title', { brand: brand.name }),
    body: markup`<h1>${t.text('device.heading')}</h1>
<p class="lead">${t.text('device.hint')}</p>
${error}<form method="post" action="${input.formAction}" novalidate>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="user_code">${t.text('device.code')}</label>
  <input type="text" id="user_code" name="user_code" value="${input.userCode ?? ''}" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="32" required autofocus${invalid}>
  <button type="submit">${t.text('device.submit')}</button>
</form>`,
  });
}

/** After the consent: the device may go on, or was refused. */
export function renderDeviceDonePage(chrome: PageChrome, approved: boolean): string {
  const { t, brand, client } = chrome;
  const key = approved ? 'approved' : 'denied';
  return renderPage({
    chrome,
    title: t.text(`device.${key}.title`, { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text(`device.${key}.heading`)}</h1>
<p>${t.text(`device.${key}.body`, { client: client?.name ?? brand.name })}</p>`,
  });
}
