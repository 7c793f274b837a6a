export { renderConsentPage, type ConsentApi, type ConsentPageInput, type ConsentScope } from './consent-page.view.js';
export { renderErrorPage, type ErrorKind, type ErrorPageInput } from './error-page.view.js';
export { renderLoginPage, type LoginPageInput } from './login-page.view.js';
export { renderLogoutConfirmPage, type LogoutConfirmPageInput } from './logout-confirm-page.view.js';
export { renderSignedOutPage } from './signed-out-page.view.js';
export { displayableUrl, imageOrigins, type PageBrand, type PageChrome, type PageClient } from './page-chrome.js';
export { createCspNonce, pageSecurityHeaders } from './page-security-headers.js';
export { escapeHtml } from './safe-html.js';
export { describeScope } from './scope-description.js';
