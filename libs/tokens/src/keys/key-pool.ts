import { generateSigningKey, type GeneratedKey } from './key-generator.js';
import type { SigningAlgorithm } from './signing-algorithm.js';

/** Where new signing keys come from: generated on the spot, or taken from a pool. */
export type SigningKeySource = (alg: SigningAlgorithm) => Promise<GeneratedKey>;

/** Only RSA keys are worth keeping ready: a 2048-bit pair takes 100 ms to seconds, an EC or Ed25519 pair a few ms. */
const POOLED_ALGORITHMS: readonly SigningAlgorithm[] = ['RS256'];

/**
 * Key pairs generated ahead of need, so creating a tenant (whose ID tokens are signed RS256)
 * does not wait for RSA key generation (issue 12: tenant creation under 100 ms). Each key is
 * handed out once and replaced in the background; generation runs on libuv's thread pool
 * (WebCrypto), not on the event loop. An empty pool, or another algorithm, generates on the
 * spot. The private keys stay in this process's memory until taken, then are sealed as any key.
 */
export class SigningKeyPool {
  private readonly ready = new Map<SigningAlgorithm, GeneratedKey[]>();
  private refilling = false;
  private running = false;

  constructor(
    private readonly size: number,
    private readonly generate: SigningKeySource = generateSigningKey,
  ) {}

  /** Begins filling; until then (and with size 0) every key is generated on demand. */
  start(): void {
    this.running = this.size > 0;
    this.refill();
  }

  stop(): void {
    this.running = false;
    this.ready.clear();
  }

  /** A key for `alg`: a ready one when the pool has it, else a fresh one. */
  readonly take: SigningKeySource = async (alg) => {
    const key = this.ready.get(alg)?.shift();
    this.refill();
    return key ?? this.generate(alg);
  };

  /** Keys ready now, per algorithm (for tests and readiness details). */
  available(alg: SigningAlgorithm): number {
    return this.ready.get(alg)?.length ?? 0;
  }

  private refill(): void {
    if (!this.running || this.refilling) return;
    this.refilling = true;
    void this.fillAll().finally(() => {
      this.refilling = false;
    });
  }

  private async fillAll(): Promise<void> {
    for (const alg of POOLED_ALGORITHMS) {
      const keys = this.ready.get(alg) ?? [];
      this.ready.set(alg, keys);
      while (this.running && keys.length < this.size) {
        try {
          keys.push(await this.generate(alg));
        } catch {
          return; // A failing generator is retried on the next take; take() still generates on demand.
        }
      }
    }
  }
}
