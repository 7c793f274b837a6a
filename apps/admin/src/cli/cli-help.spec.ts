import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance } from '../http/edit-distance.js';
import { suggestCommand } from './cli-help.js';
import { COMMANDS } from './commands/index.js';

describe('CLI help', () => {
  it('measures edit distance', () => {
    assert.equal(editDistance('tenant', 'tenant'), 0);
    assert.equal(editDistance('tennat', 'tenant'), 2);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('suggests the closest command, and nothing for a word far from all', () => {
    assert.equal(suggestCommand(['tenant', 'craete'], COMMANDS), 'tenant create');
    assert.equal(suggestCommand(['usr', 'unlock'], COMMANDS), 'user unlock');
    assert.equal(suggestCommand(['migrat'], COMMANDS), 'migrate');
    assert.equal(suggestCommand(['frobnicate'], COMMANDS), null);
  });

  it('gives every command a summary', () => {
    for (const command of COMMANDS) assert.ok(command.summary.length > 10, command.name);
  });
});
