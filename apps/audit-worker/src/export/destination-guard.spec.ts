import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { DeliveryError } from '@gatehouse/audit';
import { isPrivateHost } from '@gatehouse/protocol';
import { assertPublicDestination } from './destination-guard.js';

describe('assertPublicDestination', () => {
  it('refuses private literals without a lookup', async () => {
    for (const url of ['https://127.0.0.1/x', 'tcp://10.1.2.3:514', 'https://[::1]:8088', 'https://169.254.169.254/']) {
      await assert.rejects(assertPublicDestination(url), (error: unknown) => error instanceof DeliveryError && !error.retryable, url);
    }
  });

  it('refuses a name that resolves to a private address (the admin API only sees the name)', async (context) => {
    // This machine's own name usually resolves to a loopback address through /etc/hosts.
    const name = hostname();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (!addresses.some(({ address }) => isPrivateHost(address))) {
      context.skip(`${name} does not resolve to a private address here`);
      return;
    }
    await assert.rejects(
      assertPublicDestination(`https://${name}:8443/hook`),
      (error: unknown) => error instanceof DeliveryError && /resolves to a private address/.test(error.message),
    );
  });

  it('a name that does not resolve is retried later, not dead-lettered at once', async () => {
    await assert.rejects(
      assertPublicDestination('https://no-such-host.invalid/hook'),
      (error: unknown) => error instanceof DeliveryError && error.retryable,
    );
  });
});
