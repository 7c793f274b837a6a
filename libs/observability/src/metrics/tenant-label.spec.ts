import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_TENANT, OTHER_TENANT, TenantLabel } from './tenant-label.js';

describe('TenantLabel', () => {
  it('names the first N tenants seen, then folds the others into `other`', () => {
    const label = new TenantLabel(2);
    assert.equal(label.of('acme'), 'acme');
    assert.equal(label.of('globex'), 'globex');
    assert.equal(label.of('initech'), OTHER_TENANT);
    assert.equal(label.of('acme'), 'acme', 'a named tenant keeps its slug');
    assert.equal(label.of('initech'), OTHER_TENANT, 'and a folded one stays folded');
  });

  it('peek never admits: a slug from a request path is named only once a service resolved it', () => {
    const label = new TenantLabel(5);
    assert.equal(label.peek('made-up'), OTHER_TENANT);
    assert.equal(label.of('made-up'), 'made-up');
    assert.equal(label.peek('made-up'), 'made-up');
    assert.equal(label.peek(undefined), NO_TENANT);
  });

  it('a cap of 0 names no tenant', () => {
    assert.equal(new TenantLabel(0).of('acme'), OTHER_TENANT);
  });
});
