import { BlockList, isIPv4 } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { InvalidClient } from '@gatehouse/protocol';

/**
 * The TLS client certificate of a request (RFC 8705): from the TLS connection when the app
 * terminated TLS itself, else from the MTLS_CLIENT_CERT_HEADER set by a TRUSTED_PROXIES peer
 * (URL-encoded PEM, nginx's $ssl_client_escaped_cert). From any other peer the header is ignored:
 * anyone could send it.
 */
export function clientCertificate(request: FastifyRequest, config: GatehouseConfig): X509Certificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted === true && typeof socket.getPeerCertificate === 'function') {
    const raw = socket.getPeerCertificate(false).raw;
    return raw && raw.length > 0 ? new X509Certificate(raw) : undefined;
  }
  const header = request.headers[config.mtls.clientCertHeader];
  if (typeof header !== 'string' || header === '' || !fromTrustedProxy(request.raw.socket.remoteAddress, config)) return undefined;
  try {
    return new X509Certificate(decodeURIComponent(header));
  } catch (error) {
    throw new InvalidClient({ cause: `malformed client certificate header: ${String(error)}` });
  }
}

/** The certificate for checking a token's binding: a malformed one counts as none (the bound token is refused). */
export function presentedCertificate(request: FastifyRequest, config: GatehouseConfig): X509Certificate | undefined {
  try {
    return clientCertificate(request, config);
  } catch {
    return undefined;
  }
}

const proxyLists = new WeakMap<readonly string[], BlockList>();

function fromTrustedProxy(address: string | undefined, config: GatehouseConfig): boolean {
  if (address === undefined || config.trustedProxies.length === 0) return false;
  let list = proxyLists.get(config.trustedProxies);
  if (!list) {
    list = blockListOf(config.trustedProxies);
    proxyLists.set(config.trustedProxies, list);
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  return list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
}

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip = '', prefix] = entry.split('/');
    const type = isIPv4(ip) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(prefix), type);
  }
  return list;
}
