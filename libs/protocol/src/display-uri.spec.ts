import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUriHost, displayUriProblem } from './display-uri.js';

const LOGO = { dataImageMaxLength: 65_536 };
const PNG = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;

describe('displayUriProblem', () => {
  it('accepts https URLs and http on a loopback host named as such', () => {
    for (const uri of [
      'https://shop.example.test',
      'https://shop.example.test/privacy?lang=en#cookies',
      'https://[2001:db8::1]:8443/tos',
      'HTTPS://Shop.Example.Test/About',
      'http://127.0.0.1:3000/logo.png',
      'http://[::1]/about',
      'http://localhost:8080/',
      'http://LOCALHOST',
    ])
      assert.equal(displayUriProblem(uri), null, uri);
  });

  it('refuses other schemes, plain http elsewhere and relative references', () => {
    for (const uri of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://files.example.test/logo.png',
      'http://example.com/',
      'http://127.1/',
      'http://2130706433/',
      'http://localhost.example.test/',
      'https:shop.example.test',
      'https:/shop.example.test',
      '//shop.example.test/logo.png',
      '/logo.png',
      '',
    ])
      assert.match(displayUriProblem(uri) ?? '', /^must be an https URL/, uri);
  });

  it('refuses user information, whitespace, control characters and backslashes the URL parser would fold away', () => {
    assert.equal(displayUriProblem('https://bank.example.test@evil.example.test/'), 'must not contain user information');
    assert.equal(displayUriProblem('https://user:pw@shop.example.test/'), 'must not contain user information');
    assert.equal(displayUriProblem('https://@shop.example.test/'), 'must not contain user information');
    for (const uri of [
      ' javascript:alert(1)',
      'https://shop.example.test/a b',
      'https://shop.example.test/\t',
      'https:\\\\evil.example.test',
      'https://x.test/\ud800',
    ])
      assert.match(displayUriProblem(uri) ?? '', /whitespace, control characters or backslashes/, JSON.stringify(uri));
  });

  it('refuses hosts that would widen or break a CSP source expression', () => {
    for (const uri of ['https://*/l.png', 'https://*.evil.test/l.png', 'https://cdn;x/l.png', "https://cdn'x/l.png", 'https://a,b/l.png']) {
      assert.notEqual(displayUriProblem(uri), null, uri);
    }
    assert.equal(displayUriProblem('https://cdn-1.acme.test/l.png'), null);
    assert.equal(displayUriProblem('https://[2001:db8::1]/l.png'), null);
  });

  it('limits URLs to 2000 characters', () => {
    const base = 'https://shop.example.test/';
    assert.equal(displayUriProblem(base + 'a'.repeat(2000 - base.length)), null);
    assert.equal(displayUriProblem(base + 'a'.repeat(2001 - base.length)), 'is longer than 2000 characters');
  });

  it('accepts base64 data:image logos of the listed types up to the given length, only when asked', () => {
    assert.equal(displayUriProblem(PNG, LOGO), null);
    for (const type of ['svg+xml', 'jpeg', 'webp', 'gif']) assert.equal(displayUriProblem(PNG.replace('png', type), LOGO), null, type);
    assert.match(displayUriProblem(PNG) ?? '', /^must be an https URL/, 'not where a logo is not asked for');
    for (const uri of [
      'data:image/png,rawbytes',
      'data:image/bmp;base64,AAAA',
      'data:image/svg+xml;utf8,<svg/>',
      'data:text/html;base64,PHNjcmlwdD4=',
      'data:image/png;base64,AAA',
      'data:image/png;base64,AA AA',
      'data:image/png;base64,',
    ])
      assert.match(displayUriProblem(uri, LOGO) ?? '', /^must be a base64 data:image URI/, uri);
    const oversize = `data:image/png;base64,${'A'.repeat(65_536)}`;
    assert.equal(displayUriProblem(oversize, LOGO), 'is longer than 65536 characters');
    assert.equal(displayUriProblem(`data:image/png;base64,${'A'.repeat(1976)}`, { dataImageMaxLength: 2000 }), null);
  });

  it('accepts a mailto: link with one address, only when asked', () => {
    const mailto = { mailto: true };
    assert.equal(displayUriProblem('mailto:help@acme.example', mailto), null);
    assert.equal(displayUriProblem('MAILTO:help@acme.example?subject=Sign-in', mailto), null);
    assert.match(displayUriProblem('mailto:help@acme.example') ?? '', /^must be an https URL/);
    for (const uri of ['mailto:', 'mailto:help', 'mailto:a@x.example,b@y.example', 'mailto:help@acme.example\nBcc:x@y'])
      assert.ok(displayUriProblem(uri, mailto), uri);
    assert.match(displayUriProblem('javascript:alert(1)', mailto) ?? '', /or a mailto: link$/);
  });
});

describe('displayUriHost', () => {
  it('is the parsed host of an http(s) URI, and null for data: and mailto:', () => {
    assert.equal(displayUriHost('https://Shop.Example.Test:8443/x'), 'shop.example.test');
    assert.equal(displayUriHost('http://[::1]/x'), '[::1]');
    assert.equal(displayUriHost(PNG), null);
    assert.equal(displayUriHost('mailto:help@acme.example'), null);
    assert.equal(displayUriHost('com.example.app:/cb'), null);
  });
});
