import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { environmentSchema } from './env.schema.js';

// dist/libs/config/src/ -> repository root
const envExample = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('documents exactly the variables the schema reads', () => {
    const documented = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]).sort();
    assert.deepEqual(documented, Object.keys(environmentSchema.shape).sort());
  });
});
