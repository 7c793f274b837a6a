import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The relying party's side as a browser meets it: a tiny HTTP listener on 127.0.0.1 that answers
 * every path with a small HTML page ("callback" at /callback) and records each URL it was sent to.
 */
export interface ClientApp {
  readonly origin: string;
  /** The registered redirect_uri. */
  readonly redirectUri: string;
  /** The registered post_logout_redirect_uri. */
  readonly postLogoutRedirectUri: string;
  /** Every URL a browser opened here, in order. */
  readonly visits: readonly URL[];
  close(): Promise<void>;
}

export async function startClientApp(): Promise<ClientApp> {
  const visits: URL[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    visits.push(url);
    const title = url.pathname === '/callback' ? 'callback' : url.pathname === '/signed-out' ? 'signed out' : 'client home';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/signed-out`,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
