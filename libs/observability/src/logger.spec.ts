import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatehouseLogger } from './logger.js';
import { prettyLine } from './pretty-stream.js';
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

  it('scrubs secrets out of messages and error messages', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) });
    logger.warn('exchange failed for code=SECRET1&state=ok');
    logger.error('boom', new Error('bad refresh_token: SECRET2'));
    logger.error(new Error('Authorization: Bearer SECRET3abcdef'));
    const output = lines.join('\n');
    for (const secret of ['SECRET1', 'SECRET2', 'SECRET3']) assert.ok(!output.includes(secret), output);
    assert.ok(output.includes('state=ok'));
  });

  it('renders a readable line in pretty format', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'pretty', write: (line) => lines.push(line) }).child({ app: 'admin' });
    logger.warn('disk almost full', { percent: 91 });
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\S+ WARN {2}disk almost full \{"app":"admin","percent":91\}$/);
  });

  it('treats Nest framework chatter (a context name) as debug', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'pretty', write: (line) => lines.push(line) });
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    assert.equal(lines.length, 0);
  });
});

describe('prettyLine', () => {
  it('reads a request line as method, path, status and duration, its context after', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-01-01T00:00:00.000Z',
      reqId: 'r1',
      tenant: 'acme',
      req: { method: 'POST', url: '/t/acme/token' },
      res: { statusCode: 200 },
      responseTime: 12,
      msg: 'request completed',
    });
    assert.equal(prettyLine(line), '2026-01-01T00:00:00.000Z INFO  POST /t/acme/token 200 12ms {"reqId":"r1","tenant":"acme"}');
  });
});

describe('error serialization', () => {
  it('keeps the internal cause for the log, scrubbed', () => {
    const lines: string[] = [];
    const logger = new GatehouseLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) });
    const error = Object.assign(new Error('invalid_grant: the grant is invalid'), { internalCause: 'code_verifier=S3CR3T does not match' });
    logger.error('token exchange refused', { err: error });
    const record = JSON.parse(lines[0] ?? '') as { err: { message: string; cause: string } };
    assert.equal(record.err.cause, 'code_verifier=[redacted] does not match');
    assert.ok(!lines[0]?.includes('S3CR3T'));
  });
});
