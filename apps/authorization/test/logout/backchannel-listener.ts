import { createServer, type Server } from 'node:http';

export interface ReceivedNotice {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly form: URLSearchParams;
}

/**
 * Stands in for the clients' backchannel_logout_uri: records every POST and answers with the
 * statuses queued for its path, then 200.
 */
export class BackchannelListener {
  readonly received: ReceivedNotice[] = [];
  private readonly statuses = new Map<string, number[]>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      this.received.push({
        path,
        contentType: request.headers['content-type'],
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      response.statusCode = this.statuses.get(path)?.shift() ?? 200;
      response.setHeader('cache-control', 'no-store');
      response.end();
    });
  });
  private origin = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** The next answers on `path`, in order. */
  answer(path: string, ...statuses: number[]): void {
    this.statuses.set(path, statuses);
  }

  to(path: string): ReceivedNotice[] {
    return this.received.filter((notice) => notice.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
