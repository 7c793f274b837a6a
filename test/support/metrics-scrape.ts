import assert from 'node:assert/strict';

export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** GET /metrics; the body and status as a scraper sees them. */
export async function scrape(url: string, token?: string): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one series (`name{label="v",...}`, labels in any order), 0 when absent. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = new Map<string, string>();
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) series.set(pair[1] ?? '', pair[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => series.get(key) === value)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : 0;
}

export async function metricsText(url: string, token?: string): Promise<string> {
  const response = await scrape(url, token);
  assert.equal(response.status, 200, response.text);
  assert.equal(response.contentType, PROMETHEUS_TEXT);
  return response.text;
}
