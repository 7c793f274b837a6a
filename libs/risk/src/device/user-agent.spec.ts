import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUserAgent } from './user-agent.js';

describe('parseUserAgent', () => {
  it('describes a desktop browser (no device type)', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36';
    assert.deepEqual(parseUserAgent(ua), { browser: 'Chrome 124', os: 'Windows 10', type: undefined });
  });

  it('describes a phone', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
    assert.deepEqual(parseUserAgent(ua), { browser: 'Mobile Safari 17', os: 'iOS 17.4', type: 'mobile' });
  });

  it('describes Firefox on Linux', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
    assert.deepEqual(parseUserAgent(ua), { browser: 'Firefox 125', os: 'Linux', type: undefined });
  });

  it('gives empty fields for a missing, empty or unrecognised header', () => {
    assert.deepEqual(parseUserAgent(undefined), {});
    assert.deepEqual(parseUserAgent(''), {});
    assert.deepEqual(parseUserAgent('curl-like/0 nothing'), { browser: undefined, os: undefined, type: undefined });
  });

  it('copes with a hostile, very long header', () => {
    const started = performance.now();
    parseUserAgent(`Mozilla/5.0 (${'a;'.repeat(100_000)}) ${'Chrome/1 '.repeat(10_000)}`);
    assert.ok(performance.now() - started < 1000);
  });
});
