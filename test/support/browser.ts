/**
 * A minimal browser for server-rendered flows: keeps cookies per origin-less jar,
 * follows nothing automatically, and reads forms out of the HTML it gets.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();
  /** Sent with every request, e.g. X-Forwarded-For to play a browser elsewhere behind a trusted proxy. */
  readonly headers: Record<string, string> = {};

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects on this server until one leaves it (the client's redirect URI) or a page is returned. */
  async follow(response: Response, origin: string): Promise<{ response: Response; url: string }> {
    let current = response;
    let url = response.url;
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const location = new URL(current.headers.get('location') ?? '', url).toString();
      if (!location.startsWith(origin)) return { response: current, url: location };
      url = location;
      current = await this.get(location);
    }
    return { response: current, url };
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** Forgets the cookies whose names match, as a browser does when they expire. */
  dropCookies(matching: RegExp): void {
    for (const name of [...this.cookies.keys()]) if (matching.test(name)) this.cookies.delete(name);
  }

  cookieValue(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  clearCookies(): void {
    this.cookies.clear();
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair && index > 0) this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    Object.defineProperty(response, 'url', { value: url });
    return response;
  }
}

/** The first form's action (resolved against the page URL) and its hidden fields. */
export function readForm(html: string, pageUrl: string): { action: string; hidden: Record<string, string> } {
  const action = html.match(/<form[^>]*action="([^"]*)"/)?.[1];
  if (action === undefined) throw new Error(`no form in page:\n${html.slice(0, 500)}`);
  const hidden: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = match[0].match(/name="([^"]*)"/)?.[1];
    const value = match[0].match(/value="([^"]*)"/)?.[1];
    if (name) hidden[name] = decodeEntities(value ?? '');
  }
  return { action: new URL(decodeEntities(action), pageUrl).toString(), hidden };
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
