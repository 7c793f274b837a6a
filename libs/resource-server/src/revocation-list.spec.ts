import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { encodeRevocation, REVOCATION_CHANNEL } from '@gatehouse/protocol';
import { RevocationList } from './revocation-list.js';

describe('RevocationList', () => {
  it('refuses a revoked jti and every token of a revoked grant, and nothing else', () => {
    const list = new RevocationList();
    list.add({ jtis: ['j1'], grantIds: ['g1'] });
    assert.equal(list.isRevoked({ jti: 'j1' }), true);
    assert.equal(list.isRevoked({ jti: 'j2', grant_id: 'g1' }), true);
    assert.equal(list.isRevoked({ jti: 'j2', grant_id: 'g2' }), false);
    assert.equal(list.isRevoked({}), false);
  });

  it('forgets an entry after its retention, and the oldest first past maxEntries', () => {
    let now = 0;
    const list = new RevocationList({ retentionSeconds: 10, maxEntries: 2, now: () => now });
    list.add({ jtis: ['a'] });
    now = 9_999;
    assert.equal(list.isRevoked({ jti: 'a' }), true);
    now = 10_000;
    assert.equal(list.isRevoked({ jti: 'a' }), false);
    list.add({ jtis: ['b', 'c', 'd'] });
    assert.equal(list.isRevoked({ jti: 'b' }), false, 'the oldest went first');
    assert.equal(list.isRevoked({ jti: 'd' }), true);
  });

  it("hears Gatehouse's channel and ignores other channels and malformed messages", async () => {
    const subscriber = Object.assign(new EventEmitter(), { subscribed: [] as string[] });
    const list = new RevocationList();
    await list.listen({
      subscribe: (channel) => Promise.resolve(subscriber.subscribed.push(channel)),
      on: (event, listener) => subscriber.on(event, listener),
    });
    assert.deepEqual(subscriber.subscribed, [REVOCATION_CHANNEL]);
    subscriber.emit('message', 'elsewhere', encodeRevocation('t', { jtis: ['x'] }, new Date()));
    subscriber.emit('message', REVOCATION_CHANNEL, '{not json');
    subscriber.emit('message', REVOCATION_CHANNEL, JSON.stringify({ jtis: ['y'] }));
    assert.equal(list.isRevoked({ jti: 'x' }), false);
    assert.equal(list.isRevoked({ jti: 'y' }), false, 'no tenant_id: not a Gatehouse message');
    subscriber.emit('message', REVOCATION_CHANNEL, encodeRevocation('t', { jtis: ['z'], grantIds: ['g'] }, new Date()));
    assert.equal(list.isRevoked({ jti: 'z' }), true);
    assert.equal(list.isRevoked({ grant_id: 'g' }), true);
  });
});
