import { DeliveryError } from '@gatehouse/audit';
import { checkOutboundUrl, type ResolveHost } from '@gatehouse/protocol';

/**
 * A sink's host must resolve to public addresses only (unless the operator allows private
 * targets): the admin API refuses private literals, and this catches a public name that points
 * inside. The outbound guard (libs/protocol) decides; this maps its verdict to a delivery error.
 * Checked before each delivery; a resolver change between this check and the connection (DNS
 * rebinding) is not covered for sinks.
 */
export async function assertPublicDestination(url: string, resolve?: ResolveHost): Promise<void> {
  const verdict = await checkOutboundUrl(url, resolve ? { resolve } : {});
  if (verdict.ok) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (verdict.reason === 'unresolvable') throw new DeliveryError(`the sink's host ${host} does not resolve`, true);
  throw new DeliveryError(`the sink's host ${host} resolves to a private address`, false);
}
