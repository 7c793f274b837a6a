import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page, type Response } from 'playwright-core';

/** Debian's Chromium; playwright-core drives it and never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * For `describe(..., { skip })`: the suite skips, saying why, on a developer's machine without
 * Chromium. In CI (CI=true) it never skips: a missing Chromium fails the run rather than hiding it.
 */
export const chromiumSkip: string | false =
  existsSync(CHROMIUM_PATH) || process.env['CI'] === 'true'
    ? false
    : `needs Chromium at ${CHROMIUM_PATH} (Debian's chromium package, or set CHROMIUM_PATH)`;

// Headless, and nothing that reaches the internet: no updates, sync, QUIC or background fetches.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One Chromium per test file. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...extraArgs] });
}

/**
 * A fresh context (no cookies, no history) and its one page: one person per test. Closed when
 * the test ends. Waits are short, so a missing element fails the test in seconds, not 30.
 */
export async function personPage(t: TestContext, browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  context.setDefaultTimeout(5_000);
  context.setDefaultNavigationTimeout(10_000);
  t.after(() => context.close());
  return context.newPage();
}

/**
 * Runs `act` (a click, a key press) and waits for the main frame's navigation it starts to end:
 * the final document's response (after any redirects), committed and loaded.
 */
export async function navigation(page: Page, act: () => Promise<unknown>): Promise<Response> {
  const response = page.waitForResponse(
    (candidate) =>
      candidate.request().isNavigationRequest() &&
      candidate.frame() === page.mainFrame() &&
      (candidate.status() < 300 || candidate.status() >= 400),
  );
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await act();
  const [final] = await Promise.all([response, committed]);
  await page.waitForLoadState('load');
  return final;
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url)); // dist/test/browser/support -> the repository

/**
 * Full-page screenshots of every page a suite's people see, numbered in the order taken:
 * test-artifacts/screenshots/<suite>/<nn>-<name>.png at the repository root (emptied per run).
 */
export function screenshots(suite: string): { dir: string; shot: (page: Page, name: string) => Promise<void> } {
  const dir = join(ROOT, 'test-artifacts', 'screenshots', suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let taken = 0;
  return {
    dir,
    shot: async (page, name) => {
      taken += 1;
      const file = `${String(taken).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
      await page.screenshot({ path: join(dir, file), fullPage: true });
    },
  };
}
