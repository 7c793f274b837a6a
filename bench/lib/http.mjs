// A keep-alive HTTP/1.1 client for the scenarios autocannon cannot express (chains of requests).
import http from 'node:http';

export function createHttp(connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return {
    /** Resolves with status, headers and the body as text; never follows redirects. */
    request(url, { method = 'GET', headers = {}, body } = {}) {
      return new Promise((resolveResponse, reject) => {
        const request = http.request(url, { method, headers, agent }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolveResponse({ status: response.statusCode, headers: response.headers, text }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Cookies by name (paths and expiry ignored: one origin, a benchmark's lifetime). */
export class CookieJar {
  #cookies = new Map();

  store(setCookie) {
    for (const line of setCookie ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  set(name, value) {
    this.#cookies.set(name, value);
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** A jar with only the cookies whose name `keep` accepts. */
  filtered(keep) {
    const jar = new CookieJar();
    for (const [name, value] of this.#cookies) if (keep(name)) jar.set(name, value);
    return jar;
  }
}
