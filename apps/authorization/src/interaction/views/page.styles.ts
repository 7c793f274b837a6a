import { markup } from './safe-html.js';

// No quotes or angle brackets here: the sheet is inlined as markup in a nonce'd <style>.
// Colours meet WCAG 2.1 AA (4.5:1 for text) in both schemes; --gh-primary comes from page-theme.ts.
export const PAGE_STYLES = markup`
  :root {
    color-scheme: light dark;
    --gh-bg: #f4f4f5; --gh-card: #ffffff; --gh-text: #18181b; --gh-muted: #52525b;
    --gh-border: #d4d4d8; --gh-field: #71717a; --gh-link: #0b57d0;
    --gh-error-text: #8c1d18; --gh-error-bg: #fce8e6; --gh-error-edge: #b3261e;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --gh-bg: #18181b; --gh-card: #27272a; --gh-text: #f4f4f5; --gh-muted: #c4c4cc;
      --gh-border: #3f3f46; --gh-field: #a1a1aa; --gh-link: #8ab4f8;
      --gh-error-text: #ffdad6; --gh-error-bg: #5c1410; --gh-error-edge: #ffb4ab;
    }
  }
  * { box-sizing: border-box; }
  body {
    margin: 0;
    padding: 2rem 1rem;
    font: 1rem/1.5 system-ui, -apple-system, Segoe UI, Roboto, sans-serif;
    color: var(--gh-text);
    background: var(--gh-bg);
  }
  .page { max-width: 26rem; margin: 0 auto; }
  .brand { display: flex; align-items: center; justify-content: center; gap: 0.75rem; margin-bottom: 1.25rem; font-weight: 600; }
  .brand img { max-height: 2.5rem; max-width: 10rem; }
  main {
    padding: 2rem 1.5rem;
    background: var(--gh-card);
    border: 1px solid var(--gh-border);
    border-top: 4px solid var(--gh-primary);
    border-radius: 0.75rem;
  }
  .client { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
  .client img { width: 3rem; height: 3rem; object-fit: contain; border-radius: 0.5rem; }
  h1 { margin: 0 0 0.25rem; font-size: 1.5rem; line-height: 1.3; overflow-wrap: anywhere; }
  h2 { margin: 1.25rem 0 0; font-size: 1rem; line-height: 1.4; overflow-wrap: anywhere; }
  .lead { margin: 0 0 1rem; color: var(--gh-muted); overflow-wrap: anywhere; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: inherit;
    background: var(--gh-card);
    border: 1px solid var(--gh-field);
    border-radius: 0.5rem;
  }
  input[aria-invalid=true] { border-color: var(--gh-error-edge); }
  button {
    width: 100%;
    min-height: 2.75rem;
    margin-top: 1.5rem;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--gh-on-primary);
    background: var(--gh-primary);
    border: 1px solid var(--gh-primary);
    border-radius: 0.5rem;
    cursor: pointer;
  }
  button.secondary { margin-top: 0.75rem; color: var(--gh-text); background: transparent; border-color: var(--gh-field); }
  a { color: var(--gh-link); }
  :focus-visible { outline: 3px solid var(--gh-link); outline-offset: 2px; }
  .error {
    margin: 1rem 0;
    padding: 0.75rem 1rem;
    color: var(--gh-error-text);
    background: var(--gh-error-bg);
    border-left: 4px solid var(--gh-error-edge);
    border-radius: 0.25rem;
  }
  .scopes { padding-left: 1.25rem; }
  .scopes li { margin: 0.5rem 0; }
  .notice, .detail { color: var(--gh-muted); font-size: 0.875rem; }
  code { font-size: 0.875em; color: var(--gh-muted); overflow-wrap: anywhere; }
  .qr { display: block; margin: 0 auto; padding: 0.5rem; background: #fff; border-radius: 0.25rem; }
  .recovery-codes { columns: 2; padding-left: 1.5rem; }
  .recovery-codes code { font-size: 1rem; color: var(--gh-text); }
  [hidden] { display: none !important; }
  .divider { margin: 1.5rem 0 0; text-align: center; color: var(--gh-muted); }
  .passkeys { padding: 0; list-style: none; }
  .passkeys li { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.75rem 0; border-bottom: 1px solid var(--gh-field); }
  .passkeys form button { width: auto; margin-top: 0; }
  footer { margin-top: 1rem; text-align: center; font-size: 0.875rem; color: var(--gh-muted); }
  footer a { display: inline-block; margin: 0.125rem 0.5rem; }
`;
