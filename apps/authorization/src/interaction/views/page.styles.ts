import { markup } from './safe-html.js';

// No quotes or angle brackets here: the sheet is inlined as markup in a nonce'd <style>.
export const PAGE_STYLES = markup`
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body {
    margin: 0;
    padding: 1.5rem 1rem;
    font: 1rem/1.5 system-ui, -apple-system, Segoe UI, Roboto, sans-serif;
    color: #1a1a1a;
    background: #f4f4f5;
  }
  main {
    max-width: 28rem;
    margin: 0 auto;
    padding: 1.5rem;
    background: #ffffff;
    border: 1px solid #d4d4d8;
    border-radius: 0.5rem;
  }
  h1 { margin: 0 0 1rem; font-size: 1.375rem; line-height: 1.3; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: inherit;
    border: 1px solid #71717a;
    border-radius: 0.375rem;
  }
  button {
    width: 100%;
    min-height: 2.75rem;
    margin-top: 1.5rem;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: #ffffff;
    background: #0b57d0;
    border: 1px solid #0b57d0;
    border-radius: 0.375rem;
    cursor: pointer;
  }
  button[value=deny] { margin-top: 0.75rem; color: #1a1a1a; background: #ffffff; border-color: #71717a; }
  :focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  .error {
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    color: #8c1d18;
    background: #fce8e6;
    border-left: 4px solid #b3261e;
    border-radius: 0.25rem;
  }
  h2 { margin: 1rem 0 0; font-size: 1rem; line-height: 1.4; }
  .scopes { padding-left: 1.25rem; }
  .scopes li { margin: 0.5rem 0; }
  code { font-size: 0.875em; color: #3f3f46; overflow-wrap: anywhere; }
`;
