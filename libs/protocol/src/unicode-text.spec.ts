import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasLoneSurrogate } from './unicode-text.js';

describe('hasLoneSurrogate', () => {
  it('finds a high or low surrogate without its pair, anywhere', () => {
    for (const text of ['\ud800', '\udc00', 'x\ud83dy', '\ude00\ud83d', '😀\ud800'])
      assert.equal(hasLoneSurrogate(text), true, JSON.stringify(text));
  });
  it('accepts well-formed text, astral characters included', () => {
    for (const text of ['', 'plain', 'é', '😀', 'a😀b😀']) assert.equal(hasLoneSurrogate(text), false, text);
  });
});
