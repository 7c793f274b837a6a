import { generateOpaqueSecret } from './opaque-secret.js';

/**
 * A new client_id: 128 random bits, base64url, never starting with `-` or `_`. One in 32 would,
 * and a leading dash reads as an option to the CLI (`--client-id -x…`) and to most shell tools.
 */
export function generateClientId(): string {
  for (;;) {
    const id = generateOpaqueSecret(16);
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
