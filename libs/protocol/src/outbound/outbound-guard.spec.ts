import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import {
  checkOutboundHost,
  checkOutboundUrl,
  guardedLookup,
  isPrivateAddress,
  isPrivateHost,
  OutboundTargetRefused,
} from './outbound-guard.js';

const names = (table: Record<string, string[]>) => (host: string) =>
  table[host]
    ? Promise.resolve(table[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
    : Promise.reject(new Error('ENOTFOUND'));

describe('the outbound guard', () => {
  it('refuses loopback, private, link-local, CGNAT and unspecified IPv4 addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  it('refuses the benchmarking range 198.18.0.0/15 (issue 10 item 14)', () => {
    for (const address of ['198.18.0.1', '198.19.255.254']) assert.equal(isPrivateAddress(address), true, address);
    for (const address of ['198.17.255.255', '198.20.0.0']) assert.equal(isPrivateAddress(address), false, address);
  });

  it('refuses IPv6 loopback, unspecified, unique local and link-local addresses', () => {
    for (const address of ['::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1'])
      assert.equal(isPrivateAddress(address), true, address);
  });

  it('refuses IPv4-compatible ::a.b.c.d addresses (issue 10 item 14), in either spelling', () => {
    for (const address of ['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::8.8.8.8']) assert.equal(isPrivateAddress(address), true, address);
  });

  it('refuses the NAT64 prefix 64:ff9b::/96 (issue 10 item 14)', () => {
    for (const address of ['64:ff9b::a00:1', '64:ff9b::10.0.0.1', '64:ff9b::7f00:1', '64:ff9b::808:808']) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  it('refuses site-local fec0::/10 (issue 10 item 14)', () => {
    for (const address of ['fec0::1', 'feff:ffff::1']) assert.equal(isPrivateAddress(address), true, address);
  });

  it('refuses multicast, reserved and broadcast IPv4, and IPv6 multicast', () => {
    for (const address of ['224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', 'ff02::1', 'ff05::2'])
      assert.equal(isPrivateAddress(address), true, address);
  });

  it('refuses 6to4 and Teredo, which tunnel to IPv4 addresses the guard cannot judge', () => {
    for (const address of ['2002:7f00:1::1', '2002:c0a8:1::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2'])
      assert.equal(isPrivateAddress(address), true, address);
  });

  it('judges IPv4-mapped IPv6 by its IPv4 address, in either spelling', () => {
    for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:192.168.0.1'])
      assert.equal(isPrivateAddress(address), true, address);
    assert.equal(isPrivateAddress('::ffff:8.8.8.8'), false);
  });

  it('lets public addresses through', () => {
    for (const address of [
      '8.8.8.8',
      '93.184.215.14',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '2001:4860:4860::8888',
      '64:ff9c::1',
    ])
      assert.equal(isPrivateAddress(address), false, address);
  });

  it('refuses hosts as URLs spell them: brackets, trailing dot, localhost names, .internal', () => {
    for (const url of [
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::127.0.0.1]/',
      'http://[64:ff9b::127.0.0.1]/',
      'http://[fec0::1]/',
      'http://localhost./',
      'http://LOCALHOST/',
      'http://api.localhost/',
      'http://metadata.google.internal/',
    ]) {
      assert.equal(isPrivateHost(new URL(url).hostname), true, url);
    }
    assert.equal(isPrivateHost('rp.example.com'), false);
  });

  it('refuses a public name that resolves to a private address, and lets a public one through', async () => {
    const resolve = names({ 'inside.example.test': ['203.0.113.9', '10.0.0.7'], 'rp.example.test': ['203.0.113.9'] });
    assert.deepEqual(await checkOutboundUrl('https://inside.example.test/x', { resolve }), { ok: false, reason: 'private' });
    assert.equal((await checkOutboundUrl('https://rp.example.test/x', { resolve })).ok, true);
    assert.deepEqual(await checkOutboundUrl('https://gone.example.test/x', { resolve }), { ok: false, reason: 'unresolvable' });
    assert.deepEqual(await checkOutboundUrl('not a url', { resolve }), { ok: false, reason: 'private' });
  });

  it('allows private targets only with the operator opt-in', async () => {
    const resolve = names({ 'inside.example.test': ['10.0.0.7'] });
    assert.equal((await checkOutboundHost('inside.example.test', { resolve, allowPrivate: true })).ok, true);
    assert.equal((await checkOutboundHost('[::1]', { allowPrivate: true })).ok, true);
    assert.deepEqual(await checkOutboundHost('[::1]'), { ok: false, reason: 'private' });
  });

  it('a guarded connection to a name that resolves inside is never opened', async () => {
    const resolve = names({ 'inside.example.test': ['127.0.0.1'] });
    const error = await new Promise<Error>((resolveError) => {
      const req = request({ host: 'inside.example.test', port: 9, lookup: guardedLookup({ resolve }) });
      req.on('error', resolveError);
      req.end();
    });
    assert.ok(error instanceof OutboundTargetRefused, String(error));
    assert.equal(error.reason, 'private');
  });
});
