import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contrast, themeProperties } from './page-theme.js';

function onPrimary(primary: string): string {
  const match = /--gh-primary: (#[0-9a-f]{6}); --gh-on-primary: (#[0-9a-f]{6});/.exec(themeProperties(primary));
  assert.ok(match, themeProperties(primary));
  return match[2] ?? '';
}

describe('themeProperties', () => {
  it('keeps button text at WCAG AA contrast (4.5:1) on any primary colour', () => {
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17)
        for (let b = 0; b < 256; b += 17) {
          const primary = `#${[r, g, b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
          assert.ok(contrast(primary, onPrimary(primary)) >= 4.5, `${primary} on ${onPrimary(primary)}`);
        }
  });

  it('uses white on dark colours and black on light ones', () => {
    assert.equal(onPrimary('#0b57d0'), '#ffffff');
    assert.equal(onPrimary('#FFCC00'), '#000000');
    assert.match(themeProperties('#FFCC00'), /--gh-primary: #ffcc00;/);
  });

  it('falls back to the default colour for anything but #rrggbb: the value lands in a <style>', () => {
    for (const value of ['red', '#fff', '#12345g', '#123456; } body { display: none', undefined]) {
      assert.equal(themeProperties(value), themeProperties('#0b57d0'));
    }
  });

  it('computes the WCAG contrast ratio', () => {
    assert.equal(Math.round(contrast('#000000', '#ffffff') * 100) / 100, 21);
    assert.equal(contrast('#777777', '#777777'), 1);
  });
});
