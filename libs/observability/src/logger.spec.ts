import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatehouseLogger } from './logger.js';
import { redact } from './redact.js';

describe('redact', () => {
  it('hides values under secret-looking keys at any depth and leaves the input alone', () => {
    const input = {
      user: 'alice',
      password: 'hunter2',
      nested: { client_secret: 's', refresh_token: 'r', headers: { authorization: 'Bearer x' } },
    };
    assert.deepEqual(redact(input), {
      user: 'alice',
      password: '[redacted]',
      nested: { client_secret: '[redacted]', refresh_token: '[redacted]', headers: { authorization: '[redacted]' } },
    });
    assert.equal(input.password, 'hunter2');
  });
});

describe('GatehouseLogger', () => {
  it('writes one JSON object per line, redacted, filtered by level', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) }).child({ app: 'test' });
    logger.debug('hidden');
    logger.info('token issued', { client_id: 'c1', access_token: 'eyJ...' });
    logger.error('boom', new Error('bad'));
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(first['level'], 'info');
    assert.equal(first['msg'], 'token issued');
    assert.equal(first['app'], 'test');
    assert.equal(first['client_id'], 'c1');
    assert.equal(first['access_token'], '[redacted]');
    assert.ok(!lines.join('\n').includes('eyJ...'));
    assert.equal((JSON.parse(lines[1] ?? '') as { err: { message: string } }).err.message, 'bad');
  });

  it('treats Nest framework chatter (a context name) as debug', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'pretty', write: (line) => lines.push(line) });
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    assert.equal(lines.length, 0);
  });
});
