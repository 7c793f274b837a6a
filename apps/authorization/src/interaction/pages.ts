import { createCspNonce, renderErrorPage } from './views/index.js';
import type { FlowOutcome } from './flow-outcome.js';

/** An error page (never a redirect): used while the client or its redirect URI is not trusted. */
export function errorPage(status: number, title: string, message: string, tenantName?: string): FlowOutcome {
  const nonce = createCspNonce();
  return { kind: 'page', status, nonce, html: renderErrorPage({ tenantName, title, message, nonce }), setCookies: [] };
}
