import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_HTML, escapeHtml, markup } from './safe-html.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters and the backtick', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('escapes an ampersand that already looks like an entity', () => {
    assert.equal(escapeHtml('&lt;'), '&amp;lt;');
  });

  it('leaves other text, including non-ASCII, untouched', () => {
    assert.equal(escapeHtml('Zoë – Ärzte GmbH'), 'Zoë – Ärzte GmbH');
  });
});

describe('markup', () => {
  it('escapes every interpolated string', () => {
    const value = '"><script>alert(1)</script>';
    assert.equal(
      markup`<p title="${value}">${value}</p>`.toString(),
      `<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>`,
    );
  });

  it('keeps nested fragments and lists of fragments as they are', () => {
    const items = ['a<b', 'c'].map((item) => markup`<li>${item}</li>`);
    assert.equal(markup`<ul>${items}</ul>${EMPTY_HTML}`.toString(), '<ul><li>a&lt;b</li><li>c</li></ul>');
  });
});
