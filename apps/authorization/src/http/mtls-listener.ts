import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { listenFailure, type GatehouseLogger } from '@gatehouse/observability';

export interface MutualTlsListener {
  /** Where it listens (the port chosen when MTLS_PORT is 0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * RFC 8705 without a proxy: a TLS listener (MTLS_PORT) serving the same routes as the app, that asks
 * every client for a certificate. `rejectUnauthorized: false` lets any certificate through the
 * handshake: self_signed_tls_client_auth certificates chain to nothing, and tls_client_auth ones are
 * checked against MTLS_CA_FILE by the client authenticator, which reads the certificate off the socket
 * (http/client-certificate.ts). No certificate at all is a TLS connection like any other.
 */
export async function serveMutualTls(
  app: NestFastifyApplication,
  config: GatehouseConfig,
  logger: GatehouseLogger,
): Promise<MutualTlsListener | undefined> {
  const listener = config.mtls.listener;
  if (!listener) return undefined;
  const cert = readOrExplain(listener.certFile, 'MTLS_TLS_CERT_FILE');
  const key = readOrExplain(listener.keyFile, 'MTLS_TLS_KEY_FILE');
  const fastify = app.getHttpAdapter().getInstance();
  let server: Server;
  try {
    server = createServer({ cert, key, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (request, response) =>
      fastify.routing(request, response),
    );
  } catch (error) {
    throw new Error(`MTLS_TLS_CERT_FILE, MTLS_TLS_KEY_FILE: not a certificate and its private key in PEM (${(error as Error).message})`, {
      cause: error,
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenFailure(error, config.listenHost, listener.port, 'MTLS_PORT')));
    server.listen(listener.port, config.listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.listenHost === '0.0.0.0' || config.listenHost === '::' ? 'localhost' : config.listenHost;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(`Mutual TLS listener on ${url} (client certificates requested; RFC 8705)`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readOrExplain(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`${variable}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}
