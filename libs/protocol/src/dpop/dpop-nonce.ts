import { createHmac, timingSafeEqual } from 'node:crypto';

const DEFAULT_WINDOW_SECONDS = 300;

/**
 * RFC 9449 §8 server nonces without storage: an HMAC of the time window and the scope (a tenant)
 * under a server secret, so any instance issues and accepts the same nonce. The current and the
 * previous window are accepted, so a nonce lives between one and two windows.
 */
export class DpopNonces {
  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => Date = () => new Date(),
    private readonly windowSeconds: number = DEFAULT_WINDOW_SECONDS,
  ) {}

  current(scope: string): string {
    return this.nonceFor(scope, this.window());
  }

  isValid(scope: string, nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    const window = this.window();
    return this.matches(nonce, this.nonceFor(scope, window)) || this.matches(nonce, this.nonceFor(scope, window - 1));
  }

  private window(): number {
    return Math.floor(this.now().getTime() / 1000 / this.windowSeconds);
  }

  private nonceFor(scope: string, window: number): string {
    return createHmac('sha256', this.secret).update(`dpop-nonce\0${scope}\0${window}`).digest('base64url');
  }

  private matches(presented: string, expected: string): boolean {
    const a = Buffer.from(presented);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
