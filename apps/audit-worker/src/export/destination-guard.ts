import { lookup } from 'node:dns/promises';
import { DeliveryError, isPrivateHost } from '@gatehouse/audit';

/**
 * A sink's host must resolve to public addresses only (unless SIEM_ALLOW_PRIVATE_TARGETS): the
 * admin API refuses private literals, and this catches a public name that points inside. Checked
 * before each delivery; a resolver change between this check and the connection (DNS rebinding)
 * is not covered.
 */
export async function assertPublicDestination(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isPrivateHost(host)) throw new DeliveryError('the sink points at a private address', false);
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw new DeliveryError(`the sink's host ${host} does not resolve`, true);
  }
  if (addresses.some(({ address }) => isPrivateHost(address)))
    throw new DeliveryError(`the sink's host ${host} resolves to a private address`, false);
}
