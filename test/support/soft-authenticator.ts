import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A WebAuthn authenticator in Node for tests over HTTP (W3C WebAuthn §6): ES256 keys, "none"
 * attestation, and knobs to play a wrong origin, a wrong RP ID, a cloned authenticator (a counter
 * that goes back) or an authenticator without user verification.
 */
export interface SoftAuthenticatorOptions {
  readonly origin: string;
  readonly rpId: string;
  /** Backup eligible: the credential is synced (`multiDevice`). */
  readonly backupEligible?: boolean;
  readonly userVerification?: boolean;
}

export interface Tampering {
  readonly origin?: string;
  readonly rpId?: string;
  readonly challenge?: string;
  /** The signature counter to report instead of the next one. */
  readonly counter?: number;
}

interface SoftCredential {
  readonly id: Buffer;
  readonly key: KeyObject;
  readonly cose: Buffer;
  readonly userHandle: string;
  counter: number;
}

type Options = Record<string, unknown>;

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(private readonly options: SoftAuthenticatorOptions) {}

  /** navigator.credentials.create() with the server's creation options (JSON), as the page script posts it. */
  register(creation: Options, tamper: Tampering = {}): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const id = randomBytes(32);
    const user = creation['user'] as { id: string };
    const credential: SoftCredential = { id, key: privateKey, cose, userHandle: user.id, counter: 0 };
    this.credentials.push(credential);
    const attested = Buffer.concat([Buffer.alloc(16), u16(id.length), id, cose]);
    const authData = this.authData(tamper.rpId, 0x40, tamper.counter ?? 0, attested);
    const clientData = this.clientData('webauthn.create', String(creation['challenge']), tamper);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: id.toString('base64url'),
      rawId: id.toString('base64url'),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get(): the first allowed credential, or (none listed) the newest discoverable one. */
  authenticate(request: Options, tamper: Tampering = {}, credential = this.pick(request)): Record<string, unknown> {
    credential.counter = tamper.counter ?? credential.counter + 1;
    const authData = this.authData(tamper.rpId, 0, credential.counter);
    const clientData = this.clientData('webauthn.get', String(request['challenge']), tamper);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientData).digest()]), credential.key);
    return {
      id: credential.id.toString('base64url'),
      rawId: credential.id.toString('base64url'),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  private pick(request: Options): SoftCredential {
    const allowed = (request['allowCredentials'] as { id: string }[] | undefined) ?? [];
    const found =
      allowed.length > 0
        ? this.credentials.find((credential) => allowed.some((entry) => entry.id === credential.id.toString('base64url')))
        : this.credentials.at(-1);
    if (!found) throw new Error('no credential for these options');
    return found;
  }

  private authData(rpId: string | undefined, extraFlags: number, counter: number, attested = Buffer.alloc(0)): Buffer {
    // UP, and UV / BE+BS as configured (W3C WebAuthn §6.1 flags).
    let flags = 0x01 | extraFlags;
    if (this.options.userVerification !== false) flags |= 0x04;
    if (this.options.backupEligible === true) flags |= 0x08 | 0x10;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    return Buffer.concat([
      createHash('sha256')
        .update(rpId ?? this.options.rpId)
        .digest(),
      Buffer.from([flags]),
      counterBytes,
      attested,
    ]);
  }

  private clientData(type: string, challenge: string, tamper: Tampering): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge: tamper.challenge ?? challenge, origin: tamper.origin ?? this.options.origin, crossOrigin: false }),
    );
  }
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

/** RFC 8949 for what the tests need: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [key, entry] of value) parts.push(cbor(key), cbor(entry));
    return Buffer.concat(parts);
  }
  throw new Error('cbor: unsupported value');
}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const bytes = Buffer.alloc(3);
  bytes[0] = (major << 5) | 25;
  bytes.writeUInt16BE(length, 1);
  return bytes;
}
