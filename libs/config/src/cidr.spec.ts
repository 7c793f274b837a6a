import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCidr } from './cidr.js';

describe('isCidr', () => {
  it('accepts addresses and ranges of both families', () => {
    for (const value of ['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', 'fd00::/8', '2001:db8::/128'])
      assert.equal(isCidr(value), true, value);
  });
  it('refuses malformed values and prefixes out of range', () => {
    for (const value of ['', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/1', 'example.com', '10.0.0.0/x'])
      assert.equal(isCidr(value), false, value);
  });
});
